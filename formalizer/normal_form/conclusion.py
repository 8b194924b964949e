"""Rules for a theorem's conclusion only: what it asserts when it names a proposition
indirectly. They run on the conclusion before its leading `∀`/`→` become binders."""

from __future__ import annotations

from formalizer.normal_form.context import Context
from formalizer.normal_form.rule import rule
from indexer.lean_terms import App, Binder, Ident, Node, Op, Quant

_FALSE = Ident("False")
# A conclusion `CommGroup G` under `[Group G]` cannot be meant as data: people mean `*` commutes.
_COMMUTATIVE_CLASSES = frozenset(
    {"CommRing", "CommGroup", "CommMonoid", "CommSemigroup", "CommSemiring", "Std.Commutative"}
)


@rule(
    "conclusion",
    lemma="`Not` is `fun a ↦ a → False`; `Ne a b` is `a = b → False`",
    meets=[
        (
            "(G : Type*) [Group G] (h : IsSimpleGroup G) : False",
            "(G : Type*) [Group G] : ¬ IsSimpleGroup G",
        ),
        ("(x : ℕ) (h : x = 3) : False", "(x : ℕ) : x ≠ 3"),
    ],
    apart=[
        ("(x : ℕ) : ¬ x = 3", "(x : ℕ) : x = 3"),
        ("(x : ℕ) (h : x < 0) : False", "(x : ℕ) : x ≠ 0"),
    ],
)
def negation_as_false(node: Node, ctx: Context) -> Node | None:
    """A negated conclusion is a hypothesis and `False`."""
    if isinstance(node, Op) and node.op == "¬" and node.fixity == "prefix":
        return Op("→", (node.args[0], _FALSE))
    if isinstance(node, Op) and node.op == "≠" and node.fixity == "infix":
        return Op("→", (Op("=", node.args), _FALSE))
    return None


@rule(
    "conclusion",
    lemma="a theorem asserts a proposition: `CommGroup G` under `[Group G]` is read as "
    "`∀ a b : G, a * b = b * a` (`mul_comm`), as people mean it",
    meets=[
        (
            "(G : Type*) [Group G] (h : Nat.card G = 5) : CommGroup G",
            "(G : Type*) [Group G] (h : Nat.card G = 5) (a b : G) : a * b = b * a",
        ),
        (
            "(R : Type*) [Ring R] (h : ∀ x : R, x ^ 3 = x) : CommRing R",
            "(R : Type*) [Ring R] (h : ∀ x : R, x ^ 3 = x) : ∀ x y : R, x * y = y * x",
        ),
    ],
    apart=[
        (
            "(G : Type*) [Group G] (h : Nat.card G = 5) : CommGroup G",
            "(G : Type*) [Group G] (h : Nat.card G = 5) (a b : G) : a * b = a * b",
        )
    ],
)
def commutativity_class(node: Node, ctx: Context) -> Node | None:
    """A commutative structure as the conclusion is the equation `a * b = b * a`."""
    if not (isinstance(node, App) and isinstance(node.fn, Ident)):
        return None
    name, args = node.fn.name, node.args
    class_of_one = name in _COMMUTATIVE_CLASSES and len(args) == 1
    is_commutative = name == "IsCommutative" and len(args) == 2 and args[1] == Ident("Mul.mul")
    if not (class_of_one or is_commutative):
        return None
    carrier = args[0]
    x, y = [n for n in ("_a", "_b", "_c", "_d") if n not in ctx.types][:2]  # renamed later
    a, b = Ident(x), Ident(y)
    body = Op("=", (Op("*", (a, b)), Op("*", (b, a))))
    return Quant("∀", (Binder((x,), carrier),), Quant("∀", (Binder((y,), carrier),), body))
