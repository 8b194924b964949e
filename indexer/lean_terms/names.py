"""The global names a term mentions: every identifier not bound inside it.

Binders of quantifiers, `fun`, big operators, set-builders (the image form
`{f x | (x) (h : p x)}` too), `let`/`have` and `if h : c` bind names for what follows them;
a field access (`h.le`, `(f x).symm`) names no global; a named argument `(n := 5)` names a
parameter, not a constant; the universes after `Type`/`Sort` and the `X` of `R[X]` are not
terms. What is left is what a Lean-free check must resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.lean_syntax import IDENT, KEYWORDS
from indexer.lean_terms.parser import parse_term
from indexer.lean_terms.syntax import LEAN_BINDERS, NOTATION_ATOMS
from indexer.lean_terms.tree import (
    App,
    Binder,
    Bracket,
    Ident,
    If,
    Node,
    Op,
    Proj,
    Quant,
    Raw,
    SetBuilder,
    Signature,
    Typed,
)

_NOT_NAMES = frozenset(
    {"_", "·", "Type", "Sort", "Type*", "Sort*", "Prop", "()", "..", *NOTATION_ATOMS}
)
_IDENT = re.compile(IDENT)
_UNIVERSES = re.compile(r"\.\{[^}]*\}$")


def global_names(node: Node, bound: frozenset[str] = frozenset()) -> Iterator[tuple[str, int]]:
    """(name, offset) of each identifier of `node` not bound in it or in `bound`."""
    if isinstance(node, Ident):
        name = _UNIVERSES.sub("", node.name.removeprefix("@"))  # `Category.{v}` is `Category`
        at = node.span[0] + (len(node.name) - len(node.name.removeprefix("@")))
        if name in _NOT_NAMES or name in KEYWORDS or not _IDENT.fullmatch(name):
            return  # `⊤`, `∅`, `ℕ+`: notation; `.inl`: a name in the expected type
        if name.split(".", 1)[0] in bound:  # a local, or field notation on one
            return
        yield name, at
    elif isinstance(node, Quant):
        yield from _binding(node.binders, node.body, bound)
    elif isinstance(node, SetBuilder):
        if node.more:  # `{f x | (x) (h : p x)}`
            yield from _binding(node.more, node.body, bound)
        else:
            yield from _binding((node.binder,), node.body, bound)
    elif isinstance(node, Signature):
        yield from _binding(node.binders, node.type, bound)
    elif isinstance(node, Proj):
        yield from global_names(node.expr, bound)
    elif isinstance(node, Op) and "[" in node.op and node.op.endswith("]"):  # `M →ₗ[R] N`
        start = node.op.index("[") + 1
        sub = parse_term(f"({node.op[start:-1]})")  # `≃ₐ[R, S]`: read as the tuple `(R, S)`
        yield from ((n, node.at + start + k - 1) for n, k in global_names(sub, bound))
        for arg in node.args:
            yield from global_names(arg, bound)
    elif isinstance(node, Op) and node.op == ":=" and node.args:  # `(n := 5)`
        yield from global_names(node.args[-1], bound)
    elif isinstance(node, Op) and node.op == "→" and _pi_binder(node.args[0]) is not None:
        name, domain = _pi_binder(node.args[0])  # type: ignore[misc]
        yield from global_names(domain, bound)  # `(n : ℕ) → Fin n → α`
        yield from global_names(node.args[1], bound | {name})
    elif isinstance(node, App):
        if isinstance(node.fn, Ident) and node.fn.name in ("Type", "Sort"):
            return  # `Type u`: a universe
        yield from global_names(node.fn, bound)
        for arg in node.args:
            if _ring_variable(node, arg):
                continue  # the `X` of `R[X]`, `R⟦X⟧`: notation, not the polynomial `X`
            yield from global_names(arg, bound)
    elif isinstance(node, If) and node.hypothesis:
        yield from global_names(node.cond, bound)
        inner = bound | {node.hypothesis}
        yield from global_names(node.then, inner)
        yield from global_names(node.orelse, inner)
    elif isinstance(node, Raw):
        return
    else:
        for child in node.children():
            yield from global_names(child, bound)


def _binding(
    binders: tuple[Binder, ...], body: Node | None, bound: frozenset[str]
) -> Iterator[tuple[str, int]]:
    """Each binder's type, predicate and default read where the earlier names are bound."""
    for b in binders:
        for part in (b.type, b.predicate[1] if b.predicate else None, b.default):
            if part is not None:
                yield from global_names(part, bound)
        bound = bound | set(b.names)
    if body is not None:
        yield from global_names(body, bound)


def _pi_binder(node: Node) -> tuple[str, Node] | None:
    """`(n : ℕ)` on the left of an arrow: a dependent function type binding `n`."""
    if isinstance(node, Typed) and isinstance(node.expr, Ident) and node.type is not None:
        return node.expr.name, node.type
    return None


def _ring_variable(app: App, arg: Node) -> bool:
    if not isinstance(arg, Bracket) or arg.open not in ("[", "⟦") or len(arg.items) != 1:
        return False
    item = arg.items[0]
    tight = arg.span[0] == (app.args[0].span[0] if arg is app.args[0] else -1) and (
        app.fn.span[1] == arg.span[0]
    )
    return tight and isinstance(item, Ident) and item.name == "X"


def notation_used(node: Node) -> Iterator[tuple[str, int]]:
    """(token, offset) of the symbols a term uses that are not identifiers: operators,
    prefix and postfix notation, brackets, binding heads (`½ n`, `a +ᵥ b`, `∑ i, f i`) — for a
    check that each is in force where the term is read."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Ident) and not _IDENT.fullmatch(n.name.removeprefix("@")):
            yield n.name, n.span[0]
        elif isinstance(n, Op):
            yield n.op.split("[", 1)[0], n.span[0]
        elif isinstance(n, Bracket):
            yield n.open, n.span[0]
        elif isinstance(n, Quant) and n.head not in LEAN_BINDERS:
            yield n.head, n.span[0]
        stack.extend(n.children())
