"""Apply the rules of each phase to every node until nothing changes.

Each node is rewritten in its own context: inside `∀ n : ℕ, …` or `{p : ℕ | …}` the rules know
`n` and `p` are natural numbers (the bound name shadowing any outer one), while the binders'
own types and predicates are read in the context around them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import PHASES, Rule, rules_of
from indexer.lean_terms import Binder, Node, Quant, SetBuilder
from indexer.lean_terms.tree import map_children

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
    def at_node(n: Node, here: Context) -> Node:
        for _ in range(_ROUNDS):
            for r in rules:
                out = r.rewrite(n, here)
                if out is not None and out != n:
                    n = out
                    break
            else:
                return n
        return n

    for _ in range(_ROUNDS):
        out = scoped_transform(node, ctx, at_node)
        if out == node:
            return out
        node = out
    return node


def scoped_transform(node: Node, ctx: Context, f: Callable[[Node, Context], Node]) -> Node:
    """Rewrite bottom-up, as `tree.transform`, giving `f` each node's context: a quantifier's
    or set-builder's body is in the context its typed binders extend."""

    def outer(child: Node) -> Node:
        return scoped_transform(child, ctx, f)

    binders = _binders(node)
    types = {n: b.type for b in binders for n in b.names if b.type is not None}
    if not types:
        return f(map_children(node, outer), ctx)
    inner = ctx.scoped(types)
    new_binders = tuple(map_children(b, outer) for b in binders)
    body = scoped_transform(node.body, inner, f)  # type: ignore[union-attr]
    if body is node.body and all(a is b for a, b in zip(new_binders, binders, strict=True)):  # type: ignore[union-attr]
        return f(node, ctx)
    if isinstance(node, Quant):
        return f(replace(node, binders=new_binders, body=body), ctx)
    first, *more = new_binders
    return f(replace(node, binder=first, more=tuple(more), body=body), ctx)


def _binders(node: Node) -> tuple[Binder, ...]:
    if isinstance(node, Quant):
        return node.binders
    if isinstance(node, SetBuilder):
        return (node.binder, *node.more)
    return ()
