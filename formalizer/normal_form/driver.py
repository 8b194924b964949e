"""Apply the rules of each phase to every node until nothing changes."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import PHASES, Rule, rules_of
from indexer.lean_terms import Node
from indexer.lean_terms.tree import transform

_ROUNDS = 20  # a rule set that loops is a bug; this bound makes it a wrong answer, not a hang


def normalise(
    node: Node, ctx: Context, phases: tuple[str, ...] = PHASES, definitional_only: bool = False
) -> Node:
    """`node` with every rule of `phases` applied, phase by phase, each to a fixed point, and
    the sequence again while a later phase made work for an earlier one (`¬ ∃` becomes
    `∀ … ¬ (a = b)`, which spelling writes `a ≠ b`). `definitional_only`: only the rules
    that keep a term definitionally equal (for types that other terms depend on)."""
    for _ in range(_ROUNDS):
        before = node
        for phase in phases:
            node = _fixed_point(node, ctx, rules_of(phase, definitional_only))
        if node == before:
            break
    return node


def _fixed_point(node: Node, ctx: Context, rules: list[Rule]) -> Node:
    def at_node(n: Node) -> Node:
        for _ in range(_ROUNDS):
            for r in rules:
                out = r.rewrite(n, ctx)
                if out is not None and out != n:
                    n = out
                    break
            else:
                return n
        return n

    for _ in range(_ROUNDS):
        out = transform(node, at_node)
        if out == node:
            return out
        node = out
    return node
