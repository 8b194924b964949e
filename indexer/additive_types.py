"""Types in `@[to_additive]` signatures: reading a declaration's type as the translator needs
it (heads, elements, domains and results of arrows), unifying a pattern with a type, a
global's signature as a `GlobalType`, and `TypeInference`, the translator's reading of the
type of each term of the signature."""

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
    Typed,
    parse_signature,
)
from indexer.lean_terms.tree import If

RELATIONS = frozenset({"=", "≠", "<", ">", "≤", "≥", "∣", "≡", "≈", "⊆", "⊂", "⊇", "⊃"})
# Operations whose operands share the result's type.
HOMOGENEOUS = frozenset({"+", "-", "*", "/", "%", "⊔", "⊓", "∪", "∩", "\\"})
PROP = Ident("Prop")
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
    if isinstance(typ, Op) and typ.op in RELATIONS | {"∧", "∨", "↔", "¬", "∈", "∉"}:
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


class TypeInference:
    """The types of the terms of the signature being translated, as far as its binders and
    the globals' signatures say. Mixed into `additive._Translator`: uses its `scope` (locals
    and type variables), `globals` and `names`."""

    def element_type(self, collection: Node) -> Node | None:
        """`ι` for a collection of type `Finset ι` / `Set ι` / `List ι` / `Multiset ι`."""
        typ = self.type_of(collection)
        if (
            isinstance(typ, App)
            and isinstance(typ.fn, Ident)
            and len(typ.args) == 1
            and typ.fn.name.rpartition(".")[2] in ("Finset", "Set", "List", "Multiset")
        ):
            return typ.args[0]
        if (
            isinstance(collection, App)
            and isinstance(collection.fn, Ident)
            and collection.fn.name.rpartition(".")[2] in ("range", "Icc", "Ico", "Ioc", "Ioo")
        ):
            return self.type_of(collection.args[-1])
        return None

    # ----------------------------------------------------------------- typing
    def type_of(self, node: Node) -> Node | None:
        """The type of `node` where the signature says it; None when it does not."""
        if isinstance(node, Ident) and node.name in self.scope.locals:
            return self.scope.locals[node.name]
        if isinstance(node, (Ident, Proj)):
            return self.call_type(node, ())
        if isinstance(node, (Paren,)):
            return self.type_of(node.inner)
        if isinstance(node, Typed):
            return node.type
        if isinstance(node, App):
            return self.application_type(node)
        if isinstance(node, Op):
            if node.op in RELATIONS or node.op in ("∧", "∨", "↔", "¬", "∈", "∉"):
                return PROP
            if node.fixity == "infix" and node.op in HOMOGENEOUS:
                return self.type_of(node.args[0]) or self.type_of(node.args[1])
            if node.op == "^":
                return self.type_of(node.args[0])
            if node.op in ("•", "+ᵥ"):
                return self.type_of(node.args[1])
            if node.op in ("⁻¹", "-") and len(node.args) == 1:
                return self.type_of(node.args[0])
            if node.op in ("!", "#"):  # `n !`, `#s` (a cardinality)
                return Ident("ℕ")
            if node.op == "^[":  # `f^[n]`, an iterate: the same function type
                return self.type_of(node.args[0])
            if node.op == "⇑" and len(node.args) == 1:  # a function coercion: same carriers
                return self.type_of(node.args[0])
            return None
        if isinstance(node, Quant) and node.head in ("∑", "∏", "∑ᶠ", "∏ᶠ", "∑'", "∏'"):
            with self.binding(node.binders):
                return self.type_of(node.body)
        if isinstance(node, Quant) and node.head in ("∀", "∃", "∃!"):
            return PROP
        if isinstance(node, Quant) and node.head in ("fun", "λ"):
            with self.binding(node.binders):
                body = self.type_of(node.body)
            if body is None:
                return None
            for b in reversed(node.binders):
                for _ in b.names:
                    body = Op("→", (b.type or Ident("_"), body))
            return body
        if isinstance(node, Bracket) and node.open in ("|", "‖") and node.items:
            return self.type_of(node.items[0]) if node.open == "|" else Ident("ℝ")
        if isinstance(node, If):
            return self.type_of(node.then) or self.type_of(node.orelse)
        return None

    def call(self, fn: Node, args: tuple[Node, ...]) -> tuple[GlobalType, tuple] | None:
        """The global constant `fn` applies and its arguments, field notation read as Lean
        does (`H.relIndex K` is `Subgroup.relIndex H K` for `H : Subgroup G`)."""
        if isinstance(fn, Ident):
            name = fn.name.lstrip("@")
            head, dot, field = name.partition(".")
            if dot and head in self.scope.locals:
                return self.field_call(self.scope.locals[head], field, Ident(head), args)
            if name in self.scope.locals:
                return None
            g = self.globals(name)
            return (g, args) if g is not None else None
        if isinstance(fn, Proj):
            return self.field_call(self.type_of(fn.expr), fn.field, fn.expr, args)
        return None

    def field_call(
        self, typ: Node | None, field: str, receiver: Node, args: tuple[Node, ...]
    ) -> tuple[GlobalType, tuple] | None:
        *path, last = field.split(".")
        for part in path:
            receiver = Proj(receiver, part)
            typ = self.call_type(receiver, ())
        head = head_name(typ)
        if head is None or last.isdigit():
            return None
        g = self.globals(f"{head}.{last}")
        if g is None:
            return None
        # Lean passes the receiver as the first explicit argument of the namespace's type
        at = next((i for i, t in enumerate(g.explicit) if head_name(t) == head), 0)
        at = min(at, len(args))
        return (g, (*args[:at], receiver, *args[at:]))

    def call_type(self, fn: Node, args: tuple[Node, ...]) -> Node | None:
        """The type of `fn args` for a global (or field) function `fn`: its result when that
        does not depend on its own type variables; a projection `.1`/`.2` of a pair."""
        if isinstance(fn, Proj) and fn.field in ("1", "2", "fst", "snd") and not args:
            pair = self.type_of(fn.expr)
            while isinstance(pair, Paren):
                pair = pair.inner
            if isinstance(pair, Op) and pair.op == "×":
                return pair.args[0] if fn.field in ("1", "fst") else pair.args[1]
            return None
        found = self.call(fn, args)
        if found is None:
            return None
        g, all_args = found
        if len(all_args) > len(g.explicit):
            return None
        result = g.result
        for t in g.explicit[len(all_args) :][::-1]:  # partial application: a function
            result = Op("→", (t or Ident("_"), result or Ident("_")))
        return self.closed(result, g, all_args)

    def application_type(self, node: App) -> Node | None:
        fn = node.fn
        if isinstance(fn, Ident) and fn.name in self.scope.locals:
            typ = self.scope.locals[fn.name]
            if (
                len(node.args) == 1
                and isinstance(node.args[0], Bracket)
                and node.args[0].open == "["
            ):
                return element(typ)  # `L[i]`: an element of a list or array
            for _ in node.args:
                typ = codomain(typ)
            return typ
        return self.call_type(fn, node.args)

    def solve(
        self, g: GlobalType, args: tuple[Node, ...], result: Node | None = None
    ) -> dict[str, Node]:
        """The global's type variables, matched against its arguments' types (and, when the
        context expects one, its result type): `List.map f l` with `l : List G` has α = G."""
        subst: dict[str, Node] = {}
        if result is not None and g.result is not None:
            unify(g.result, result, g.variables, subst)
        for binder_type, arg in zip(g.explicit, args):
            if binder_type is not None:
                got = self.type_of(arg)
                if got is not None:
                    unify(binder_type, got, g.variables, subst)
        return subst

    def closed(self, typ: Node | None, g: GlobalType, args: tuple[Node, ...] = ()) -> Node | None:
        """`typ`, from a global's signature, once its type variables are solved from the
        arguments; None while it still depends on some."""
        if typ is None:
            return None
        typ = substitute(typ, self.solve(g, args))
        return None if mentions(typ, g.variables) else typ
