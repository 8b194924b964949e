"""Lexical facts of Lean 4 that every reader shares: identifier characters, keywords, how
names are written, the words that start a declaration. Reading text is `indexer.lean_terms`'s
job (tokens, trees; `split` for a command's parts, `scan` for what no tree can be built of).

Character classes follow Lean's `isIdFirst` / `isIdRest` (`Init/Meta.lean`): ASCII letters,
`_`, and "letter-like" Unicode (Greek except λ Π Σ, Coptic, the letter-like symbols block,
mathematical script/double-struck letters); `'`, `!`, `?`, digits and subscripts may follow.
"""

from __future__ import annotations

import re

_LETTER_LIKE = (
    "\u03b1-\u03ba\u03bc-\u03c9"  # lower Greek without λ
    "\u0391-\u039f\u03a1\u03a4-\u03a9"  # upper Greek without Π Σ
    "\u03ca-\u03fb"  # Coptic
    "\u1f00-\u1ffe"  # polytonic Greek
    "\u2100-\u214f"  # letter-like symbols (ℕ ℝ ℓ ...)
    "\U0001d49c-\U0001d59f"  # script, double-struck, fraktur
)
_SUBSCRIPT = "\u2080-\u2089\u2090-\u209c\u1d62-\u1d6a\u2c7c"
ID_FIRST = f"A-Za-z_{_LETTER_LIKE}"
ID_REST = f"A-Za-z0-9_'!?{_LETTER_LIKE}{_SUBSCRIPT}"
ATOM = f"(?:[{ID_FIRST}][{ID_REST}]*|«[^»\\n]*»)"
IDENT = f"{ATOM}(?:\\.{ATOM})*"
IDENT_RE = re.compile(IDENT)
# A name as written after a declaration keyword, optionally with explicit universes `.{u v}`.
DECL_NAME_RE = re.compile(f"\\s*({IDENT})(\\.\\{{[^}}]*\\}})?")

KEYWORDS = frozenset(
    """
    fun λ Type Sort Prop if then else let have show from by at with match do in deriving
    where extends mut return suffices calc this using forall exists
    theorem lemma def abbrev structure class inductive instance axiom opaque example
    namespace section end open variable universe import private protected noncomputable
    partial unsafe nonrec termination_by decreasing_by sorry fun_prop letI haveI bif
    """.split()
)


# Notation tokens that look like identifiers (letter-like characters) for common constants.
NOTATION_CONSTANTS = {
    "ℕ": "Nat",
    "ℤ": "Int",
    "ℚ": "Rat",
    "ℝ": "Real",
    "ℂ": "Complex",
    "𝓝": "nhds",
    "𝓤": "uniformity",
    "𝓟": "Filter.principal",
    "ℝ≥0∞": "ENNReal",
    "ℝ≥0": "NNReal",
    "ℚ≥0": "NNRat",
    "ℕ∞": "ENat",
    "ℕ+": "PNat",
}


def component_split(name: str) -> list[str]:
    """Split a dotted Lean name into components, respecting `«...»`."""
    parts: list[str] = []
    buf = []
    in_guillemet = False
    for ch in name:
        if ch == "«":
            in_guillemet = True
        elif ch == "»":
            in_guillemet = False
        if ch == "." and not in_guillemet:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


_SIMPLE_ATOM = re.compile(f"[{ID_FIRST}][{ID_REST}]*$")


def normalize_name(name: str) -> str:
    """Drop `«»` around components that are plain identifiers (how Lean prints names)."""
    if "«" not in name:
        return name
    out = []
    for part in component_split(name):
        if part.startswith("«") and part.endswith("»"):
            inner = part[1:-1]
            if _SIMPLE_ATOM.match(inner) and inner not in KEYWORDS:
                part = inner
        out.append(part)
    return ".".join(out)


# Bindings that may appear inside a type (`letI := inst; P`): their `:=` does not end it.
BINDING_WORDS = ("haveI", "letI", "have", "let")
# Words that may precede a declaration keyword, and the keywords that start a declaration.
MODIFIERS = frozenset(
    {
        "private",
        "protected",
        "public",
        "noncomputable",
        "unsafe",
        "partial",
        "nonrec",
        "meta",
        "scoped",
        "local",
    }
)
DECL_KEYWORDS = frozenset(
    {
        "theorem",
        "lemma",
        "def",
        "abbrev",
        "structure",
        "class",
        "inductive",
        "instance",
        "irreducible_def",
        "opaque",
        "axiom",
        "alias",
        "example",
    }
)
