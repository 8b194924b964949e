"""Lean's Unicode spelled so that a BERT-style encoder can read it.

all-MiniLM-L6-v2's WordPiece vocabulary has no `∀ ∃ ℕ ℤ ℂ ∑ ∏ ∫ ⊤ ⊥ ⟶ ≃ 𝓝`: each becomes
`[UNK]`. Its normaliser also strips "accents", which turns `≠` into `=`, `∉` into `∈` and `≰`
into `≤`, and lower-cases `Γ` into `γ`: a statement and its negation read alike. Together, 42%
of the symbols in ProofNet's Lean statements (29% in Mathlib's signatures) are lost or confused.
`spell_symbols` writes each such symbol as its LaTeX command, the spelling the informal side
(ProofNet, Mathlib docstrings) already uses, so `ℤ` in a Lean statement meets `\\mathbb{Z}` in
its text. It is a view of the text for the encoder only: indexes, prompts and judges keep Lean.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

LATEX_SPELLING = {  # symbol -> the LaTeX that writes it
    "∀": r"\forall",
    "∃": r"\exists",
    "∄": r"\nexists",
    "≠": r"\neq",
    "∉": r"\notin",
    "≰": r"\not\leq",
    "≱": r"\not\geq",
    "≮": r"\not<",
    "≯": r"\not>",
    "⊈": r"\not\subseteq",
    "⊄": r"\not\subset",
    "≢": r"\not\equiv",
    "∤": r"\nmid",
    "∣": r"\mid",
    "∑": r"\sum",
    "∏": r"\prod",
    "∫": r"\int",
    "∮": r"\oint",
    "∂": r"\partial",
    "⨆": r"\sup",
    "⨅": r"\inf",
    "⋃": r"\bigcup",
    "⋂": r"\bigcap",
    "⨁": r"\bigoplus",
    "⨂": r"\bigotimes",
    "⋀": r"\bigwedge",
    "⋁": r"\bigvee",
    "∐": r"\coprod",
    "⨿": r"\coprod",
    "⊤": r"\top",
    "⊥": r"\bot",
    "⊓": r"\sqcap",
    "⊔": r"\sqcup",
    "⊃": r"\supset",
    "⊇": r"\supseteq",
    "⊂": r"\subset",
    "⊆": r"\subseteq",
    "⊞": r"\boxplus",
    "⊙": r"\odot",
    "⊗": r"\otimes",
    "⊕": r"\oplus",
    "⨯": r"\times",
    "⋆": r"\star",
    "∘": r"\circ",
    "⟶": r"\longrightarrow",
    "⥤": r"\Rightarrow",
    "⋙": r"\ggg",
    "≫": r"\gg",
    "≃": r"\simeq",
    "≅": r"\cong",
    "≌": r"\approx",
    "↪": r"\hookrightarrow",
    "↠": r"\twoheadrightarrow",
    "⊣": r"\dashv",
    "⊢": r"\vdash",
    "∠": r"\angle",
    "∡": r"\measuredangle",
    "⧸": "/",
    "⦃": "{",
    "⦄": "}",
    "⟪": r"\langle",
    "⟫": r"\rangle",
    "⟦": "[[",
    "⟧": "]]",
    "⁅": "[",
    "⁆": "]",
    "⦋": "[",
    "⦌": "]",
    "⟮": "(",
    "⟯": ")",
    "⌊": r"\lfloor",
    "⌋": r"\rfloor",
    "⌈": r"\lceil",
    "⌉": r"\rceil",
    "⋯": r"\cdots",
    "∞": r"\infty",
    "ϕ": r"\phi",
    "⇑": r"\Uparrow",
    "↥": r"\uparrow",
    "⟂": r"\perp",
    "ᗮ": r"\perp",
    "⟹": r"\Longrightarrow",
    "≪": r"\ll",
    "∙": r"\bullet",
    "▷": r"\triangleright",
    "◁": r"\triangleleft",
    "ℵ": r"\aleph",
    "⨍": r"\fint",
    "≺": r"\prec",
    "≼": r"\preceq",
    "⊑": r"\sqsubseteq",
    "⋊": r"\rtimes",
    "∼": r"\sim",
    "∥": r"\parallel",
    "⊨": r"\models",
}
_GREEK_CAPITALS = "ΓΔΘΛΞΠΣΥΦΨΩ"
_STYLES = (  # Unicode letter-like styles, by the words of their character names
    ("DOUBLE-STRUCK", r"\mathbb"),
    ("SCRIPT", r"\mathcal"),
    ("FRAKTUR", r"\mathfrak"),
    ("BLACK-LETTER", r"\mathfrak"),
    ("BOLD", r"\mathbf"),
)
_LETTER = re.compile(r"(CAPITAL|SMALL|DIGIT) (\w+)$")
_DIGITS = "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE".split()


@lru_cache(maxsize=4096)
def _spelling(ch: str) -> str | None:
    if ch in LATEX_SPELLING:
        return LATEX_SPELLING[ch]
    if ch in _GREEK_CAPITALS:
        return "\\" + unicodedata.name(ch).split()[-1].capitalize()
    name = unicodedata.name(ch, "")
    style = next((cmd for word, cmd in _STYLES if word in name), None)
    letter = _LETTER.search(name)
    if style is None or letter is None:
        return None
    case, word = letter.groups()
    if case == "DIGIT":
        glyph = str(_DIGITS.index(word)) if word in _DIGITS else None
    else:
        glyph = word if case == "CAPITAL" else word.lower()
    return f"{style}{{{glyph}}}" if glyph and len(glyph) == 1 else None


def spell_symbols(text: str) -> str:
    """`text` with every symbol the encoder cannot read written as LaTeX, one line."""
    if text.isascii():
        return " ".join(text.split())
    out = []
    for ch in text:
        spelt = _spelling(ch) if ord(ch) > 127 else None
        out.append(f" {spelt} " if spelt else ch)
    return " ".join("".join(out).split())
