"""Rules for sets: membership in intervals, nonempty sets."""

from __future__ import annotations

from dataclasses import replace

from formalizer.normal_form.context import Context
from formalizer.normal_form.names import substitute
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Binder, Ident, Node, Op, Quant, SetBuilder, walk
from indexer.lean_terms.names import global_names

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
    definitional=True,
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
    "`∃ x, x ∈ s` by definition (`Finset.Nonempty` too)",
    meets=[
        ("(s : Set ℕ) : s ≠ ∅", "(s : Set ℕ) : s.Nonempty"),
        ("(s : Finset ℕ) : s ≠ ∅", "(s : Finset ℕ) : Finset.Nonempty s"),
        ("(s : Set ℕ) : ∃ x, x ∈ s", "(s : Set ℕ) : Set.Nonempty s"),
        (
            "(s : Set ℕ) (h : Nonempty ↥s) : Nonempty {n : ℕ // n > 2}",
            "(s : Set ℕ) (h : ∃ x, x ∈ s) : {n : ℕ | n > 2}.Nonempty",
        ),
    ],
    apart=[
        ("(s : Set ℕ) : s = ∅", "(s : Set ℕ) : s.Nonempty"),
        ("(s : Set ℕ) : s ≠ ∅", "(s : Set ℕ) : s ≠ Set.univ"),
    ],
)
def nonempty(node: Node, ctx: Context) -> Node | None:
    """`s ≠ ∅` and `Set.Nonempty s` are `∃ x, x ∈ s`."""
    if isinstance(node, Op) and node.op == "≠" and node.fixity == "infix" and _EMPTY in node.args:
        s = node.args[0] if node.args[1] == _EMPTY else node.args[1]
        if ctx.type_head(s) in ("Set", "Finset"):
            return _exists_member(s, ctx)
    if (
        isinstance(node, App)
        and node.fn in (Ident("Set.Nonempty"), Ident("Finset.Nonempty"))
        and len(node.args) == 1
    ):
        return _exists_member(node.args[0], ctx)
    if isinstance(node, App) and node.fn == Ident("Nonempty") and len(node.args) == 1:
        (s,) = node.args  # `Nonempty ↥s` (`Set.nonempty_coe_sort`), `Nonempty {n // P n}`
        if isinstance(s, Op) and s.op == "↥" and s.fixity == "prefix":
            s = s.args[0]
        if ctx.type_head(s) == "Set" and not isinstance(s, SetBuilder):
            return _exists_member(s, ctx)
        if isinstance(s, SetBuilder) and s.subtype and not s.more:
            return Quant("∃", (s.binder,), s.body)
    return None


def _exists_member(s: Node, ctx: Context) -> Node:
    taken = {n for n, _ in global_names(s)}
    x = next(f"x{i}" for i in range(len(taken) + 1) if f"x{i}" not in taken)  # renamed later
    return Quant("∃", (Binder((x,), _element_type(s, ctx)),), Op("∈", (Ident(x), s)))


def _element_type(s: Node, ctx: Context) -> Node | None:
    """`T` for `s : Set T` and for `{x : T | …}`."""
    if isinstance(s, SetBuilder) and not s.more:
        return s.binder.type
    typ = ctx.type_of(s)
    return typ.args[-1] if isinstance(typ, App) and typ.args else None


@rule(
    "spelling",
    lemma="`Set.mem_inter_iff`, `Set.mem_union`, `Set.mem_compl_iff`, `Set.mem_iInter`, "
    "`Set.mem_iUnion`, `Set.mem_setOf_eq` (and `Finset.mem_…`)",
    meets=[
        ("(s t : Set ℕ) (x : ℕ) : x ∈ s ∩ t", "(s t : Set ℕ) (x : ℕ) : x ∈ s ∧ x ∈ t"),
        ("(s : ℕ → Set ℕ) : ∃ x, ∀ i, x ∈ s i", "(s : ℕ → Set ℕ) : (⋂ i, s i).Nonempty"),
        ("(x : ℕ) : x ∈ {y : ℕ | y < 3}", "(x : ℕ) : x < 3"),
        ("(s : Set ℕ) (x : ℕ) : x ∈ sᶜ", "(s : Set ℕ) (x : ℕ) : x ∉ s"),
    ],
    apart=[
        ("(s t : Set ℕ) (x : ℕ) : x ∈ s ∩ t", "(s t : Set ℕ) (x : ℕ) : x ∈ s ∨ x ∈ t"),
        ("(s : ℕ → Set ℕ) : ∃ x, ∀ i, x ∈ s i", "(s : ℕ → Set ℕ) : (⋃ i, s i).Nonempty"),
    ],
    definitional=True,
)
def membership(node: Node, ctx: Context) -> Node | None:
    """Membership in `∩`, `∪`, `ᶜ`, `⋂`, `⋃` and `{y | P y}` is the logic it stands for."""
    if not (isinstance(node, Op) and node.op == "∈" and node.fixity == "infix"):
        return None
    x, s = node.args
    if isinstance(s, Op) and s.fixity == "infix" and s.op in ("∩", "∪"):
        joined = "∧" if s.op == "∩" else "∨"
        return Op(joined, (Op("∈", (x, s.args[0])), Op("∈", (x, s.args[1]))))
    if isinstance(s, Op) and s.fixity == "postfix" and s.op == "ᶜ":
        return Op("∉", (x, s.args[0]))
    if isinstance(s, Quant) and s.head in ("⋂", "⋃") and len(s.binders) == 1:
        names = s.binders[0].names
        free = {n.split(".", 1)[0] for n, _ in global_names(x)}
        if s.binders[0].predicate is None and not free & set(names):
            head = "∀" if s.head == "⋂" else "∃"
            return Quant(head, s.binders, Op("∈", (x, s.body)))
    if isinstance(s, SetBuilder) and not s.more and not s.subtype and len(s.binder.names) == 1:
        free = {n.split(".", 1)[0] for n, _ in global_names(x)}
        if s.binder.predicate is None and not free & _bound_inside(s.body):
            return substitute(s.body, s.binder.names[0], x)
    return None


def _bound_inside(node: Node) -> set[str]:
    return {n for q in walk(node) if isinstance(q, Quant) for b in q.binders for n in b.names}


@rule(
    "spelling",
    lemma="`Set.infinite_coe_iff`, `Set.finite_coe_iff`; `Set.Infinite s` is `¬ s.Finite` "
    "by definition",
    meets=[
        ("(s : Set ℕ) : Infinite s", "(s : Set ℕ) : s.Infinite"),
        ("Infinite {n : ℕ | Nat.Prime n}", "¬ Set.Finite {n : ℕ | Nat.Prime n}"),
        ("(s : Set ℕ) : Finite ↥s", "(s : Set ℕ) : s.Finite"),
        ("Infinite {p : ℕ // Nat.Prime p}", "Set.Infinite {p : ℕ | p.Prime}"),
    ],
    apart=[("(s : Set ℕ) : Infinite s", "(s : Set ℕ) : s.Finite")],
)
def finiteness(node: Node, ctx: Context) -> Node | None:
    """`Infinite ↥s` and `Set.Infinite s` are `¬ Set.Finite s`; `Finite ↥s` is `Set.Finite s`."""
    if isinstance(node, App) and len(node.args) == 1 and isinstance(node.fn, Ident):
        (s,) = node.args
        if isinstance(s, Op) and s.op == "↥" and s.fixity == "prefix":
            s = s.args[0]
        if (
            isinstance(s, SetBuilder) and s.subtype
        ):  # `Infinite {p // P p}` (`Set.infinite_coe_iff`)
            s = replace(s, subtype=False)
        is_set = isinstance(s, SetBuilder) or ctx.type_head(s) == "Set"
        if node.fn.name == "Set.Infinite" or (node.fn.name == "Infinite" and is_set):
            return Op("¬", (App(Ident("Set.Finite"), (s,)),), "prefix")
        if node.fn.name == "Finite" and is_set:
            return App(Ident("Set.Finite"), (s,))
    return None
