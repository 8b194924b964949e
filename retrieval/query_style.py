"""How a lookup query is written, read from its surface: the reranker weighs the channels
differently for each (a theorem's nickname is found by the words of docstrings, a formula by
the statement), so the style picks its weights.

Styles: `name` (a Lean identifier), `lean` (a Lean statement or binder list), `latex`
(`$…$` or backslash commands, with few words outside the math: a long sentence with some
LaTeX in it is carried by its words, and reads as a sentence), `formula` (mostly symbols,
few words), `nickname` (a named result: "Zorn's lemma", "Cauchy-Schwarz inequality"),
`phrase` (a few words), `sentence`.
"""

from __future__ import annotations

import re
from typing import Literal

Style = Literal["name", "lean", "latex", "formula", "nickname", "phrase", "sentence"]
STYLES: tuple[Style, ...] = ("name", "lean", "latex", "formula", "nickname", "phrase", "sentence")

_NAME = re.compile(r"[A-Za-z_][\w'.!?₀-₉ᵢ-ᵪ]*")
_LEAN_HEAD = re.compile(r"^\s*(?:theorem|lemma|example|def|instance|abbrev)\b")
# a statement opening with a binder `(x : T)`, `{α : Type*}` or `[Group G]`, or a `:=`:
# Lean; an expression with quantifiers and no binders in front is a formula
_LEAN_BINDER = re.compile(
    r"^\s*(?:[({⦃]\s*[\w'₀-₉ ]+\s*:\s*[^)}⦄]+[)}⦄]|\[\s*[A-Z]\w*(?:\s+[\w'.]+)+\s*\])|:="
)
_LATEX = re.compile(r"\$|\\[A-Za-z]+|\\[()\[\]]")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")
_SYMBOL = re.compile(r"[=<>≤≥≠∣+\-*/^∑∏∫√∈∉⊆⊂∪∩∀∃¬∧∨→↔⁻¹‖|⟪⟫!%·•∘]")
# words that name a result rather than state it
_NAMED = re.compile(
    r"\b(?:theorem|lemma|inequality|identity|formula|principle|criterion|law|conjecture|"
    r"rule|test|argument|trick|paradox|postulate)s?\b",
    re.I,
)
# "Zorn's", "Cauchy-Schwarz", "AM-GM", "inclusion-exclusion": how results are named
_POSSESSIVE = re.compile(r"\b[A-Z][a-zà-ÿ]+(?:'s|’s)|\b[A-Za-zà-ÿ]{2,}-[A-Za-zà-ÿ]{2,}\b")
# a formula: at least this many operator symbols per word, and not many words
_FORMULA_RATIO = 0.3
_FORMULA_WORDS = 12
_PHRASE_WORDS = 7
_HYPHEN = re.compile(r"(?<=[A-Za-zà-ÿ])-(?=[A-Za-zà-ÿ])")  # Hahn-Banach: a word, not a minus


def detect_style(query: str) -> Style:
    """The style of `query` (see the module docstring). Rules, checked in order: a whole
    identifier is a name; a declaration keyword or a binder is Lean; `$` or a backslash command
    is LaTeX, unless more than `_FORMULA_WORDS` words stand outside its math (a sentence);
    operator symbols among few words is a formula; a result's name ("…'s theorem",
    "Cauchy-Schwarz inequality") is a nickname; a few words are a phrase; the rest sentences."""
    q = query.strip()
    if _NAME.fullmatch(q) and ("." in q or "_" in q or any(c.isupper() for c in q[1:])):
        return "name"
    if _LEAN_HEAD.match(q) or _LEAN_BINDER.search(q):
        return "lean"
    if _LATEX.search(q):
        prose = _WORD.findall(_MATH.sub(" ", q))
        return "latex" if len(prose) <= _FORMULA_WORDS else "sentence"
    words = _WORD.findall(q)
    symbols = _SYMBOL.findall(_HYPHEN.sub(" ", q))
    if symbols and len(words) <= _FORMULA_WORDS and len(symbols) >= _FORMULA_RATIO * len(words):
        return "formula"
    if len(words) <= _PHRASE_WORDS + 2 and (_NAMED.search(q) or _POSSESSIVE.search(q)):
        return "nickname"
    if len(words) <= _PHRASE_WORDS:
        return "phrase"
    return "sentence"
