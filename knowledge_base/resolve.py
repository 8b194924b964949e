"""Lean's global name resolution, over any table of declarations.

Follows `Lean.ResolveName.resolveGlobalName`: an identifier `x` written inside namespace `A.B`
with `open O` in effect means the first of
  1. `A.B.x`, `A.x` (every enclosing namespace; protected names need a qualified `x`),
  2. otherwise `x` itself, and `O.x` for each open namespace (several: ambiguous),
  3. otherwise the same with the last component of `x` taken as a field access (`h.le`).
On top of Lean's rules: deprecated aliases lead to their current target, names renamed or
removed in Mathlib's history are mapped through the rename table, and names that exist upstream
but are not indexed (Lean core) resolve as `external`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel, Field

Status = Literal["found", "deprecated", "renamed", "removed", "external", "ambiguous", "unknown"]

# Kinds whose values can be followed by a field access (`mul_comm.symm`, `h.le`). A type
# (`Nat`, `Group`) or an external name followed by more components is not read as a field
# access: `Nat.foo` must be a declaration `Nat.foo`, not `Nat` with a field `foo`.
PROJECTABLE_KINDS = frozenset(
    {
        "theorem",
        "lemma",
        "def",
        "abbrev",
        "instance",
        "alias",
        "structure field",
        "constructor",
        "irreducible_def",
        "opaque",
        "axiom",
    }
)


@dataclass(frozen=True, slots=True)
class Entry:
    """What resolution needs to know about one declaration."""

    id: int
    name: str
    kind: str
    protected: bool = False
    private: bool = False
    deprecated: bool = False
    deprecated_target: str | None = None
    deprecated_since: str | None = None
    alias_of: str | None = None  # as written at the alias, relative to `namespace`
    namespace: str = ""


class NameTable(Protocol):
    def entry(self, name: str) -> Entry | None: ...

    def is_namespace(self, name: str) -> bool:
        """Whether some declaration's full name starts with `name.`."""
        ...

    def rename(self, name: str) -> tuple[str, str | None, str | None] | None:
        """(new name or "" if removed, since, message) for a name of an earlier version."""
        ...


class Resolution(BaseModel):
    """The answer to "what does this identifier mean here?"."""

    query: str
    status: Status
    name: str | None = None  # the current full name it resolves to
    kind: str | None = None
    written_as: str | None = None  # the full name matched before following deprecations
    via: list[str] = Field(default_factory=list)  # rename/deprecation chain, old to new
    since: str | None = None
    projection: list[str] = Field(default_factory=list)  # trailing components read as fields
    candidates: list[str] = Field(default_factory=list)  # when ambiguous
    note: str = ""

    @property
    def current_name(self) -> str | None:
        """The declaration a full name (a benchmark's gold, written against some older
        Mathlib) denotes in this index: itself, or where its deprecation or rename leads;
        None when it is not a declaration here."""
        ok = self.status in ("found", "deprecated", "renamed", "external")
        return self.name if ok and self.name and not self.projection else None


def parse_open(spec: str) -> tuple[str, frozenset[str] | None, frozenset[str], bool]:
    """An `open` spec -> (namespace, only these names or None, hidden names, scoped-only)."""
    if spec.startswith("scoped "):
        return spec[7:].strip(), None, frozenset(), True
    if " hiding " in spec:
        ns, _, hidden = spec.partition(" hiding ")
        return ns.strip(), None, frozenset(hidden.split()), False
    if " renaming " in spec:
        ns, _, _ = spec.partition(" renaming ")
        return ns.strip(), None, frozenset(), False
    if "(" in spec:
        ns, _, names = spec.partition("(")
        return ns.strip(), frozenset(names.rstrip(")").split()), frozenset(), False
    return spec.strip(), None, frozenset(), False


def _prefixes(namespace: str) -> list[str]:
    """`A.B.C` -> [`A.B.C`, `A.B`, `A`]."""
    parts = namespace.split(".") if namespace else []
    return [".".join(parts[:k]) for k in range(len(parts), 0, -1)]


def _usable(entry: Entry | None, ident: str) -> bool:
    if entry is None or entry.private:
        return False
    return not (entry.protected and "." not in ident)


@dataclass(frozen=True, slots=True)
class OpenNamespace:
    namespace: str
    only: frozenset[str] | None
    hidden: frozenset[str]


def expand_opens(table: NameTable, opens: Iterable[str], namespace: str) -> list[OpenNamespace]:
    """The namespaces the `open` specs name, as Lean's `resolveNamespace` finds them.

    `open X` inside namespace `A.B` opens `A.B.X`, `A.X` and `X` where they exist, and also
    `O.X` for a namespace `O` opened before it (so `open CategoryTheory Limits` opens
    `CategoryTheory.Limits`). `open scoped` opens no names.
    """
    out: list[OpenNamespace] = []
    prefixes = _prefixes(namespace)
    for spec in opens:
        ns, only, hidden, scoped = parse_open(spec)
        if scoped or not ns:
            continue
        if ns.startswith("_root_."):
            candidates = [ns[7:]]
        else:
            candidates = [f"{p}.{ns}" for p in prefixes] + [f"{o.namespace}.{ns}" for o in out]
            candidates.append(ns)
        found = [c for c in dict.fromkeys(candidates) if table.is_namespace(c)]
        for c in found or [ns]:
            out.append(OpenNamespace(c, only, hidden))
    return out


def lean_matches(
    table: NameTable, ident: str, namespace: str, opens: Iterable[str] | list[OpenNamespace]
) -> list[Entry]:
    """The declarations `ident` can denote, by Lean's rules (no field-access fallback).

    `opens` are `open` specs as written, or already expanded with `expand_opens`.
    """
    if ident.startswith("_root_."):
        e = table.entry(ident[7:])
        return [e] if e is not None and not e.private else []
    found: list[Entry] = []
    for ns in _prefixes(namespace):
        e = table.entry(f"{ns}.{ident}")
        if _usable(e, ident) and e not in found:
            found.append(e)  # type: ignore[arg-type]
    if found:
        return found
    e = table.entry(ident)
    if e is not None and not e.private:
        found.append(e)
    opens = list(opens)
    if opens and isinstance(opens[0], str):
        opens = expand_opens(table, opens, namespace)  # type: ignore[arg-type]
    for o in opens:
        assert isinstance(o, OpenNamespace)
        if ident in o.hidden or (o.only is not None and ident not in o.only):
            continue
        e = table.entry(f"{o.namespace}.{ident}")
        if _usable(e, ident) and e not in found:
            found.append(e)  # type: ignore[arg-type]
    return found


def _candidate_names(ident: str, namespace: str, opens: Iterable[str]) -> list[str]:
    """Every full name `ident` could stand for, most specific first (for renames/externals)."""
    out = [f"{ns}.{ident}" for ns in _prefixes(namespace)] + [ident]
    for spec in opens:
        ns, only, hidden, scoped = parse_open(spec)
        if not scoped and ident not in hidden and (only is None or ident in only):
            out.append(f"{ns}.{ident}")
    return list(dict.fromkeys(out))


def follow(
    table: NameTable, entry: Entry, max_steps: int = 10
) -> tuple[Entry, list[str], str | None]:
    """Follow deprecated aliases / deprecation targets to the current declaration."""
    via = [entry.name]
    since = entry.deprecated_since
    current = entry
    for _ in range(max_steps):
        if not current.deprecated:
            break  # a plain (not deprecated) alias is a declaration in its own right
        target = current.deprecated_target or current.alias_of
        if target is None:
            break
        matches = lean_matches(table, target, current.namespace, ())
        if not matches:
            break
        nxt = matches[0]
        if nxt.name in via:
            break
        via.append(nxt.name)
        current = nxt
    return current, via, since


def resolve(
    table: NameTable,
    ident: str,
    opens: Iterable[str] = (),
    namespace: str | None = None,
) -> Resolution:
    """Resolve `ident` as Lean would at a point with `namespace` and `opens` in effect."""
    opens = tuple(opens)
    namespace = namespace or ""
    query = ident.strip()
    parts = query.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        projection = parts[cut:]
        matches = lean_matches(table, head, namespace, opens)
        if projection:
            matches = [m for m in matches if m.kind in PROJECTABLE_KINDS]
        if len(matches) > 1:
            return Resolution(
                query=query,
                status="ambiguous",
                candidates=[m.name for m in matches],
                projection=projection,
                note="several declarations match; Lean elaborates each",
            )
        if matches:
            return _found(table, query, matches[0], projection)
        renamed = _renamed(table, head, namespace, opens)
        if renamed is not None:
            renamed.query = query
            renamed.projection = projection
            return renamed
        if cut == len(parts):
            continue
    return Resolution(query=query, status="unknown", note="no declaration by that name")


def _found(table: NameTable, query: str, entry: Entry, projection: list[str]) -> Resolution:
    if entry.kind == "external":
        return Resolution(
            query=query,
            status="external",
            name=entry.name,
            kind="external",
            written_as=entry.name,
            projection=projection,
            note="exists upstream (referenced by indexed sources), not indexed",
        )
    current, via, since = follow(table, entry)
    if entry.deprecated:
        note = (
            f"{entry.name} is deprecated; use {current.name}"
            if current is not entry
            else f"{entry.name} is deprecated, with no replacement named"
        )
        return Resolution(
            query=query,
            status="deprecated",
            name=current.name,
            kind=current.kind,
            written_as=entry.name,
            via=via,
            since=since,
            projection=projection,
            note=note,
        )
    return Resolution(
        query=query,
        status="found",
        name=entry.name,
        kind=entry.kind,
        written_as=entry.name,
        projection=projection,
    )


def _renamed(
    table: NameTable, ident: str, namespace: str, opens: tuple[str, ...]
) -> Resolution | None:
    """Try the history rename map for each full name `ident` could have meant."""
    removed: Resolution | None = None
    for candidate in _candidate_names(ident, namespace, opens):
        chain = [candidate]
        since: str | None = None
        current = candidate
        for _ in range(20):
            step = table.rename(current)
            if step is None or step[0] in chain:
                break
            new, step_since, message = step
            if not new:
                if removed is None:
                    why = f" ({message})" if message else ""
                    removed = Resolution(
                        query=ident,
                        status="removed",
                        written_as=current,
                        via=chain,
                        since=step_since,
                        note=f"{current} was removed from Mathlib{why}; no replacement recorded",
                    )
                break
            current, since = new, step_since or since
            chain.append(current)
            entry = table.entry(current)
            if entry is not None and not entry.private:
                final, via, _ = follow(table, entry)
                return Resolution(
                    query=ident,
                    status="renamed",
                    name=final.name,
                    kind=final.kind,
                    written_as=candidate,
                    via=chain + via[1:],
                    since=since,
                    note=f"{candidate} was renamed; current name {final.name}",
                )
    return removed
