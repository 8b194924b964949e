"""Rules of arithmetic that hold in every monoid (so they need no commutativity)."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import Node, Num, Op


@rule(
    "spelling",
    lemma="`sq`, `pow_two` (any monoid)",
    meets=[
        ("(x : ℝ) : x ^ 2 = 1", "(x : ℝ) : x * x = 1"),
        ("(h : ∀ r : R, r ^ 2 = r) : p", "(h : ∀ r : R, r * r = r) : p"),
    ],
    apart=[
        ("(x : ℝ) : x ^ 2 = 1", "(x : ℝ) : x * 2 = 1"),
        ("(x : ℝ) : x ^ 3 = 1", "(x : ℝ) : x * x = 1"),
    ],
)
def square(node: Node, ctx: Context) -> Node | None:
    """`a ^ 2` is `a * a`."""
    if isinstance(node, Op) and node.op == "^" and node.fixity == "infix":
        base, exponent = node.args
        if isinstance(exponent, Num) and exponent.text == "2":
            return Op("*", (base, base))
    return None
