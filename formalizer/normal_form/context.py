"""What the rules may know about a statement besides the node in front of them.

Passed explicitly to every rule (no hidden state): whether `+` and `*` commute here, and the
types the statement gives its variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from indexer.lean_syntax import NOTATION_CONSTANTS
from indexer.lean_terms import App, Ident, Node, Op, Paren, Quant, SetBuilder, walk

# Types whose `+` and `*` commute, and that a statement about numbers writes.
NUMBER_TYPES = frozenset("ℕ ℤ ℚ ℝ ℂ Nat Int Rat Real Complex ℝ≥0 ℝ≥0∞ NNReal ENNReal".split())
NUMBER_FAMILIES = frozenset({"Fin", "ZMod"})
# Heads that make a statement's `*` non-commutative however its variables are typed.
NON_COMMUTATIVE = frozenset(
    "Matrix List Equiv Perm Equiv.Perm Ordinal Cardinal String Quaternion ℍ Function.End "
    "Module.End LinearMap ContinuousLinearMap Monoid.End AddMonoid.End Array".split()
)


@dataclass(frozen=True)
class Context:
    commutative: bool = False  # `+` and `*` may be reordered
    types: Mapping[str, Node] = field(default_factory=dict)  # local name -> its type
    universes: Mapping[str, int] = field(default_factory=dict)  # universe -> binders using it

    def type_of(self, node: Node) -> Node | None:
        """The type of a variable, or of a local function applied to arguments."""
        if isinstance(node, Ident):
            return self.types.get(node.name)
        if isinstance(node, App) and isinstance(node.fn, Ident) and node.fn.name in self.types:
            typ = self.types[node.fn.name]
            for _ in node.args:
                if not (isinstance(typ, Op) and typ.op == "→" and typ.fixity == "infix"):
                    return None
                typ = typ.args[1]
            return typ
        return None

    def scoped(self, types: Mapping[str, Node]) -> Context:
        """This context inside binders that give `types`."""
        return Context(self.commutative, {**self.types, **types}, self.universes)

    def type_head(self, node: Node) -> str | None:
        """The constant at the head of `node`'s type, where the statement says it: `Set` for a
        local `s : Set α` and for `s ∩ t`; `Nat` for `n : ℕ`."""
        if (typ := self.type_of(node)) is not None:  # `s : Set α`; `s i` with `s : ℕ → Set α`
            return head_constant(typ)
        if isinstance(node, Op) and node.op in ("∩", "∪", "\\") and node.fixity == "infix":
            return self.type_head(node.args[0])
        if isinstance(node, Op) and node.op == "ᶜ" and node.fixity == "postfix":
            return self.type_head(node.args[0])
        if isinstance(node, Quant) and node.head in ("⋂", "⋃"):
            return self.type_head(node.body)  # binders shadow nothing the statement types
        if isinstance(node, Paren):
            return self.type_head(node.inner)
        if isinstance(node, SetBuilder) and not node.subtype:
            return "Set"
        if isinstance(node, Op) and node.op == "^" and node.fixity == "infix":
            return self.type_head(node.args[0])
        if isinstance(node, Op) and node.op in ("+", "-", "*", "/") and node.fixity != "postfix":
            heads = [self.type_head(a) for a in node.args]  # `1 + z`: the operands share one
            return next((h for h in heads if h is not None), None)
        return None


# Operators whose result is a proposition (an arrow between two is one too, but it may also be
# a function type, so callers decide about `→`).
PROPOSITION_OPS = frozenset("= ≠ < ≤ > ≥ ∈ ∉ ⊆ ⊂ ∣ ∧ ∨ ↔ ¬ ≡".split())


def visible_proposition(node: Node | None) -> bool:
    """A term that is visibly a proposition: a relation, a connective, a quantifier."""
    if isinstance(node, Op):
        return node.op in PROPOSITION_OPS
    return isinstance(node, Quant) and node.head in ("∀", "∃", "∃!")


def head_constant(typ: Node | None) -> str | None:
    """`Set` of `Set α`, `Nat` of `ℕ`, `Finset` of `Finset ℕ`; None for anything else."""
    if isinstance(typ, App):
        typ = typ.fn
    if isinstance(typ, Ident) and typ.name not in ("Type", "Type*", "Sort", "Sort*", "Prop", "_"):
        return NOTATION_CONSTANTS.get(typ.name, typ.name)  # `ℕ` is `Nat`
    return None


def number_type(node: Node | None) -> bool:
    """ℕ, `Fin n`, `ℕ → ℝ`, `ℝ × ℝ`, `Set ℝ`: a type whose arithmetic commutes."""
    if isinstance(node, Ident):
        return node.name in NUMBER_TYPES
    if isinstance(node, App) and isinstance(node.fn, Ident):
        if node.fn.name in NUMBER_FAMILIES:
            return True
        if node.fn.name in ("Set", "Finset", "Polynomial", "Multiset"):
            return all(number_type(a) for a in node.args)
    if isinstance(node, Op) and node.op in ("→", "×"):
        return all(number_type(a) for a in node.args)
    return False


def mentions_non_commutative(node: Node) -> bool:
    return any(isinstance(n, Ident) and n.name in NON_COMMUTATIVE for n in walk(node))
