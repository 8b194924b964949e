"""Rules that need a variable's type, run again inside binders that give one: the statement's
context knows its own variables; `∀ n : ℕ, …` and `{p : ℕ | …}` add theirs."""

from __future__ import annotations

from dataclasses import replace

from formalizer.normal_form.context import Context
from formalizer.normal_form.elaboration import elided_binder_type, field_notation, natural_prime
from formalizer.normal_form.integers import integer_bounds, remainders
from formalizer.normal_form.numbers import settle_numbers
from formalizer.normal_form.rule import rule
from indexer.lean_terms import Node, Quant, SetBuilder
from indexer.lean_terms.tree import transform

_TYPED = (
    field_notation,
    natural_prime,
    elided_binder_type,
    settle_numbers,
    remainders,
    integer_bounds,
)


@rule(
    "spelling",
    lemma="the rules above, with a bound variable's type taken from its binder",
    meets=[
        (
            "(a : ℕ → ℝ) (h : ∀ n, a n = 1 / (n + 1)) : True",
            "(a : ℕ → ℝ) (h : ∀ n : ℕ, a n = 1 / ((n : ℝ) + 1)) : True",
        ),
        ("Set.Infinite {p : ℕ | p.Prime ∧ p > 2}", "Set.Infinite {p : ℕ | Nat.Prime p ∧ 3 ≤ p}"),
    ],
    apart=[
        (
            "(a : ℕ → ℝ) (h : ∀ n : ℕ, a n = 1 / ((n + 1 : ℕ) : ℝ)) : True",
            "(a : ℕ → ℝ) (h : ∀ n : ℕ, a n = 1 / ((n : ℝ) + 2)) : True",
        ),
        ("Set.Infinite {p : ℕ | p.Prime ∧ p > 2}", "Set.Infinite {p : ℕ | Nat.Prime p ∧ 2 ≤ p}"),
    ],
)
def typed_binders(node: Node, ctx: Context) -> Node | None:
    """Casts, field notation, `Prime`, parity and bounds inside typed binders."""
    if isinstance(node, Quant):
        binders, body = node.binders, node.body
    elif isinstance(node, SetBuilder) and not node.more:
        binders, body = (node.binder,), node.body
    else:
        return None
    scope = {n: b.type for b in binders for n in b.names if b.type is not None}
    if not scope:
        return None
    inner = ctx.scoped(scope)

    def at(n: Node) -> Node:
        for r in _TYPED:
            out = r(n, inner)
            if out is not None:
                return out
        return n

    new = transform(body, at)
    if new == body:
        return None
    if isinstance(node, Quant):
        return Quant(node.head, node.binders, new)
    return replace(node, body=new)
