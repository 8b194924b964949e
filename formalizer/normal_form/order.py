"""Rules that put operands in one order: symmetric relations, and the AC operators.

They run last, on trees whose names are already canonical, and order operands by their
printed text.
"""

from __future__ import annotations

import math

from formalizer.normal_form.context import Context, mentions_non_commutative
from formalizer.normal_form.rule import rule
from indexer.lean_terms import Node, Num, Op
from indexer.lean_terms.printer import to_lean
from indexer.lean_terms.syntax import infix_binding

_SYMMETRIC = ("=", "≠", "↔")
_PROPOSITIONAL = ("∧", "∨")
_ARITHMETIC = ("+", "*")


@rule(
    "order",
    lemma="`eq_comm`, `ne_comm`, `iff_comm`",
    meets=[("a + 1 = b", "b = a + 1"), ("p ↔ q", "q ↔ p")],
    apart=[("a - 1 = b", "b - 1 = a"), ("a ≤ b", "b ≤ a")],
)
def symmetric_relation(node: Node, ctx: Context) -> Node | None:
    """The operands of `=`, `≠` and `↔` in printed order."""
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _SYMMETRIC:
        a, b = node.args
        if to_lean(b) < to_lean(a):
            return Op(node.op, (b, a))
    return None


@rule(
    "order",
    lemma="`and_comm`, `and_assoc`, `or_comm`, `or_assoc`",
    meets=[("p ∧ (q ∧ r)", "(r ∧ p) ∧ q"), ("p ∨ q", "q ∨ p")],
    apart=[("p ∧ q", "p ∨ q"), ("p ∧ q → r", "p ∧ r → q")],
)
def propositional_operands(node: Node, ctx: Context) -> Node | None:
    """A chain of `∧` (or of `∨`) is flat and sorted."""
    if isinstance(node, Op) and node.fixity == "infix" and node.op in _PROPOSITIONAL:
        return _sorted_chain(node)
    return None


@rule(
    "order",
    lemma="`add_comm`, `add_assoc`, `mul_comm`, `mul_assoc` (commutative number types only)",
    meets=[
        ("(x y : ℝ) : x * y + 1 = 2", "(x y : ℝ) : 1 + y * x = 2"),
        ("(a b c : ℕ) : a + (b + c) = 0", "(a b c : ℕ) : (c + a) + b = 0"),
        ("(a : ℕ) : 1 + a + 1 = 5", "(a : ℕ) : 2 + a = 5"),
    ],
    apart=[
        (
            "{G : Type*} [Group G] (x y : G) (h : x ≠ 1) : x * y = y",
            "{G : Type*} [Group G] (x y : G) (h : x ≠ 1) : y * x = y",
        ),
        (
            "(A B : Matrix (Fin 2) (Fin 2) ℝ) (h : A ≠ 0) : A * B = B",
            "(A B : Matrix (Fin 2) (Fin 2) ℝ) (h : A ≠ 0) : B * A = B",
        ),
        ("(a b : ℝ) (h : a < b) : a - b = 1", "(a b : ℝ) (h : a < b) : b - a = 1"),
        ("(x y : ℝ) (h : x < y) : x * 2 = y", "(x y : ℝ) (h : x < y) : y * 2 = x"),
        ("(h : Irrational (m * x)) : Irrational x", "(h : Irrational (x * m)) : Irrational x"),
    ],
)
def arithmetic_operands(node: Node, ctx: Context) -> Node | None:
    """A chain of `+` (or of `*`) is flat and sorted, where every variable is a number."""
    if (
        ctx.commutative
        and isinstance(node, Op)
        and node.fixity == "infix"
        and node.op in _ARITHMETIC
        and not mentions_non_commutative(node)
    ):
        return _sorted_chain(node, combine_numerals=True)
    return None


def _sorted_chain(node: Op, combine_numerals: bool = False) -> Node | None:
    """The chain's operands sorted, nested the way the operator associates; with
    `combine_numerals`, its numerals worked out into one (`1 + x + 1` is `2 + x`)."""
    operands = _chain(node, node.op)
    if combine_numerals:
        numbers = [int(o.text) for o in operands if isinstance(o, Num) and o.text.isdigit()]
        if len(numbers) > 1:
            total = sum(numbers) if node.op == "+" else math.prod(numbers)
            rest = [o for o in operands if not (isinstance(o, Num) and o.text.isdigit())]
            operands = [Num(str(total)), *rest]
    ordered = sorted(operands, key=to_lean)
    if infix_binding(node.op)[1] == "r":  # `p ∧ q ∧ r` is `p ∧ (q ∧ r)`
        out: Node = ordered[-1]
        for operand in reversed(ordered[:-1]):
            out = Op(node.op, (operand, out))
    else:
        out = ordered[0]
        for operand in ordered[1:]:
            out = Op(node.op, (out, operand))
    return None if out == node else out


def _chain(node: Node, op: str) -> list[Node]:
    if isinstance(node, Op) and node.op == op and node.fixity == "infix":
        return _chain(node.args[0], op) + _chain(node.args[1], op)
    return [node]
