"""Rules of classical logic: negations pushed inward, curried implications."""

from __future__ import annotations

from formalizer.normal_form.context import Context, visible_proposition
from formalizer.normal_form.rule import rule
from indexer.lean_terms import Node, Op, Quant
from indexer.lean_terms.names import global_names


def _negation(node: Node) -> Node | None:
    if isinstance(node, Op) and node.op == "¬" and node.fixity == "prefix":
        return node.args[0]
    return None


def _not(node: Node) -> Node:
    return Op("¬", (node,), "prefix")


@rule(
    "logic",
    lemma="`not_not` (classical)",
    meets=[("¬ ¬ p", "p")],
    apart=[("¬ ¬ p", "¬ p")],
)
def double_negation(node: Node, ctx: Context) -> Node | None:
    """`¬ ¬ P` is `P`."""
    inner = _negation(node)
    return _negation(inner) if inner is not None else None


@rule(
    "logic",
    lemma="`not_exists`, `not_forall` (classical)",
    meets=[
        ("¬ ∃ x, p x", "∀ x, ¬ p x"),
        ("¬ ∀ n : ℕ, p n", "∃ n : ℕ, ¬ p n"),
    ],
    apart=[("¬ ∃ x, p x", "∃ x, ¬ p x")],
)
def negated_quantifier(node: Node, ctx: Context) -> Node | None:
    """A negation moves inside `∃` (as `∀`) and `∀` (as `∃`)."""
    inner = _negation(node)
    if isinstance(inner, Quant) and inner.head in ("∀", "∃"):
        dual = "∃" if inner.head == "∀" else "∀"
        return Quant(dual, inner.binders, _not(inner.body))
    return None


@rule(
    "logic",
    lemma="`not_imp` (classical), `not_and_or`, `not_or`",
    meets=[
        ("¬ (p → q)", "p ∧ ¬ q"),
        ("¬ (p ∨ q)", "¬ p ∧ ¬ q"),
    ],
    apart=[("¬ (p → q)", "¬ p → q"), ("¬ (p ∨ q)", "¬ p ∨ ¬ q")],
)
def negated_connective(node: Node, ctx: Context) -> Node | None:
    """A negation moves inside `→` and `∨` (`¬ (p ∧ q)` stays: it is `p → ¬ q`, below)."""
    inner = _negation(node)
    if isinstance(inner, Op) and inner.fixity == "infix":
        a, b = inner.args
        if inner.op == "→":
            return Op("∧", (a, _not(b)))
        if inner.op == "∨":
            return Op("∧", (_not(a), _not(b)))
        if inner.op == "∧":
            return Op("→", (a, _not(b)))
    return None


@rule(
    "logic",
    lemma="`and_imp`",
    meets=[("(h : ∀ x, p x ∧ q x → r x) : s", "(h : ∀ x, p x → q x → r x) : s")],
    apart=[
        ("(h : ∀ x, p x ∧ q x → r x) : s", "(h : ∀ x, p x ∨ q x → r x) : s"),
        ("(h : ∀ x, (p x → q x) → r x) : s", "(h : ∀ x, p x → q x → r x) : s"),
    ],
)
def curry(node: Node, ctx: Context) -> Node | None:
    """A conjunction of hypotheses is several hypotheses."""
    if isinstance(node, Op) and node.op == "→" and node.fixity == "infix":
        left, right = node.args
        if isinstance(left, Op) and left.op == "∧" and left.fixity == "infix":
            return Op("→", (left.args[0], Op("→", (left.args[1], right))))
    return None


def _free_in(name: str, node: Node) -> bool:
    return any(n.split(".", 1)[0] == name for n, _ in global_names(node))


@rule(
    "logic",
    lemma="`exists_and_left`, `exists_and_right`, `forall_imp_iff_exists_imp`… (`imp_forall_iff`)",
    meets=[
        ("∃ x, p x ∧ ∃ y, q x y", "∃ x y, p x ∧ q x y"),
        ("(h : ∀ x, 0 < x → ∀ y, q x y) : r", "(h : ∀ x y, 0 < x → q x y) : r"),
    ],
    apart=[
        ("∃ x, p x ∧ ∃ y, q x y", "∃ x, p x ∨ ∃ y, q x y"),
        ("(h : ∀ x, p x → ∀ y, q x y) : r", "(h : ∀ x, (∀ y, p y) → q x x) : r"),
        ("Nonempty (ι → ∀ i, X i)", "Nonempty (∀ i, ι → X i)"),
    ],
)
def prenex(node: Node, ctx: Context) -> Node | None:
    """`P ∧ ∃ y, Q` is `∃ y, P ∧ Q` and `P → ∀ y, Q` is `∀ y, P → Q` when `P` has no `y`."""
    if not (isinstance(node, Op) and node.fixity == "infix" and node.op in ("∧", "→")):
        return None
    inner = "∃" if node.op == "∧" else "∀"
    left, right = node.args
    if node.op == "→" and not visible_proposition(left):
        return None  # `ι → ∀ i, X i` is a type, not `∀ i, ι → X i`: only a visible proposition
    if isinstance(right, Quant) and right.head == inner and len(right.binders) == 1:
        names = right.binders[0].names
        if right.binders[0].predicate is None and not any(_free_in(n, left) for n in names):
            return Quant(inner, right.binders, Op(node.op, (left, right.body)))
    if node.op == "∧" and isinstance(left, Quant) and left.head == "∃" and len(left.binders) == 1:
        names = left.binders[0].names
        if left.binders[0].predicate is None and not any(_free_in(n, right) for n in names):
            return Quant("∃", left.binders, Op("∧", (left.body, right)))
    return None


def _negated(node: Node) -> Node | None:
    """What `node` negates: `¬ P` is `P`'s negation, `a ≠ b` is `a = b`'s."""
    if isinstance(node, Op) and node.op == "¬" and node.fixity == "prefix":
        return node.args[0]
    if isinstance(node, Op) and node.op == "≠" and node.fixity == "infix":
        return Op("=", node.args)
    if isinstance(node, Op) and node.op == "∉" and node.fixity == "infix":
        return Op("∈", node.args)
    return None


@rule(
    "logic",
    lemma="`not_imp_not` (classical): `¬ A → ¬ B` is `B → A`",
    meets=[
        (
            "(f : ℝ → ℝ) (hf : ∀ x y, x ≠ y → f x ≠ f y) : True",
            "(f : ℝ → ℝ) (hf : ∀ x y, f x = f y → x = y) : True",
        )
    ],
    apart=[
        (
            "(f : ℝ → ℝ) (hf : ∀ x y, x ≠ y → f x ≠ f y) : True",
            "(f : ℝ → ℝ) (hf : ∀ x y, x = y → f x = f y) : True",
        )
    ],
)
def contrapositive(node: Node, ctx: Context) -> Node | None:
    """An implication between two negations is its contrapositive."""
    if isinstance(node, Op) and node.op == "→" and node.fixity == "infix":
        a, b = (_negated(x) for x in node.args)
        if a is not None and b is not None:
            return Op("→", (b, a))
    return None
