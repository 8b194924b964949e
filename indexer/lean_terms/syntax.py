"""The tables the term reader works from: brackets, binder heads, operator precedences.

Precedences are Lean 4's and Mathlib's (`infixl:65 " + "` is left binding power 65); an
operator missing here still parses, as a non-associative relation at 50.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from indexer.lean_syntax import IDENT_RE as _IDENTIFIER

BRACKETS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "⦃": "⦄",
    "⟨": "⟩",
    "⟦": "⟧",
    "⌊": "⌋",
    "⌈": "⌉",
    "⦋": "⦌",
    "⟮": "⟯",
    "⟪": "⟫",
    "⁅": "⁆",
}
CLOSERS = frozenset(BRACKETS.values())

# Heads that bind names before a `,` (or `=>`/`↦` for `fun`) and take the rest as body.
BINDER_HEADS = frozenset(
    "∀ ∃ ∃! Π Σ Σ' ∑ ∏ ∑' ∏' ∑ᶠ ∏ᶠ ⋃ ⋂ ⨆ ⨅ ∫ ∫⁻ ∮ ⨍ ⨍⁻ ∀ᶠ ∃ᶠ ∀ᵐ ∃ᵐ ∀ᵉ ∃ᵉ ⨁ ∐ ⨂ 𝔼 Π₀ fun λ".split()
)
# The binders of Lean's own term grammar (`Init/Prelude`, the term parser), never a notation
# a statement must open: a scoped notation that reuses one of them does not shadow it.
LEAN_BINDERS = frozenset("fun λ ∀ ∃ Σ Σ'".split())
# Binding heads whose body stops at an operator below this precedence (Mathlib's
# `notation3 "∑ "(...)", "r:67:(scoped f => ...)`): `∑ i, f i = s` is `(∑ i, f i) = s`.
BODY_PRECEDENCE = {
    **dict.fromkeys(("∑", "∏", "∑'", "∏'", "∑ᶠ", "∏ᶠ", "⨁", "∐", "⨂", "𝔼"), 67),
    **dict.fromkeys(("⨆", "⨅", "⋃", "⋂", "∫", "∫⁻", "∮", "⨍"), 60),
}
# Relations a binder may carry: `∀ x ∈ s,`, `∃ n > 0,`, `∑ i in s,`.
BINDER_PREDICATES = frozenset("∈ ∉ ⊆ ⊂ ⊇ ⊃ < > ≤ ≥ ≠ in".split())

# Infix operators: symbol -> (precedence, associativity "l" | "r" | "n"), as Lean core and
# Mathlib declare them, for reading without an index; with one, what its sources declare comes
# first (`Operators`). `python benchmarks/term_reader.py --index DIR --operators` lists the
# entries that disagree with an index.
INFIX: dict[str, tuple[int, str]] = {
    "<|": (10, "r"),
    "$": (10, "r"),
    "|>": (10, "l"),
    "⟶": (10, "r"),
    "≅": (10, "r"),
    "↔": (20, "n"),
    "→": (25, "r"),
    "≃": (25, "l"),
    "↪": (25, "r"),
    "→+": (25, "r"),
    "→*": (25, "r"),
    "→+*": (25, "r"),
    "→*₀": (25, "r"),
    "≃+": (25, "l"),
    "≃*": (25, "l"),
    "≃+*": (25, "l"),
    "→o": (25, "r"),
    "≃o": (25, "l"),
    "↪o": (25, "l"),
    "⥤": (26, "r"),
    "∨": (30, "r"),
    "⊕": (30, "r"),
    "∧": (35, "r"),
    "×": (35, "r"),
    "=": (50, "n"),
    "==": (50, "n"),
    "≠": (50, "n"),
    "<": (50, "n"),
    ">": (50, "n"),
    "≤": (50, "n"),
    "≥": (50, "n"),
    "∈": (50, "n"),
    "∉": (50, "n"),
    "∋": (50, "n"),
    "⊆": (50, "n"),
    "⊂": (50, "n"),
    "⊇": (50, "n"),
    "⊃": (50, "n"),
    "∣": (50, "n"),
    "≡": (50, "n"),
    "≈": (50, "n"),
    "⟂": (50, "l"),
    "≪": (50, "n"),
    "∪": (65, "l"),
    "+": (65, "l"),
    "-": (65, "l"),
    "+ᵥ": (65, "r"),
    "-ᵥ": (65, "l"),
    "⊔": (68, "l"),
    "⊓": (69, "l"),
    "*": (70, "l"),
    "/": (70, "l"),
    "%": (70, "l"),
    "∩": (70, "l"),
    "\\": (70, "n"),
    "⬝ᵥ": (72, "l"),
    "•": (73, "r"),
    "*ᵥ": (73, "r"),
    "ᵥ*": (73, "l"),
    "^": (75, "r"),
    "''": (80, "r"),
    "⁻¹'": (80, "r"),
    "≫": (80, "r"),
    "⋙": (80, "r"),
    "×ˢ": (82, "r"),
    "∘": (90, "r"),
    "∆": (100, "l"),
    "⊗": (100, "r"),
    "⊗ₜ": (100, "l"),
    "∗": (70, "l"),
    "⧸": (35, "n"),
    "::": (67, "r"),
    "++": (65, "l"),
    "<$>": (100, "r"),
    "<*>": (60, "l"),
    "*>": (60, "l"),
    "<*": (60, "l"),
    ">>=": (55, "l"),
    ">=>": (55, "l"),
    ">>": (60, "l"),
    "<|>": (20, "r"),
    "≌": (10, "r"),
    "⊣": (15, "l"),
    "◁": (81, "r"),
    "▷": (81, "l"),
    "..": (60, "n"),
    "≃ᵢ": (25, "l"),
    "→ᵇ": (25, "r"),
    "→ᵈ": (25, "l"),
    "⊑": (50, "n"),
    "≺": (50, "n"),
    "≼": (50, "n"),
    "⋖": (50, "l"),
    "⩿": (50, "l"),
    "≟": (50, "n"),
    "∼": (50, "n"),
    "≍": (50, "n"),
    "&&": (35, "l"),
    "||": (30, "l"),
    "∪ᵢ": (65, "l"),
    "⊻": (74, "l"),
    "⇔": (100, "l"),  # Mathlib's `bihimp` (`infixl:100`), not an iff
    "⇨": (60, "r"),  # `himp`
    "⊢": (50, "n"),
    "∣ₚ": (50, "n"),
    "⬝": (75, "l"),
    "∙": (70, "n"),
    "⊙": (70, "l"),
    "⊞": (20, "n"),
    "⊠": (70, "l"),
    "≤ᵣ": (50, "n"),
    "≥ᵣ": (50, "n"),
    "->": (25, "r"),
    "<->": (20, "n"),
    "~": (50, "n"),
    "<+": (50, "n"),
    "<+:": (50, "n"),
    "<:+": (50, "n"),
    "<:+:": (50, "n"),
    "≪≫": (80, "r"),
    "⊆ᶠ": (50, "n"),
    "^^^": (58, "l"),  # Lean core's bitwise operators
    "&&&": (58, "l"),
    "|||": (55, "l"),
    "<<<": (75, "l"),
    ">>>": (75, "l"),
    "•>": (73, "r"),  # Mathlib's `RightActions`
    "<•": (67, "l"),
    "<+~": (50, "n"),
    "→.": (25, "r"),  # partial functions, `α →. β`
    "\\/": (30, "r"),  # ASCII spellings Lean 4 still reads: `\/`, `/\`, `>=`, `<=`
    "/\\": (35, "r"),
    ">=": (50, "n"),
    "<=": (50, "n"),
}
# Operator families written with a subscript bracket: `→ₗ[R]`, `≃ₗ[R]`, `=ᵐ[μ]`, `=ᶠ[l]`.
SUBSCRIPTED = {
    "→ₗ": 25,
    "≃ₗ": 25,
    "→L": 25,
    "≃L": 25,
    "→ₐ": 25,
    "≃ₐ": 25,
    "→ᵃ": 25,
    "→ₗᵢ": 25,
    "≃ₗᵢ": 25,
    "→ᵇᵃ": 25,
    "=ᵐ": 50,
    "≤ᵐ": 50,
    "=ᶠ": 50,
    "≤ᶠ": 50,
    "→ₙₐ": 25,
    "→ₛₗ": 25,
    "≃ₛₗ": 25,
    "→ᵤ": 25,
    "→+[": 25,
}
# Prefix operators: symbol -> precedence of the operand.
PREFIX = {
    "¬": 40,
    "-": 75,
    "↑": 1024,
    "⇑": 1024,
    "↥": 1024,
    "√": 1024,
    "#": 1024,
    "!": 1024,
    "⋃₀": 110,
    "⋂₀": 110,
    "∏ᶜ": 60,  # categorical (co)products: `∏ᶜ f`
    "∐ᶜ": 60,
}
# Postfix operators (all at max precedence).
POSTFIX = frozenset("⁻¹ ᵐᵒᵖ ᵃᵒᵖ ˣ ᶜ ᵀ ᴴ † ⁺ ⁻ ⁺ᵐ ⁻ᵐ ᵒᵈ ! ‼ ′ ᵛ ᵒᵖ".split())
# Tokens that may start an argument of an application.
ARGUMENT_START_SYMBOLS = frozenset(
    {"@", "↑", "⇑", "↥", "·", "_", "?", "⊤", "⊥", "∅", "∞", "%[", "#"}
)
# Superscript and modifier letters (`ˢʸᵐ`, `ᗮ`, `⁻¹ʳ`, `⋆`): a run of them against a term is a
# postfix notation.
MODIFIER_LETTERS = re.compile(
    r"[\u02b0-\u02ff\u1d2c-\u1dbf\u2070-\u207f\u00b9\u00b2\u00b3\u15ee⋆]+"
)
KEYWORD_ATOMS = frozenset({"sorry", "Type", "Sort", "Prop", "True", "False"})
STOP_WORDS = frozenset(
    "then else with from at in do by := => ↦ | , : ; ∂ // extends where deriving".split()
)
# Type notations written as one word: `ℝ≥0∞`, `ℕ+`.
NOTATION_ATOMS = ("ℝ≥0∞", "ℝ≥0", "ℚ≥0", "ℕ∞", "ℕ+", "ℤ√", "ℤ[i]", "ℝ*", "λ_")
# Arrows that take modifiers written against them: `→ₗc[R]`, `→ₙ+*`, `≃ₐ[R]`, `→ᵇ`.
ARROW_HEADS = "→≃↪⟶"
ARROW_MODIFIERS = "+*₀₁₂ₐₗₙₛᵢᵤᵥₚₘₜᵃᵇᵈᵉᵐᵒᶠᴸLoc∙⋆"
RELATION_HEADS = "=≤<≠≈∼⊆⊂≥>"


@dataclass(frozen=True, eq=False)
class Operators:
    """Operators that a project's notation commands declare (`infixr:80 " ∘L " => …`), read
    from its sources into the knowledge base: the reader consults them before its own tables
    (which are for reading without an index, and Lean core's operators), so `f ∘L g + h` is
    read with `∘L` at 80, not as an unknown relation at 50. Compared and
    hashed by identity (one per knowledge base), so parses can be cached with it."""

    infix: Mapping[str, tuple[int, str]] = field(default_factory=dict)  # -> (precedence, assoc)
    prefix: Mapping[str, int] = field(default_factory=dict)  # -> the precedence of its operand
    postfix: frozenset[str] = frozenset()

    @property
    def tokens(self) -> tuple[str, ...]:
        """The operators' tokens, for the lexer."""
        return (*self.infix, *self.prefix, *sorted(self.postfix))

    @classmethod
    def declared(cls, rows: Iterable[tuple[str, str, int]]) -> Operators:
        """The operators of (token, fixity, precedence) declarations, one per declaring
        command. A token declared more than one way in one position keeps its most common
        reading; identifier-like tokens (`s`, `π`) are left out: read as operators they would
        swallow names."""
        counts = Counter(rows)
        infix: dict[str, tuple[int, str]] = {}
        prefix: dict[str, int] = {}
        postfix: set[str] = set()
        seen: set[tuple[str, str]] = set()  # (token, prefix | postfix | infix)
        for (token, fixity, precedence), _ in sorted(counts.items(), key=lambda r: (-r[1], r[0])):
            position = fixity if fixity in ("prefix", "postfix") else "infix"
            if (token, position) in seen or _IDENTIFIER.fullmatch(token):
                continue
            seen.add((token, position))
            if fixity == "prefix":
                prefix[token] = precedence
            elif fixity == "postfix":
                postfix.add(token)
            else:
                infix[token] = (precedence, {"infixl": "l", "infixr": "r"}.get(fixity, "n"))
        return cls(infix, prefix, frozenset(postfix))


NO_OPERATORS = Operators()


def infix_binding(
    op: str, declared: Mapping[str, tuple[int, str]] | None = None
) -> tuple[int, str]:
    """Precedence and associativity of an infix operator as the reader reads it and the
    printer writes it: operators the sources declare (`declared`), then the tables, then an
    operator with a bracketed subscript (`→ₗ[R]`, `⊗[R]`) at its head's precedence, then an
    arrow written with modifiers (`→ₙ+*`) at 25; anything else is a relation at 50."""
    if declared and op in declared:
        return declared[op]
    if op in INFIX:
        return INFIX[op]
    head = op.split("[", 1)[0]
    if "[" in op and (prec := SUBSCRIPTED.get(head) or INFIX.get(head, (0, ""))[0]):
        return prec, "r" if prec == 25 else "n"
    if head[:1] in ARROW_HEADS and len(op) > 1:
        return 25, "r"
    return 50, "n"
