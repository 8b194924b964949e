"""Statements that say nothing: the check that keeps a model's filler from passing as an answer.

A model that cannot formalize often still writes a statement every Lean-free check accepts:
`theorem t : True`, `x = x`, a conclusion that repeats a hypothesis, a `sorry` in the type.
Each is refused here with the reason, so `formalize` marks it best effort, the repair round
asks again, and `eval formalization` does not count it as a pass.
"""

from __future__ import annotations

from indexer.lean_terms import Binder, Op, Paren, Quant, Raw, parse_signature, parse_term, walk
from indexer.lean_terms.tree import Ident, Node

_REFLEXIVE = frozenset({"=", "↔", "≤", "≥", "⊆", "⊇", "∣", "≡", "≈"})


def _text(node: Node, source: str) -> str:
    return " ".join(source[node.span[0] : node.span[1]].split())


def _strip(node: Node) -> Node:
    while isinstance(node, Paren):
        node = node.inner
    return node


def _body(node: Node) -> tuple[Node, list[Node]]:
    """The conclusion under `∀`s and `→`s, and the hypotheses met on the way."""
    hyps: list[Node] = []
    node = _strip(node)
    while True:
        if isinstance(node, Quant) and node.head == "∀":
            hyps.extend(b.type for b in node.binders if b.type is not None)
            node = _strip(node.body)
        elif isinstance(node, Op) and node.op == "→" and node.fixity == "infix":
            hyps.append(node.args[0])
            node = _strip(node.args[1])
        else:
            return node, hyps


def vacuity(binders: str, conclusion: str) -> str | None:
    """Why a statement with these binders and conclusion is vacuous, or None."""
    tree = parse_term(conclusion)
    if isinstance(tree, Raw):
        return None  # unreadable here: the other checks speak for it
    if any(isinstance(n, Ident) and n.name == "sorry" for n in walk(tree)):
        return "its type contains `sorry`"
    goal, hyps = _body(tree)
    if isinstance(goal, Ident) and goal.name == "True":
        return "it concludes `True`"
    if isinstance(goal, Op) and goal.op in _REFLEXIVE and goal.fixity == "infix":
        left, right = (_text(a, conclusion) for a in goal.args)
        if left == right:
            return f"its conclusion `{_text(goal, conclusion)}` holds by reflexivity"
    said = {_text(h, conclusion) for h in hyps}
    sig = parse_signature(f"{binders} : True")
    if not isinstance(sig, Raw):
        text = f"{binders} : True"
        said |= {_text(b.type, text) for b in sig.binders if isinstance(b, Binder) and b.type}
    if _text(goal, conclusion) in said:
        return f"its conclusion `{_text(goal, conclusion)}` is one of its hypotheses"
    return None
