"""Coarse types: a Lean-free check that each argument has the kind of type its function asks for.

A statement can name only declarations that exist and still not elaborate: under `open Set`,
`range n` is `Set.range` given a number where it takes a function, and
`Finset.card (Icc 1 n)` counts a `Set` (no coercion makes it a `Finset`). Lean rejects both
with a type mismatch; so does a model that dropped a namespace or picked the wrong overload.
(A big operator over a `Set`, `∑ i ∈ Icc 1 n, f i`, is fine: Mathlib inserts `toFinset`.)

The check reads only a few type *heads*: the number types, `Set`, `Finset`, `Multiset`,
`List`, `Filter`, `Prop` and function types. It takes them from binders, from declarations'
signatures (or their values, for a definition written without a type: `Set.Icc`), and from
arithmetic on them, and reports an argument whose head no coercion Lean inserts turns into its
parameter's. Any other term has no head and is never judged: the check says nothing where it
cannot be sure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from formalizer.identifiers import IdentifierChecker
from formalizer.normal_form.context import Context, head_constant
from formalizer.statement import LeanStatement, header_variables
from indexer.lean_terms import (
    App,
    Binder,
    Bracket,
    Ident,
    Node,
    Num,
    Op,
    Paren,
    Quant,
    SetBuilder,
    Signature,
    Typed,
    parse_signature,
    parse_term,
)
from indexer.lean_terms.printer import to_lean
from indexer.models import DEFINITION_KINDS

NUMBERS = ("Nat", "Int", "Rat", "Real", "Complex", "NNReal", "ENNReal")
CONTAINERS = frozenset({"Set", "Finset", "Multiset", "List", "Filter"})
FUNCTION = "function"
PROP = "Prop"
_NUMERAL = "numeral"  # a literal: any number type, never judged on its own

# Coercions Lean inserts between heads (argument -> parameter), besides a head to itself.
_COERCIONS = {
    "Nat": {"Int", "Rat", "Real", "Complex", "NNReal", "ENNReal"},
    "Int": {"Rat", "Real", "Complex"},
    "Rat": {"Real", "Complex"},
    "Real": {"Complex"},
    "NNReal": {"Real", "Complex", "ENNReal"},
    "Finset": {"Set"},
    "List": {"Multiset"},
    "Set": {FUNCTION},  # `Set α` unfolds to `α → Prop`
    FUNCTION: {"Set"},
}
# The number a mixed arithmetic term takes (`n + x` with `n : ℕ`, `x : ℝ` is real: Lean lifts
# both operands to the larger type)
_RANK = {"Nat": 0, "Int": 1, "Rat": 2, "Real": 3, "Complex": 4}
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
_PROPOSITIONS = frozenset("= ≠ < ≤ > ≥ ∈ ∉ ⊆ ⊂ ∣ ∧ ∨ ↔ ¬".split())
_BIG_OPERATORS = frozenset({"∑", "∏"})  # `∑ x ∈ s, f x` is `Finset.sum (finset% s) f`
# Heads of what no argument can be applied to (no coercion to a function). Not `Set`:
# `Set α` unfolds to `α → Prop`.
_NOT_FUNCTIONS = frozenset({*NUMBERS, "Finset", "Multiset", "List", "Filter", PROP})


def compatible(argument: str, parameter: str) -> bool:
    """Whether a term of head `argument` can stand where `parameter` is expected."""
    return argument == parameter or parameter in _COERCIONS.get(argument, ())


def type_head(typ: Node | None) -> str | None:
    """The head of a type as written: `ℕ` -> Nat, `Set α` -> Set, `α → β` -> function."""
    while isinstance(typ, Paren):
        typ = typ.inner
    if isinstance(typ, Op) and typ.op == "→" and typ.fixity == "infix":
        return FUNCTION
    if isinstance(typ, Quant) and typ.head == "∀":
        return FUNCTION
    if isinstance(typ, Ident) and typ.name == "Prop":
        return PROP
    head = head_constant(typ)
    if head in NUMBERS and isinstance(typ, Ident):
        return head
    if head in CONTAINERS and isinstance(typ, App):
        return head
    return None


@dataclass(frozen=True)
class Parameters:
    """What a declaration takes and gives: its explicit parameters' types, in order, and the
    head of what a full application returns (None when unknown)."""

    explicit: tuple[Node | None, ...]
    result: str | None
    optional: bool  # an explicit parameter has a default value or an auto-param


def parameters(signature: str) -> tuple[list[Binder], Node | None] | None:
    """A declaration's parameters, then those its type adds after the colon (`∀ x : T, …`,
    `T → …`), and the type they leave; None when unreadable."""
    sig = parse_signature(signature)
    if not isinstance(sig, Signature):
        return None
    binders, result = list(sig.binders), sig.type
    while True:
        if isinstance(result, Quant) and result.head == "∀":
            binders += [replace(b, bracket=b.bracket or "(") for b in result.binders]
            result = result.body
        elif isinstance(result, Op) and result.op == "→" and result.fixity == "infix":
            binders.append(Binder(("_",), result.args[0], "("))
            result = result.args[1]
        else:
            return binders, result


class TypeChecker:
    """Judges the arguments of one statement against the knowledge base's signatures."""

    def __init__(self, idents: IdentifierChecker):
        self.idents = idents
        self._parameters: dict[str, Parameters | None] = {}
        self._longer: dict[str, tuple[str, ...]] = {}

    def problems(self, stmt: LeanStatement, tree: Node) -> list[str]:
        """Each argument whose head cannot be its parameter's, once per text."""
        opens, namespace = tuple(stmt.opens), stmt.namespace
        found: dict[str, None] = {}

        def is_notation(name: str) -> bool:
            return self.idents.notation(name, opens, namespace) is not None

        def resolve(name: str) -> str | None:
            """The one declaration `name` can be. Not a notation (`π`, `𝓕`: one token may
            stand for several constants), and not a name reached through a namespace or an
            `open` when the same name exists at the root too: Lean elaborates both then
            (`dist` in `namespace Nat` may be `Nat.dist` or `dist`) and keeps what fits."""
            if is_notation(name):
                return None
            f = self.idents.finding(name, opens, namespace)
            if f.status != "found" or f.resolved is None:
                return None
            if f.resolved != name and self.idents.kb.entry(name) is not None:
                return None
            return f.resolved

        header = Context(types=dict.fromkeys(header_variables(stmt.header)))  # types unread
        text = f"{stmt.binders}:{stmt.conclusion}"  # as `statement_tree` reads it
        _Walk(self, resolve, is_notation, found, text).signature(tree, header)
        return list(found)

    def longer_tokens(self, op: str) -> tuple[str, ...]:
        """Notation tokens that start with the operator `op` and go on (`∣[` for `∣`)."""
        if op not in self._longer:
            tokens = self.idents.kb.notation_tokens()
            self._longer[op] = tuple(t for t in tokens if t.startswith(op) and t != op)
        return self._longer[op]

    def declaration(self, full: str) -> Parameters | None:
        """The parameters of a definition, structure or class of the index (cached)."""
        if full not in self._parameters:
            self._parameters[full] = self._read(full)
        return self._parameters[full]

    def _read(self, full: str) -> Parameters | None:
        decl = self.idents.kb.get(full)
        if decl is None or decl.kind not in DEFINITION_KINDS:
            return None
        if any(v.startswith("(") and v not in decl.signature for v in decl.variables):
            return None  # an explicit `variable` its value may use, which Lean adds in front
        read = parameters(decl.signature)
        if read is None:
            return None
        binders, result = read
        explicit = [b for b in binders if b.bracket in ("(", "")]
        head = type_head(result)
        if result is None and decl.value:  # `def Icc (a b : α) := {x | a ≤ x ∧ x ≤ b}`
            head = _value_head(parse_term(decl.value))
        return Parameters(
            explicit=tuple(b.type for b in explicit for _ in b.names),
            result=head,
            optional=any(b.default is not None for b in explicit),
        )


def _value_head(value: Node) -> str | None:
    """The head of a definition's value where its form alone says it (a set-builder is a
    `Set` where nothing else is expected)."""
    while isinstance(value, Paren):
        value = value.inner
    if isinstance(value, SetBuilder) and not value.subtype:
        return "Set"
    return _form_head(value)


def _form_head(node: Node) -> str | None:
    """The head a term's form alone gives: `(e : T)` T's, `fun` a function, a quantifier or a
    relation a proposition."""
    if isinstance(node, Typed):
        return type_head(node.type)
    if isinstance(node, Quant) and node.head in ("fun", "λ"):
        return FUNCTION
    if isinstance(node, Quant) and node.head in ("∀", "∃", "∃!"):
        return PROP
    if isinstance(node, Op) and node.op in _PROPOSITIONS and node.fixity != "postfix":
        return PROP
    return None


class _Walk:
    """One pass over a statement's tree with the types its binders give in scope."""

    def __init__(
        self,
        checker: TypeChecker,
        resolve: Callable[[str], str | None],
        is_notation: Callable[[str], bool],
        found: dict[str, None],
        text: str,
    ):
        self.text = text  # what the tree's spans point into
        self.checker = checker
        self.resolve = resolve
        self.is_notation = is_notation
        self.found = found

    def signature(self, tree: Node, ctx: Context) -> None:
        if not isinstance(tree, Signature):
            return
        for b in tree.binders:
            self.node(b, ctx)
            ctx = _bind(ctx, b)
        if tree.type is not None:
            self.node(tree.type, ctx)

    def node(self, node: Node, ctx: Context) -> None:
        if isinstance(node, Quant):
            inner = ctx
            for b in node.binders:
                self.node(b, inner)
                inner = _bind(inner, b)
                if node.head in _BIG_OPERATORS and b.predicate and b.predicate[0] in ("∈", "in"):
                    self.domain(node.head, b.predicate[1], ctx)
            self.node(node.body, inner)
            return
        if isinstance(node, SetBuilder):
            inner = _bind(ctx, node.binder)
            self.node(node.binder, ctx)
            for b in node.more:
                self.node(b, inner)
                inner = _bind(inner, b)
            self.node(node.body, inner)
            return
        if isinstance(node, App):
            self.application(node, ctx)
        for child in node.children():
            self.node(child, ctx)

    def domain(self, head: str, domain: Node, ctx: Context) -> None:
        got = self.head(domain, ctx)
        if got not in (None, _NUMERAL, FUNCTION, "Finset", "Set"):  # a set gets `toFinset`
            self.found[
                f"`{head} x ∈ s` runs over a `Finset` (or a finite `Set`), and "
                f"`{_text(domain)}` is {_name(got, article=True)}"
            ] = None

    def application(self, app: App, ctx: Context) -> None:
        fn = app.fn
        if not isinstance(fn, Ident) or self.local(fn.name, ctx) or self.operator_inside(app):
            return
        full = self.resolve(fn.name)
        params = full and self.checker.declaration(full)
        if not params:
            return
        for i, arg in enumerate(_arguments(app)):
            if isinstance(arg, Op) and arg.op == ":=":
                return  # named arguments move the positional ones: not followed
            if i >= len(params.explicit):
                if params.result in _NOT_FUNCTIONS:
                    self.found[
                        f"`{full}` takes {_count(len(params.explicit))} and is given "
                        f"{len(_arguments(app))}: what it returns is "
                        f"{_name(params.result, article=True)}"
                        ", not a function"
                    ] = None
                return
            expected = type_head(params.explicit[i])
            got = self.head(arg, ctx)
            if expected is None or got in (None, _NUMERAL) or compatible(got, expected):
                continue
            self.found[
                f"`{full}` takes {_name(expected, article=True)} as its {_ordinal(i + 1)} "
                f"explicit argument, and `{_text(arg)}` is {_name(got, article=True)}"
            ] = None

    def split_token(self, op: Op) -> bool:
        """Whether the text at `op` goes on into a longer notation token (`∣[k]`, the slash
        action, read as `∣` and `[k]`): then the reader did not read what Lean reads."""
        return op.at >= 0 and any(
            self.text.startswith(t, op.at) for t in self.checker.longer_tokens(op.op)
        )

    def operator_inside(self, app: App) -> bool:
        """Whether an argument is a notation's token (`Disjoint on s` with `on` a scoped infix
        the reader took for a name): then these are not the application's arguments."""
        return any(isinstance(a, Ident) and self.is_notation(a.name) for a in app.args)

    def local(self, name: str, ctx: Context) -> bool:
        return name.split(".", 1)[0] in ctx.types

    def head(self, node: Node, ctx: Context) -> str | None:
        """The head of `node`'s type where the statement and the index say it. A set-builder
        has none: `{x | p x}` is a `Finset` where one is expected (Mathlib's notation)."""
        if isinstance(node, Paren) and _cdots(node.inner):
            return FUNCTION  # `(· ≤ ·)`
        while isinstance(node, Paren):
            node = node.inner
        if _cdots(node):
            return None  # the body of a `·` function: the function is its parentheses
        if isinstance(node, Num):
            return _NUMERAL
        if isinstance(node, Ident):
            if self.local(node.name, ctx):
                return type_head(ctx.types[node.name]) if node.name in ctx.types else None
            full = self.resolve(node.name)
            params = full and self.checker.declaration(full)
            if not params:
                return None
            if params.explicit:
                return FUNCTION if not params.optional else None
            return params.result
        if isinstance(node, App) and isinstance(node.fn, Ident):
            if self.operator_inside(node):
                return None
            if self.local(node.fn.name, ctx):
                return type_head(ctx.type_of(node))
            full = self.resolve(node.fn.name)
            params = full and self.checker.declaration(full)
            if (
                not params
                or params.optional
                or any(isinstance(a, Op) and a.op == ":=" for a in _arguments(node))
            ):
                return None
            return params.result if len(_arguments(node)) == len(params.explicit) else None
        if isinstance(node, Op) and self.split_token(node):
            return None
        if (form := _form_head(node)) is not None:
            return form
        if isinstance(node, Op):
            if node.op in _ARITHMETIC and node.fixity == "infix":
                return _join(self.head(node.args[0], ctx), self.head(node.args[1], ctx))
            if node.op == "-" and node.fixity == "prefix":
                return self.head(node.args[0], ctx)
            if node.op == "^" and node.fixity == "infix":
                base = self.head(node.args[0], ctx)
                return base if base in NUMBERS or base == _NUMERAL else None
        return None


# Brackets an argument may start with; any other (`[MOD` of `a ≡ b [MOD n]`) is a notation's
# continuation, which the reader cannot tell from an argument: arguments end before it
_ARGUMENT_BRACKETS = frozenset({"(", "[", "{", "⟨", "⦃", "⟦", "|", "‖", "⌊", "⌈", "![", "#["})


def _arguments(app: App) -> tuple[Node, ...]:
    """`app`'s arguments up to the first that may be a notation's continuation, or that is
    written against what comes before it (`R[X]`, `Measurable[m] f`, `l[i]`: an index or a
    postfix notation, never an argument)."""
    before = app.fn
    for i, arg in enumerate(app.args):
        if isinstance(arg, Bracket) and arg.open not in _ARGUMENT_BRACKETS:
            return app.args[:i]
        if isinstance(arg, Bracket) and arg.open == "[" and arg.span[0] == before.span[1]:
            return app.args[: max(i - 1, 0)]  # `l[0]` is one term, its `l` no argument
        before = arg
    return app.args


def _cdots(node: Node) -> bool:
    """Whether `node` has a `·` placeholder outside any parentheses of its own."""
    if isinstance(node, Ident):
        return node.name == "·"
    return not isinstance(node, Paren) and any(_cdots(c) for c in node.children())


def _join(a: str | None, b: str | None) -> str | None:
    """The number type of `a + b` (a numeral takes the other side's)."""
    if a == _NUMERAL:
        return b
    if b == _NUMERAL or a == b:
        return a
    if a in _RANK and b in _RANK:
        return a if _RANK[a] > _RANK[b] else b
    return None


def _bind(ctx: Context, b: Binder) -> Context:
    """`ctx` inside binder `b`: its names shadow globals, typed where it says."""
    if b.bracket == "[":
        return ctx
    return ctx.scoped({n: b.type for n in b.names if n and n != "_"})


def _name(head: str, article: bool = False) -> str:
    word = {FUNCTION: "function", PROP: "proposition"}.get(head, f"`{head}`")
    if not article:
        return word
    return ("an " if word.strip("`")[0] in "aeiouAEIOU" else "a ") + word


def _ordinal(n: int) -> str:
    return f"{n}" + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def _count(n: int) -> str:
    return f"{n} explicit argument" + ("" if n == 1 else "s")


def _text(node: Node) -> str:
    text = to_lean(node)
    return text if len(text) <= 40 else text[:37] + "..."
