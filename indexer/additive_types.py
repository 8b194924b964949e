"""Types in `@[to_additive]` signatures: reading a declaration's type as the translator needs
it (heads, elements, domains and results of arrows), unifying a pattern with a type, and a
global's signature as a `GlobalType`. Pure functions over `indexer.lean_terms` trees."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.lean_terms import (
    App,
    Bracket,
    Ident,
    Node,
    Num,
    Op,
    Paren,
    Proj,
    Quant,
    Raw,
    SetBuilder,
    Signature,
    parse_signature,
)

# Operations whose operands share the result's type.

_RELATIONS = frozenset({"=", "≠", "<", ">", "≤", "≥", "∣", "≡", "≈", "⊆", "⊂", "⊇", "⊃"})
_SORTS = ("Type", "Sort", "Type*", "Sort*", "Prop")


@dataclass(frozen=True)
class GlobalType:
    """What a global constant's signature says: its explicit binders' types, the type it
    returns, and the type variables both may mention."""

    explicit: tuple[Node | None, ...]
    result: Node | None
    variables: frozenset[str]


def is_sort(typ: Node, prop: bool = False) -> bool:
    """A universe (`Type*`, `Sort u`, `Prop`); with `prop`, only `Prop`."""
    if prop:
        return isinstance(typ, Ident) and typ.name == "Prop"
    if isinstance(typ, Ident):
        return typ.name in _SORTS
    if isinstance(typ, App) and isinstance(typ.fn, Ident):
        return typ.fn.name in ("Type", "Sort")
    return False


# The namespace of a type written in notation, for field notation (`g.prod` for `g : α →₀ M`)
_TYPE_HEADS = {
    "→₀": "Finsupp",
    "→*": "MonoidHom",
    "→+": "AddMonoidHom",
    "≃*": "MulEquiv",
    "≃+": "AddEquiv",
    "→ₙ*": "MulHom",
    "→ₙ+": "AddHom",
    "→+*": "RingHom",
    "≃+*": "RingEquiv",
    "≃": "Equiv",
    "↪": "Function.Embedding",
    "→ᵇ": "BoundedContinuousFunction",
    "→ₗ": "LinearMap",
    "≃ₗ": "LinearEquiv",
    "→L": "ContinuousLinearMap",
    "ˣ": "Units",
    "ᵐᵒᵖ": "MulOpposite",
    "ᵃᵒᵖ": "AddOpposite",
    "ℕ": "Nat",
    "ℤ": "Int",
    "ℚ": "Rat",
    "ℝ": "Real",
    "ℂ": "Complex",
}


def head_name(typ: Node | None) -> str | None:
    """The constant a type is built with, as a namespace: `Finset` for `Finset α`,
    `Finsupp` for `α →₀ M`, `Units` for `Mˣ`."""
    while isinstance(typ, (App, Paren)):
        typ = typ.fn if isinstance(typ, App) else typ.inner
    if isinstance(typ, Op):
        op = typ.op.split("[", 1)[0]
        return _TYPE_HEADS.get(op)
    if isinstance(typ, Ident):
        return _TYPE_HEADS.get(typ.name, typ.name)
    return None


def element(typ: Node | None) -> Node | None:
    if (
        isinstance(typ, App)
        and isinstance(typ.fn, Ident)
        and typ.args
        and typ.fn.name.rpartition(".")[2] in ("List", "Array", "Vector", "Finset", "Set")
    ):
        return typ.args[0]
    return codomain(typ)


def walk_all(sig: Signature) -> list[Node]:
    """Every node of a signature, binders included."""
    out: list[Node] = []
    stack: list[Node] = [*sig.binders, *([sig.type] if sig.type is not None else [])]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children())
        if isinstance(n, (Quant, SetBuilder)):
            stack.extend(n.binders if isinstance(n, Quant) else (n.binder,))
    return out


def result(typ: Node) -> Node:
    """The type a function of type `typ` returns (`ι → M` gives `M`)."""
    while (arrow := _arrow(typ)) is not None:
        typ = arrow.args[1]
    return typ


def is_prop_like(typ: Node) -> bool:
    """A proposition used as a type (`(h : a ≤ b)`), not a type of values."""
    if isinstance(typ, Op) and typ.op in _RELATIONS | {"∧", "∨", "↔", "¬", "∈", "∉"}:
        return True
    return isinstance(typ, Quant) and typ.head in ("∀", "∃", "∃!")


def atomic(node: Node) -> bool:
    return isinstance(node, (Ident, Num, Paren, Bracket, Proj)) or (
        isinstance(node, Op) and node.fixity == "postfix"
    )


def only_mentions(node: Node, names: frozenset[str]) -> bool:
    """Whether `node` (a type) is built from `names` alone, applied constants aside
    (`Mˣ`, `Finset α`): as fixed as what those variables become, as `additiveTest` reads it."""
    if isinstance(node, Ident):
        return node.name in names
    if isinstance(node, App):
        return all(only_mentions(a, names) for a in node.args)
    if isinstance(node, Paren):
        return only_mentions(node.inner, names)
    if isinstance(node, Op):
        return all(only_mentions(a, names) for a in node.args)
    return False


def unify(pattern: Node, actual: Node, variables: frozenset[str], subst: dict[str, Node]) -> None:
    """Bind `variables` of `pattern` (a type from a global's signature) to the parts of
    `actual` in the same places; parts that do not line up are left unbound."""
    while isinstance(pattern, Paren):
        pattern = pattern.inner
    while isinstance(actual, Paren):
        actual = actual.inner
    if isinstance(pattern, Ident):
        if pattern.name in variables and pattern.name not in subst:
            subst[pattern.name] = actual
        return
    if (
        isinstance(pattern, App)
        and isinstance(actual, App)
        and len(pattern.args) == len(actual.args)
    ):
        unify(pattern.fn, actual.fn, variables, subst)
        for a, b in zip(pattern.args, actual.args):
            unify(a, b, variables, subst)
    elif isinstance(pattern, Op) and isinstance(actual, Op) and pattern.op == actual.op:
        for a, b in zip(pattern.args, actual.args):
            unify(a, b, variables, subst)


def substitute(node: Node, subst: dict[str, Node]) -> Node:
    """`node` with the bound variables replaced (spans are those of the pattern)."""
    if not subst:
        return node
    if isinstance(node, Ident):
        return subst.get(node.name, node)
    if isinstance(node, App):
        return App(substitute(node.fn, subst), tuple(substitute(a, subst) for a in node.args))
    if isinstance(node, Op):
        return Op(node.op, tuple(substitute(a, subst) for a in node.args), node.fixity)
    if isinstance(node, Paren):
        return substitute(node.inner, subst)
    return node


def mentions(node: Node, names: frozenset[str]) -> bool:
    if isinstance(node, Ident):
        return node.name in names
    return any(mentions(c, names) for c in node.children())


def _arrow(typ: Node | None) -> Op | None:
    while isinstance(typ, Paren):
        typ = typ.inner
    if isinstance(typ, Op) and typ.fixity == "infix" and typ.op[:1] in "→≃↪":
        return typ
    return None


def domain(typ: Node | None) -> Node | None:
    arrow = _arrow(typ)
    return arrow.args[0] if arrow is not None else None


def codomain(typ: Node | None) -> Node | None:
    arrow = _arrow(typ)
    return arrow.args[1] if arrow is not None else None


def global_type(signature: str) -> GlobalType | None:
    """A global constant's signature read for `translate`: None when unreadable."""
    sig = parse_signature(signature)
    if isinstance(sig, Raw):
        return None
    variables: set[str] = set()
    explicit: list[Node | None] = []
    for b in sig.binders:
        if b.type is None or is_sort(b.type):
            variables.update(b.names)
        if b.bracket == "(":
            explicit.extend([b.type] * len(b.names))
    result = sig.type
    # `(f : α → β)` binders keep their arrows; a result written as an arrow takes more args
    while (arrow := _arrow(result)) is not None:
        explicit.append(arrow.args[0])
        result = arrow.args[1]
    return GlobalType(tuple(explicit), result, frozenset(variables))
