"""The equivalence normal form: two statements with the same form say the same thing.

    from formalizer.normal_form import normal_form
    normal_form("theorem t (x : ℝ) (h : x > 0) : x ^ 2 > 0") \
        == normal_form("example : ∀ y : ℝ, 0 < y → 0 < y ^ 2")   # True

A statement is read by the one Lean term reader (`indexer.lean_terms`), its terms rewritten by
small rules (`spelling`, `logic`, `order`; each names the lemma that makes it sound, see
`docs/normal_form_rules.md`) to a fixed point, its binders and hypotheses made one telescope,
variables named by colour refinement and bound ones by level, and the result printed. Equal
forms are equivalent (each step is a Lean equivalence); different forms may still be.
"""

from __future__ import annotations

from formalizer.normal_form import (  # noqa: F401 - importing a module registers its rules
    arithmetic,
    conclusion,
    definitions,
    elaboration,
    integers,
    logic,
    notation,
    numbers,
    order,
    sets,
    spelling,
)
from formalizer.normal_form.canonical import canonical
from formalizer.normal_form.context import Context
from formalizer.normal_form.driver import normalise
from formalizer.normal_form.rule import PHASES, RULES, Rule
from formalizer.normal_form.telescope import (
    apply_telescope_rules,
    context,
    drop_unused_names,
    from_signature,
    peel,
    prepared,
)
from formalizer.statement import StatementError, parse_statement
from indexer.lean_terms import Raw, Signature, parse_signature, walk
from indexer.lean_terms.syntax import NO_OPERATORS, Operators

__all__ = [
    "PHASES",
    "RULES",
    "Context",
    "Rule",
    "normal_form",
    "read_signature",
    "same_statement",
]


def normal_form(statement: str, strict: bool = False, operators: Operators = NO_OPERATORS) -> str:
    """The canonical text of a theorem statement, a signature (`(x : ℕ) : 0 ≤ x`) or a
    proposition. What cannot be read is its signature text, spacing squashed (enough to group
    identical candidates); with `strict`, a `StatementError` instead (a judge must not call
    two unreadable texts equivalent). `operators`: those the knowledge base's notation declares
    (`KnowledgeBase.operators()`), so that `f ∘L g + h` is read as Lean reads it."""
    if strict:
        parse_statement(statement)  # a declaration, or a StatementError naming the problem
    sig = read_signature(statement, operators)
    if isinstance(sig, Raw):
        if strict:
            raise StatementError(f"cannot read the statement: {sig.text[:80]}")
        return " ".join(sig.text.split())
    t = prepared(from_signature(sig))
    for _ in range(4):  # again while peeling or new types make work for the rules
        t = drop_unused_names(t)
        ctx = context(t)
        before = t
        t = t.map(
            lambda n, c=ctx: normalise(n, c, ("spelling", "logic")),
            named=lambda n, c=ctx: normalise(n, c, ("spelling", "logic"), definitional_only=True),
        )
        t = apply_telescope_rules(drop_unused_names(peel(t, ctx)), ctx)
        if t == before:
            break
    return canonical(t, context(t)).print()


def same_statement(a: str, b: str) -> bool:
    """Whether two statements have one normal form (so say the same thing); False when either
    cannot be read."""
    try:
        return normal_form(a, strict=True) == normal_form(b, strict=True)
    except StatementError:
        try:  # unreadable: equal only as the same text (after the theorem's name)
            same = parse_statement(a).signature.split() == parse_statement(b).signature.split()
        except StatementError:
            return False
        return same


def read_signature(statement: str, operators: Operators = NO_OPERATORS) -> Signature | Raw:
    """A declaration (`theorem t … := …`), a signature or a bare proposition, as a tree."""
    try:
        text = parse_statement(statement).signature
    except StatementError:
        text = statement.strip()
    for candidate in (text, f": {text}"):
        sig = parse_signature(candidate, operators=operators)
        if isinstance(sig, Signature) and not any(isinstance(n, Raw) for n in walk(sig)):
            return sig
    return Raw(text, span=(0, len(text)))
