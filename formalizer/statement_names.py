"""A statement's names written out in full, read against the knowledge base (for the
structural judge and for grouping the formalizer's candidates).

Two formalizations of one problem often differ only in how they name things: `card G` under
`open Fintype` is `Fintype.card G`; `H.Normal` for `H : Subgroup G` is `Subgroup.Normal H`;
`QuotientMap` is a deprecated alias of `Topology.IsQuotientMap`; `[Group G]` with `G` bound
nowhere is Lean's auto-bound `{G : Type*} [Group G]`. `qualify_names` rewrites each of these
to one spelling before the structural judge compares normal forms.

The rewriting assumes what BEq assumes too: each statement elaborates under its header. Then
an identifier that resolves to exactly one declaration (Lean's rules, `knowledge_base.resolve`)
means that declaration; an ambiguous one is read as `T.f` where every use applies it to a
binder `x : T …` (`Normal H` under `open Subgroup`), else left as written; field notation on a
full application or on `S * T` follows the type (`(Subgroup.map φ N).Normal`); and a name the
index does not know is left alone unless it has the shape of an auto-bound implicit.

Everything past the name lookup reads the statement's term tree (`indexer.lean_terms`); a
statement the reader cannot build is compared with its names qualified and nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from formalizer.identifiers import IdentifierChecker, IdentifierFinding, renamed
from formalizer.normal_form.context import head_constant
from formalizer.statement import StatementError, parse_statement
from formalizer.types import parameters as declaration_parameters
from indexer.lean_terms import (
    App,
    Binder,
    Bracket,
    Ident,
    Node,
    Op,
    Paren,
    Proj,
    Signature,
    parse_signature,
    parse_term,
    walk,
)
from indexer.lean_terms.printer import print_binder, same_shape, to_lean
from indexer.lean_terms.tree import transform

# Classes over `Sort*`: an auto-bound type argument of one of them is a `Sort`, not a `Type`.
_SORT_CLASSES = frozenset(
    "Nonempty Inhabited Subsingleton Unique IsEmpty Finite Countable Infinite Small "
    "DecidableEq Decidable".split()
)


def qualify_names(statement: str, header: str, checker: IdentifierChecker) -> str:
    """The declaration of `statement` with global names fully qualified, deprecated names
    followed to their current ones, field notation on binders (`H.Normal`) applied, and
    auto-bound type variables bound. Raises `StatementError` when it is not a statement."""
    stmt = parse_statement(statement, header)
    report = checker.check(stmt)
    mapping = {
        f.identifier: f.resolved
        for f in report.findings
        if f.status in ("found", "deprecated", "renamed", "external")
        and f.resolved
        and f.resolved != f.identifier
        and f.note not in ("notation", "declared in header")
    }
    sig = parse_signature(stmt.signature)
    if isinstance(sig, Signature):
        types = _binder_types(sig)
        for f in report.findings:
            if f.status == "ambiguous" and (full := _overload(f, sig, types, checker)):
                mapping[f.identifier] = full
    stmt = renamed(stmt, mapping)
    sig = parse_signature(stmt.signature)
    if not isinstance(sig, Signature) or sig.type is None:
        return stmt.render(stmt.proof or "by sorry")
    types = _binder_types(sig)
    sig = transform(sig, lambda node: _field_notation(node, types, checker))
    auto_bound = [f.identifier for f in report.findings if f.status == "auto-bound"]
    binders = (*_auto_bound_binders(sig.binders, auto_bound), *sig.binders)  # type: ignore[union-attr]
    stmt = replace(
        stmt,
        binders=" ".join(print_binder(b) for b in binders),
        conclusion=to_lean(sig.type),  # type: ignore[union-attr]
    )
    return stmt.render(stmt.proof or "by sorry")


def qualified_or_same(statement: str, header: str, checker: IdentifierChecker) -> str:
    """`qualify_names`, or the statement as given when it is not one (for grouping, where an
    unreadable candidate still gets a group of its own)."""
    try:
        return qualify_names(statement, header, checker)
    except StatementError:
        return statement


def _binder_types(sig: Signature) -> dict[str, Node]:
    """The type written for each named explicit or implicit binder."""
    return {
        name: b.type
        for b in sig.binders
        if b.bracket != "[" and b.type is not None
        for name in b.names
        if name and name != "_"
    }


def _overload(
    finding: IdentifierFinding, sig: Signature, types: dict[str, Node], checker: IdentifierChecker
) -> str | None:
    """`T.f` for an ambiguous `f` (`Normal` under `open Subgroup`) applied everywhere to a
    binder `x : T …`: the reading field notation `x.f` gives. Lean keeps the one reading of an
    ambiguous name that elaborates, and a statement this one is compared with that writes
    `T.f x` on an `x` of the same type shows that `T.f x` elaborates; so it is the reading
    here too. `T.f` must be the index's own, with `x` its first explicit parameter: a core
    declaration may be `protected` (no reading of `f` at all), which the index cannot tell.
    None unless every use has such an argument and all agree."""
    nodes = list(walk(sig))
    uses = sum(isinstance(n, Ident) and n.name == finding.identifier for n in nodes)
    arguments = [
        n.args[0]
        for n in nodes
        if isinstance(n, App) and isinstance(n.fn, Ident) and n.fn.name == finding.identifier
    ]
    if uses != len(arguments):  # a bare use: nothing says which reading
        return None
    readings = set()
    for argument in arguments:
        typ = types.get(argument.name) if isinstance(argument, Ident) else None
        namespace = typ is not None and _type_namespace(typ, checker)
        full = f"{namespace}.{finding.identifier}"
        if not namespace or full not in finding.suggestions:
            return None
        if not _receiver_first(full, checker, strict=True):
            return None
        readings.add(full)
    return readings.pop() if len(readings) == 1 else None


def _receiver_first(full: str, checker: IdentifierChecker, strict: bool = False) -> bool:
    """Whether `x.f` with `x : T …` is `T.f x`: the index has `T.f` (`full`), and its first
    explicit parameter, section variables first, has a type headed by `T`. Field notation puts
    `x` at the first explicit parameter of type `T`, so `s.map f` is `Finset.map f s`: those
    are left as written. A declaration from outside the index (Lean core) has no parameters
    here: taken as `T.f x` unless `strict`."""
    decl = checker.kb.get(full)
    if decl is None or decl.kind == "external":
        return decl is not None and not strict
    if decl.kind == "structure field":  # a projection's one explicit parameter is `x`
        return True
    parameters = declaration_parameters(" ".join([*decl.variables, decl.signature]))
    if parameters is None:
        return False
    namespace = full.rsplit(".", 1)[0]
    for b in parameters[0]:
        if b.bracket == "(":
            return (
                b.type is not None and _type_namespace(b.type, checker, _scope(full)) == namespace
            )
    return False


def _scope(full: str) -> list[str]:
    """`Module.End.Eigenvalues` -> `Module.End`, `Module`: the namespaces its signature is
    written in, innermost first."""
    parts = full.split(".")[:-1]
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _type_namespace(
    typ: Node, checker: IdentifierChecker, scope: list[str] | tuple[str, ...] = ()
) -> str | None:
    """`Subgroup G` -> `Subgroup`, `ℕ` -> `Nat`: where `x.f` looks for `f` when `x` has this
    type. A head written inside a namespace is looked up there first (`End` in `Module.End`
    is `Module.End`). None for a type headed by a variable or anything the index does not
    know."""
    while isinstance(typ, Paren):
        typ = typ.inner
    if isinstance(typ, App) and _polynomial_ring(typ):  # `R[X]` is `Polynomial R`
        return "Polynomial"
    head = head_constant(typ)  # `ℕ` is `Nat`
    if head is None:
        return None
    for name in [f"{ns}.{head}" for ns in scope if ns] + [head]:
        if checker.kb.entry(name) is not None:
            return name
    return None


def _polynomial_ring(app: App) -> bool:
    last = app.args[-1]
    return (
        len(app.args) == 1
        and isinstance(last, Bracket)
        and last.open == "["
        and len(last.items) == 1
        and isinstance(last.items[0], Ident)
        and last.items[0].name == "X"
    )


def _field_notation(node: Node, types: dict[str, Node], checker: IdentifierChecker) -> Node:
    """`x.f` written `(T.f x)` for a binder `x : T …` where the index has `T.f` with `x` its
    receiver; `(t).f` likewise where `t`'s type is known (`_term_namespace`). Applied bottom-up,
    so field notation nested inside another is rewritten first."""
    if isinstance(node, Ident) and node.name.count(".") == 1:
        var, _, field = node.name.partition(".")
        typ = types.get(var)
        namespace = _type_namespace(typ, checker) if typ is not None else None
        full = f"{namespace}.{field}"
        if namespace and _receiver_first(full, checker):
            return Paren(App(Ident(full), (Ident(var),)))
    if isinstance(node, Proj) and isinstance(node.expr, Paren):
        namespace = _term_namespace(node.expr.inner, types, checker)
        full = f"{namespace}.{node.field}"
        if namespace and _receiver_first(full, checker):
            return Paren(App(Ident(full), (node.expr,)))
    return node


def _term_namespace(term: Node, types: dict[str, Node], checker: IdentifierChecker) -> str | None:
    """The namespace of the head of `term`'s type for two kinds of term: `S * T` (`+`, `-`) of
    two binders of one written type (`Mul T`: `S * T : T`), and a full application of a
    declaration whose type (`… : Subgroup N`) gives it. An application that leaves an explicit
    argument out is a function, and a declaration the index does not know gives nothing."""
    if isinstance(term, Op) and term.op in ("*", "+", "-") and term.fixity == "infix":
        a, b = (types.get(x.name) if isinstance(x, Ident) else None for x in term.args)
        same = a is not None and b is not None and same_shape(a, b)
        return _type_namespace(a, checker) if same else None  # type: ignore[arg-type]
    if not (isinstance(term, App) and isinstance(term.fn, Ident)):
        return None
    decl = checker.kb.get(term.fn.name)
    parameters = decl and declaration_parameters(decl.signature)
    if not parameters or parameters[1] is None:
        return None
    binders, result = parameters
    explicit = sum(len(b.names) for b in binders if b.bracket == "(")
    if len(term.args) != explicit:
        return None
    return _type_namespace(result, checker, _scope(decl.name))


def _auto_bound_binders(binders: tuple[Binder, ...], auto_bound: list[str]) -> list[Binder]:
    """`[Group G]` with `G` bound nowhere: Lean adds `{G : Sort u}`, and the class makes it a
    `Type u`. Bound explicitly here so it reads like `{G : Type*} [Group G]`. Only names that
    some instance binder applies a `Type` class to; anything else stays unbound (no match)."""
    added = []
    for name in auto_bound:
        for b in binders:
            if b.bracket != "[" or not isinstance(b.type, App):
                continue
            cls = b.type.fn
            applied = any(isinstance(a, Ident) and a.name == name for a in b.type.args)
            if applied and isinstance(cls, Ident) and cls.name not in _SORT_CLASSES:
                added.append(Binder((name,), parse_term("Type*"), "{"))
                break
    return added
