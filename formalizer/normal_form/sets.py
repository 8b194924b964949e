"""Rules for sets: membership in intervals, nonempty sets."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Ident, Node, Op, Quant

_INTERVALS = {
    "Icc": ("≤", "≤"),
    "Ico": ("≤", "<"),
    "Ioc": ("<", "≤"),
    "Ioo": ("<", "<"),
}
_EMPTY = Ident("∅")


@rule(
    "spelling",
    lemma="`Set.mem_Icc`, `Set.mem_Ico`, `Set.mem_Ioc`, `Set.mem_Ioo` (and `Finset.mem_…`)",
    meets=[
        ("x ∈ Set.Icc 0 1", "0 ≤ x ∧ x ≤ 1"),
        ("x ∈ Finset.Ico a b", "a ≤ x ∧ x < b"),
    ],
    apart=[("x ∈ Set.Icc 0 1", "0 < x ∧ x ≤ 1"), ("x ∈ Set.Ioo 0 1", "0 ≤ x ∧ x < 1")],
)
def interval_membership(node: Node, ctx: Context) -> Node | None:
    """Membership in a bounded interval is two inequalities."""
    if not (isinstance(node, Op) and node.op == "∈" and node.fixity == "infix"):
        return None
    x, interval = node.args
    if not (isinstance(interval, App) and isinstance(interval.fn, Ident)):
        return None
    space, _, last = interval.fn.name.rpartition(".")
    if last not in _INTERVALS or space not in ("", "Set", "Finset") or len(interval.args) != 2:
        return None
    lower, upper = _INTERVALS[last]
    a, b = interval.args
    return Op("∧", (Op(lower, (a, x)), Op(upper, (x, b))))


@rule(
    "spelling",
    lemma="`Set.nonempty_iff_ne_empty`, `Finset.nonempty_iff_ne_empty`; `Set.Nonempty s` is "
    "`∃ x, x ∈ s` by definition",
    meets=[
        ("(s : Set ℕ) : s ≠ ∅", "(s : Set ℕ) : s.Nonempty"),
        ("(s : Finset ℕ) : s ≠ ∅", "(s : Finset ℕ) : Finset.Nonempty s"),
        ("(s : Set ℕ) : ∃ x, x ∈ s", "(s : Set ℕ) : Set.Nonempty s"),
    ],
    apart=[
        ("(s : Set ℕ) : s = ∅", "(s : Set ℕ) : s.Nonempty"),
        ("(s : Set ℕ) : s ≠ ∅", "(s : Set ℕ) : s ≠ Set.univ"),
    ],
)
def nonempty(node: Node, ctx: Context) -> Node | None:
    """`s ≠ ∅` and `∃ x, x ∈ s` are `Set.Nonempty s` (`Finset.Nonempty`)."""
    if isinstance(node, Op) and node.op == "≠" and node.fixity == "infix" and _EMPTY in node.args:
        s = node.args[0] if node.args[1] == _EMPTY else node.args[1]
        head = ctx.type_head(s)
        if head in ("Set", "Finset"):
            return App(Ident(f"{head}.Nonempty"), (s,))
    if isinstance(node, Quant) and node.head == "∃" and len(node.binders) == 1:
        if len(node.binders[0].names) != 1:
            return None
        (name,) = node.binders[0].names
        body = node.body
        if (
            isinstance(body, Op)
            and body.op == "∈"
            and body.args[0] == Ident(name)
            and ctx.type_head(body.args[1]) == "Set"
            and node.binders[0].predicate is None
        ):
            return App(Ident("Set.Nonempty"), (body.args[1],))
    return None
