"""The nodes of a Lean term. Immutable; each keeps `span`, the source offsets it was read from.

`Raw` holds what the parser could not read (its source text), so a tree always exists and
callers can tell how much of a text was understood.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Node:
    span: Span = field(default=(0, 0), kw_only=True, compare=False)

    def children(self) -> Iterator[Node]:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Node):
                yield value
            elif isinstance(value, tuple):
                for v in value:
                    if isinstance(v, Node):
                        yield v


@dataclass(frozen=True, slots=True)
class Ident(Node):
    """A name (`Finset.sum`, `x`, `ℕ`), a keyword atom (`Type`, `sorry`) or a hole (`_`, `·`)."""

    name: str


@dataclass(frozen=True, slots=True)
class Num(Node):
    text: str


@dataclass(frozen=True, slots=True)
class Str(Node):
    text: str


@dataclass(frozen=True, slots=True)
class App(Node):
    """`fn a b c`; a named argument `(x := e)` is an `Op(":=", (Ident x, e))`."""

    fn: Node
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Op(Node):
    """An operator applied to its operands: infix (two), prefix or postfix (one)."""

    op: str
    args: tuple[Node, ...]
    fixity: str = "infix"  # infix | prefix | postfix
    at: int = field(default=-1, kw_only=True, compare=False)  # where an infix `op` starts


@dataclass(frozen=True, slots=True)
class Paren(Node):
    """`(e)`: kept so that printing can keep the parentheses the text had."""

    inner: Node


@dataclass(frozen=True, slots=True)
class Typed(Node):
    """`(e : T)`, a type ascription (`(e :)` has `type` None)."""

    expr: Node
    type: Node | None


@dataclass(frozen=True, slots=True)
class Bracket(Node):
    """`(a, b)`, `{a, b}`, `[a, b]`, `⌊x⌋`, `|x|`, `‖x‖`: items between two delimiters."""

    open: str
    close: str
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Anon(Node):
    """`⟨a, b⟩`, an anonymous constructor."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Proj(Node):
    """`e.field` / `e.1`: field access on a term that is not a plain name."""

    expr: Node
    field: str


@dataclass(frozen=True, slots=True)
class Binder(Node):
    """One binder group: `(x y : T)`, `{α}`, `[Group G]`, `x ∈ s`, `(f := default)`.

    `bracket` is the opening bracket ("" for a bare name); `predicate` is a binder relation
    and its right side (`∈ s`, `> 0`); `default` a default value or auto-param tactic."""

    names: tuple[str, ...]
    type: Node | None = None
    bracket: str = ""
    predicate: tuple[str, Node] | None = None
    default: Node | None = None

    def children(self) -> Iterator[Node]:
        for value in (self.type, self.predicate[1] if self.predicate else None, self.default):
            if value is not None:
                yield value


@dataclass(frozen=True, slots=True)
class Quant(Node):
    """A binding head with its binders and body: `∀ x ∈ s, p x`, `fun x ↦ e`, `∑ i, f i`."""

    head: str
    binders: tuple[Binder, ...]
    body: Node


@dataclass(frozen=True, slots=True)
class SetBuilder(Node):
    """`{x | p x}`, `{x : T | p x}`, `{x ∈ s | p x}`; the image form `{f x | (x) (h : p x)}`,
    whose binders come after the bar (`more`) and bind in the term before it (`body`); and
    the subtype `{x // p x}` (`subtype`: a type, not a set)."""

    binder: Binder
    body: Node
    more: tuple[Binder, ...] = ()
    subtype: bool = False

    def children(self) -> Iterator[Node]:
        yield self.binder
        yield from self.more
        yield self.body


@dataclass(frozen=True, slots=True)
class If(Node):
    cond: Node
    then: Node
    orelse: Node
    hypothesis: str | None = None  # `if h : c then ...`


@dataclass(frozen=True, slots=True)
class Raw(Node):
    """Text the parser could not read."""

    text: str


@dataclass(frozen=True, slots=True)
class Signature(Node):
    """A declaration's header after its name: binder groups, then the type after `:`."""

    binders: tuple[Binder, ...]
    type: Node | None


def walk(node: Node) -> Iterator[Node]:
    """`node` and every node below it, parents before children."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(list(n.children())))


def map_children(node: Node, f: Callable[[Node], Node]) -> Node:
    """`node` with `f` applied to each direct child (binder types, predicates and defaults
    included); the same object when nothing changed, so rewriting to a fixed point can stop."""
    changes = {}
    for fl in fields(node):
        if fl.name == "span":
            continue
        value = getattr(node, fl.name)
        new = _map_value(value, f)
        if new is not value:
            changes[fl.name] = new
    return replace(node, **changes) if changes else node


def _map_value(value: object, f: Callable[[Node], Node]) -> object:
    if isinstance(value, Node):
        return f(value)
    if isinstance(value, tuple) and value:
        mapped = tuple(_map_value(v, f) for v in value)
        return value if all(m is v for m, v in zip(mapped, value, strict=True)) else mapped
    return value


def transform(node: Node, f: Callable[[Node], Node]) -> Node:
    """Rewrite bottom-up: children first, then `f` on the node they make."""
    return f(map_children(node, lambda child: transform(child, f)))
