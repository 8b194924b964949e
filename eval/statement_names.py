"""A statement's names written out in full, read against the knowledge base.

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
"""

from __future__ import annotations

import re
from dataclasses import replace

from formalizer.identifiers import IdentifierChecker, IdentifierFinding, renamed
from formalizer.statement import LeanStatement, parse_statement
from indexer.lean_syntax import (
    binder_groups,
    depth_zero_find,
    matching_brackets,
    split_signature,
)

# Classes over `Sort*`: an auto-bound type argument of one of them is a `Sort`, not a `Type`.
_SORT_CLASSES = frozenset(
    "Nonempty Inhabited Subsingleton Unique IsEmpty Finite Countable Infinite Small "
    "DecidableEq Decidable".split()
)
# Number types written as notation, for `n.Coprime m` with `n : ℕ`.
NOTATION_TYPES = {"ℕ": "Nat", "ℤ": "Int", "ℚ": "Rat", "ℝ": "Real", "ℂ": "Complex"}
_DOT = r"(?<![\w.'₀-₉]){name}\.([^\W\d][\w'₀-₉]*)(?![\w'.₀-₉])"


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
    types = _binder_types(stmt)
    for f in report.findings:
        if f.status == "ambiguous" and (full := _overload(f, stmt, types, checker)):
            mapping[f.identifier] = full
    auto_bound = [f.identifier for f in report.findings if f.status == "auto-bound"]
    stmt = renamed(stmt, mapping)
    binders, conclusion = _field_notation(stmt, checker)
    binders = _bind_auto_bound(binders, auto_bound)
    return replace(stmt, binders=binders, conclusion=conclusion).render(stmt.proof or "by sorry")


def _binder_types(stmt: LeanStatement) -> dict[str, str]:
    """The type written for each named explicit or implicit binder."""
    return {
        name: typ
        for bracket, names, typ in binder_groups(stmt.binders)
        if bracket != "["
        for name in names
        if name and name != "_"
    }


def _overload(
    finding: IdentifierFinding,
    stmt: LeanStatement,
    types: dict[str, str],
    checker: IdentifierChecker,
) -> str | None:
    """`T.f` for an ambiguous `f` (`Normal` under `open Subgroup`) applied everywhere to a
    binder `x : T …`: the reading field notation `x.f` gives. Lean keeps the one reading of an
    ambiguous name that elaborates, and a statement this one is compared with that writes
    `T.f x` on an `x` of the same type shows that `T.f x` elaborates; so it is the reading
    here too. `T.f` must be the index's own, with `x` its first explicit parameter: a core
    declaration may be `protected` (no reading of `f` at all), which the index cannot tell.
    None unless every use has such an argument and all agree."""
    ident = re.escape(finding.identifier)
    uses = re.findall(
        rf"(?<![\w.'₀-₉]){ident}(?![\w'.₀-₉])(\s+[^\W\d][\w'₀-₉]*)?",
        f"{stmt.binders} : {stmt.conclusion}",
    )
    readings = set()
    for argument in (a.strip() for a in uses):
        namespace = argument in types and _type_namespace(types[argument], checker)
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
    own, result = split_signature(decl.signature)
    binders = " ".join([*decl.variables, own, _pi_binders(result)])
    namespace = full.rsplit(".", 1)[0]
    for bracket, _, typ in binder_groups(binders):
        if bracket == "(":
            return _type_namespace(typ, checker, _scope(full)) == namespace
    return False


def _scope(full: str) -> list[str]:
    """`Module.End.Eigenvalues` -> `Module.End`, `Module`: the namespaces its signature is
    written in, innermost first."""
    parts = full.split(".")[:-1]
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


_ARROW = re.compile(r"→")


def _pi_binders(result: str) -> str:
    """The parameters a type after the colon adds, written as binders: `∀ x : T, …` ->
    `(x : T)`, `∀ (x : T) {y : U}, …` as written, `T → …` -> `(_ : T)`; "" for none."""
    result = result.strip()
    if result.startswith("∀") and (comma := depth_zero_find(result, re.compile(","))):
        head = result[1 : comma.start()].strip()
        return head if head[:1] in "({[⦃" else f"({head})"
    if arrow := depth_zero_find(result, _ARROW):
        return f"(_ : {result[: arrow.start()].strip()})"
    return ""


_POLYNOMIAL_RING = re.compile(r"^(\([^()]*\)|[^\s()\[\]]+)\[X\]$")


def _type_namespace(
    type_text: str, checker: IdentifierChecker, scope: list[str] | tuple[str, ...] = ()
) -> str | None:
    """`Subgroup G` -> `Subgroup`, `ℕ` -> `Nat`: where `x.f` looks for `f` when `x` has this
    type. A head written inside a namespace is looked up there first (`End` in `Module.End`
    is `Module.End`). None for a type headed by a variable or anything the index does not
    know."""
    if _POLYNOMIAL_RING.match(type_text.strip()):  # `R[X]` is `Polynomial R`
        return "Polynomial"
    head = type_text.strip().split(" ", 1)[0].strip("()")
    if head in NOTATION_TYPES:
        return NOTATION_TYPES[head]
    for name in [f"{ns}.{head}" for ns in scope if ns] + [head]:
        if checker.kb.entry(name) is not None:
            return name
    return None


def _field_notation(stmt: LeanStatement, checker: IdentifierChecker) -> tuple[str, str]:
    """Binders and conclusion with `x.f` written `(T.f x)` for each binder `x : T …` where the
    index has `T.f`."""
    binders, conclusion = stmt.binders, stmt.conclusion
    types = _binder_types(stmt)
    for name, typ in types.items():
        namespace = _type_namespace(typ, checker)
        if namespace is None:
            continue
        pattern = re.compile(_DOT.format(name=re.escape(name)))

        def field(m: re.Match, ns: str = namespace, var: str = name) -> str:
            full = f"{ns}.{m.group(1)}"
            return f"({full} {var})" if _receiver_first(full, checker) else m.group(0)

        binders = pattern.sub(field, binders)
        conclusion = pattern.sub(field, conclusion)
    return (
        _application_fields(binders, types, checker),
        _application_fields(conclusion, types, checker),
    )


_FIELD_AFTER_PAREN = re.compile(r"\)\.([^\W\d][\w'₀-₉]*)(?![\w'.₀-₉])")
_APPLIED = re.compile(r"^\s*([^\W\d][\w'₀-₉.]*)\s+(.+?)\s*$", re.S)


def _application_fields(text: str, types: dict[str, str], checker: IdentifierChecker) -> str:
    """`(Subgroup.map φ N).Normal` -> `(Subgroup.Normal (Subgroup.map φ N))`: field notation on
    a term of a type headed by `T`, where the index has `T.Normal`. The term is a full
    application of a declaration whose type (`… : Subgroup N`) gives `T`, or `S * T` (`+`, `-`)
    of two binders of one written type. Applications that leave an explicit argument out (a
    function), and declarations the index does not know, stay as written. One rewrite at a
    time, each on a fresh reading of the text: a rewrite moves the offsets of any field
    notation nested inside it."""
    while True:
        opening_of = {close: open_ for open_, close in matching_brackets(text).items()}
        for m in reversed(list(_FIELD_AFTER_PAREN.finditer(text))):
            opening = opening_of.get(m.start())
            if opening is None:
                continue
            namespace = _term_namespace(text[opening + 1 : m.start()], types, checker)
            full = f"{namespace}.{m.group(1)}"
            if namespace and _receiver_first(full, checker):
                inner = text[opening : m.start() + 1]
                text = f"{text[:opening]}({full} {inner}){text[m.end() :]}"
                break
        else:
            return text


def _term_namespace(term: str, types: dict[str, str], checker: IdentifierChecker) -> str | None:
    """The namespace of the head of `term`'s type, for the two kinds of term
    `_application_fields` reads; None for any other."""
    if (same := _SAME_TYPE_OPERATION.match(term)) and same["a"] in types:
        if types[same["a"]] == types.get(same["b"]):  # `Mul T`: `S * T : T`
            return _type_namespace(types[same["a"]], checker)
        return None
    applied = _APPLIED.match(term)
    decl = checker.kb.get(applied.group(1)) if applied else None
    if applied is None or decl is None:
        return None
    own, result = split_signature(decl.signature)
    explicit = sum(len(names) for bracket, names, _ in binder_groups(own) if bracket == "(")
    if "→" in result or len(_top_level_words(applied.group(2))) != explicit:
        return None
    return _type_namespace(result.strip(), checker, _scope(decl.name))


_SAME_TYPE_OPERATION = re.compile(
    r"^\s*(?P<a>[^\W\d][\w'₀-₉]*)\s*[*+-]\s*(?P<b>[^\W\d][\w'₀-₉]*)\s*$"
)


def _top_level_words(text: str) -> list[str]:
    """`φ (f x) N` -> `φ`, `(f x)`, `N`: the arguments of an application."""
    words, depth, current = [], 0, ""
    for ch in text:
        depth += (ch in "([{⟨") - (ch in ")]}⟩")
        if ch.isspace() and depth == 0:
            words.append(current)
            current = ""
        else:
            current += ch
    return [w for w in [*words, current] if w]


def _bind_auto_bound(binders: str, auto_bound: list[str]) -> str:
    """`[Group G]` with `G` bound nowhere: Lean adds `{G : Sort u}`, and the class makes it a
    `Type u`. Bound explicitly here so it reads like `{G : Type*} [Group G]`. Only names that
    some instance binder applies a `Type` class to; anything else stays unbound (no match)."""
    added = []
    for name in auto_bound:
        for bracket, _, typ in binder_groups(binders):
            words = typ.split()
            if bracket == "[" and name in words[1:] and words[0] not in _SORT_CLASSES:
                added.append(f"{{{name} : Type*}}")
                break
    return " ".join([*added, binders]).strip()
