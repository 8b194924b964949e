"""Lexical facts of Lean 4 that the parser needs: identifiers, brackets, binders.

Character classes follow Lean's `isIdFirst` / `isIdRest` (`Init/Meta.lean`): ASCII letters,
`_`, and "letter-like" Unicode (Greek except λ Π Σ, Coptic, the letter-like symbols block,
mathematical script/double-struck letters); `'`, `!`, `?`, digits and subscripts may follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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
# An identifier that is not a field access (`x.foo`, `(f x).bar`, `.inl`, `x.@foo`).
_REF_RE = re.compile(f"(?<![.{ID_REST}])(?<!\\.@){IDENT}")
# A name as written after a declaration keyword, optionally with explicit universes `.{u v}`.
DECL_NAME_RE = re.compile(f"\\s*({IDENT})(\\.\\{{[^}}]*\\}})?")

KEYWORDS = frozenset(
    """
    fun λ Type Sort Prop if then else let have show from by at with match do in deriving
    where extends mut return suffices calc this using forall exists
    theorem lemma def abbrev structure class inductive instance axiom opaque example
    namespace section end open variable universe import private protected noncomputable
    partial unsafe nonrec termination_by decreasing_by sorry fun_prop letI haveI
    """.split()
)

OPEN = "([{⦃⟨⟦"
CLOSE = ")]}⦄⟩⟧"
_BRACKET_RE = re.compile(r"[(\[{⦃⟨⟦)\]}⦄⟩⟧]")

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

# Quantifier-like notations whose next names are bound variables.
_BINDER_START = re.compile(
    r"(?<![\w.'])(?:∀ᶠ|∃ᶠ|∀ᵐ|∃ᵐ|∃!|∀|∃|Π|Σ'?|∑'?|∏'?|∑ᶠ|∏ᶠ|⨆|⨅|⋃(?!₀)|⋂(?!₀)|∫⁻|∫|∮|⨁|∐|⨂|"
    r"\bfun\b|λ|\blet\b|\bhave\b)"
)
_BINDER_STOP = re.compile(r",|=>|↦|:=")
_BINDER_HEAD_STOP = re.compile(r":|∈|∉|\bin\b|⊆|⊂|⊇|⊃|<|≤|>|≥|≠|∣|=")


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


def matching_brackets(text: str) -> dict[int, int]:
    """Map each opening bracket offset to its closing offset (unbalanced ones are left out)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _BRACKET_RE.finditer(text):
        ch = m.group()
        if ch in OPEN:
            stack.append(m.start())
        elif stack:
            pairs[stack.pop()] = m.start()
    return pairs


@lru_cache(maxsize=256)
def _with_brackets(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(f"([(\\[{{⦃⟨⟦])|([)\\]}}⦄⟩⟧])|(?:{pattern.pattern})", pattern.flags)


def depth_zero_find(text: str, pattern: re.Pattern[str], start: int = 0) -> re.Match[str] | None:
    """First match of `pattern` outside any bracket, scanning from `start`.

    The returned match is one of a combined pattern: use `.start()`, `.end()` and `.group()`.
    """
    depth = 0
    for m in _with_brackets(pattern).finditer(text, start):
        if m.group(1):
            depth += 1
        elif m.group(2):
            if depth:
                depth -= 1
        elif depth == 0:
            return m
    return None


# Bindings that may appear inside a type (`letI := inst; P`): their `:=` does not end it.
BINDING_WORDS = ("haveI", "letI", "have", "let")
BINDING = rf"(?<![\w.'])(?:{'|'.join(BINDING_WORDS)})(?![\w'?!])"
_ASSIGN_OR_BINDING = re.compile(r":=|" + BINDING)


def top_level_assign(text: str) -> re.Match[str] | None:
    """The top-level `:=` that ends a type: not the `:=` of a `haveI`/`letI`/`have`/`let`
    written in the type itself (`letI := inst; P := default`)."""
    bindings, start = 0, 0
    while (m := depth_zero_find(text, _ASSIGN_OR_BINDING, start)) is not None:
        start = m.end()
        if m.group() != ":=":
            bindings += 1
        elif bindings:
            bindings -= 1
        else:
            return m
    return None


_LINE_PIECES = re.compile(r"[(\[{⦃⟨⟦]|[)\]}⦄⟩⟧]|:=|;|\n|" + BINDING)


def one_line(text: str) -> str:
    """`text` with its whitespace collapsed. A line break that ends the value of a `haveI`/
    `letI`/`have`/`let` in a type separates like `;` there, so it becomes `; ` (else `letI :=
    i` and the next line `P` would read as the application `i P`)."""
    out: list[str] = []
    last, depth, awaiting, in_value = 0, 0, 0, 0
    for m in _LINE_PIECES.finditer(text):
        tok = m.group()
        if tok in OPEN:
            depth += 1
        elif tok in CLOSE:
            depth = max(depth - 1, 0)
        elif depth:
            continue
        elif tok == ":=" and awaiting:
            awaiting, in_value = awaiting - 1, in_value + 1
        elif tok == ";":
            in_value = max(in_value - 1, 0)
        elif tok == "\n" and in_value:
            in_value -= 1
            out.append(text[last : m.start()] + ";")
            last = m.start()
        elif tok in BINDING_WORDS:
            awaiting += 1
    out.append(text[last:])
    return " ".join("".join(out).split())


def idents(text: str) -> Iterable[re.Match[str]]:
    """Identifier tokens of `text` that are not field accesses (`x.foo`, `(f x).bar`, `.inl`)."""
    return _REF_RE.finditer(text)


def _head_names(head: str) -> list[str]:
    # the term reader imports this module's character classes, so it is imported here
    from indexer.lean_terms.split import binder_groups

    names: list[str] = []
    pairs = matching_brackets(head)
    if pairs:
        for group in binder_groups(head):
            names.extend(group.names)
        return names
    return [m.group() for m in idents(head) if m.group() not in KEYWORDS]


@lru_cache(maxsize=4096)
def bound_names(text: str) -> frozenset[str]:
    """Names bound inside `text` by quantifiers, `fun`, big operators and set-builder notation."""
    bound: set[str] = set()
    for m in _BINDER_START.finditer(text):
        stop = depth_zero_find(text, _BINDER_STOP, m.end())
        if stop is None or stop.start() - m.end() > 300:
            continue
        span = text[m.end() : stop.start()]
        head_stop = depth_zero_find(span, _BINDER_HEAD_STOP)
        head = span[: head_stop.start()] if head_stop else span
        bound.update(_head_names(head))
    if "|" in text or "//" in text:
        pairs = matching_brackets(text)
        for open_at, close_at in pairs.items():
            if text[open_at] != "{":
                continue
            inner = text[open_at + 1 : close_at]
            bar = depth_zero_find(inner, re.compile(r"\||//"))
            if bar is None:
                continue
            head = inner[: bar.start()]
            head_stop = depth_zero_find(head, _BINDER_HEAD_STOP)
            bound.update(_head_names(head[: head_stop.start()] if head_stop else head))
    return frozenset(bound)


_BY_RE = re.compile(r"\bby\b")
_UNIVERSE_ARG = re.compile(f"\\b(?:Type|Sort)\\s+{ATOM}")


@lru_cache(maxsize=4096)
def candidate_names(text: str) -> tuple[tuple[str, str], ...]:
    """(name, first component) of each global-looking identifier in `text`, in order.

    Tactic blocks (`(h : p := by simp)`) and universe arguments (`Type u`) are skipped.
    Cached, since the same `variable` binders are read for many declarations.
    """
    if "by" in text:
        pairs = matching_brackets(text)
        for m in reversed(list(_BY_RE.finditer(text))):
            close = min((c for o, c in pairs.items() if o < m.start() < c), default=len(text))
            text = text[: m.start()] + " " * (close - m.start()) + text[close:]
    if "Type" in text or "Sort" in text:
        text = _UNIVERSE_ARG.sub(" ", text)
    out: dict[str, str] = {}
    for name in _REF_RE.findall(text):
        if name in out or name in KEYWORDS or name == "_":
            continue
        out[name] = name.split(".", 1)[0]
    return tuple(
        (normalize_name(NOTATION_CONSTANTS.get(name, name)), first) for name, first in out.items()
    )


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
