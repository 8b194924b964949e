"""Build a knowledge base: extract declarations, resolve the dependency graph, find external
names, attach renames and concepts, write SQLite and a manifest, and swap the result in."""

from __future__ import annotations

import gc
import shutil
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from json.encoder import py_encode_basestring as _py_encode

try:  # the C implementation, when present (CPython ships it)
    from _json import encode_basestring as _encode_string
except ImportError:  # pragma: no cover
    _encode_string = _py_encode
from datetime import UTC, datetime
from pathlib import Path

from indexer.extract import Extraction, extract
from indexer.history import rename_history
from indexer.models import DEFINITION_KINDS, Declaration
from indexer.name_translation import load_guess_data
from indexer.roots import SourceRoot, core_version, lake_packages
from knowledge_base.atomic import check_replaceable, staging_dir, swap_into_place
from knowledge_base.concepts import Concept, curated_concepts, describe, domain_of, group_key
from knowledge_base.manifest import Manifest, PackageInfo, RootInfo
from knowledge_base.resolve import (
    PROJECTABLE_KINDS,
    Entry,
    OpenNamespace,
    expand_opens,
    lean_matches,
)
from knowledge_base.schema import DB_FILE, DDL, INDEXES

Log = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass
class HistorySettings:
    """Read renames from the git history of `repo` (see `indexer.history`)."""

    repo: Path
    subdir: str = "Mathlib"
    since: str = "2023-01-01"
    months: int = 2
    cache_dir: Path | None = None


@dataclass
class BuildOptions:
    workers: int | None = None
    history: HistorySettings | None = None
    extra_declarations: list[Declaration] = field(default_factory=list)  # e.g. from LeanDojo
    log: Log | None = None
    progress: Progress | None = None
    # Runs on the finished staging directory before it is swapped in: higher layers add their
    # files (the retrieval channels) there, so the swap stays atomic for everything.
    finish: Callable[[Path], None] | None = None
    force: bool = False  # replace `out` even when it is not an earlier index


class MemoryTable:
    """Name table over in-memory entries, for resolution during the build."""

    def __init__(
        self, entries: dict[str, Entry], renames: dict[str, tuple[str, str | None, str | None]]
    ):
        self.entries = entries
        self.renames = renames
        self.namespaces: set[str] = set()
        for name in entries:
            i = name.find(".")
            while i > 0:
                self.namespaces.add(name[:i])
                i = name.find(".", i + 1)

    def entry(self, name: str) -> Entry | None:
        return self.entries.get(name)

    def is_namespace(self, name: str) -> bool:
        return name in self.namespaces

    def rename(self, name: str) -> tuple[str, str | None, str | None] | None:
        return self.renames.get(name)


def _preferred(a: Declaration, b: Declaration) -> bool:
    """Whether `a` should stand for the name rather than `b` (public, written in source)."""
    return (a.is_private, a.origin != "source") < (b.is_private, b.origin != "source")


def make_entry(i: int, d: Declaration) -> Entry:
    dep = d.deprecated
    return Entry(
        id=i,
        name=d.name,
        kind=d.kind,
        protected=d.is_protected,
        private=d.is_private,
        deprecated=dep is not None,
        deprecated_target=dep.target if dep else None,
        deprecated_since=dep.since if dep else None,
        alias_of=d.alias_of,
        namespace=d.namespace,
    )


def resolve_reference(
    table: MemoryTable, ident: str, namespace: str, opens: list[OpenNamespace]
) -> Entry | None:
    """First declaration `ident` denotes, reading trailing components as field accesses."""
    matches = lean_matches(table, ident, namespace, opens)
    if matches:
        return matches[0]
    parts = ident.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:cut])
        for m in lean_matches(table, head, namespace, opens):
            if m.kind in PROJECTABLE_KINDS:
                return m
    return None


@dataclass
class Graph:
    edges: list[tuple[int, int]]
    unresolved: Counter[str]
    external_site: dict[str, tuple[str, str]]  # name -> (module, file) of a first reference


# Field accesses commonly written after a name from Lean core (`Nat.succ_le_iff.mp`): when the
# name is unresolved, these trailing components are not part of it (see `strip_projections`).
_PROOF_PROJECTIONS = frozenset(
    {
        "mp",
        "mpr",
        "symm",
        "trans",
        "le",
        "lt",
        "ne",
        "ne'",
        "ge",
        "gt",
        "elim",
        "left",
        "right",
        "out",
        "mono",
        "comp",
        "eq",
        "injective",
        "surjective",
        "bijective",
        "not",
        "resolve_left",
        "resolve_right",
        "imp",
        "to_iff",
        "trans_le",
        "trans_lt",
        "antisymm",
        "1",
        "2",
        "some",
        "get",
        "val",
        "property",
        "prop",
        "choose",
        "choose_spec",
        "congr_arg",
        "congr_fun",
    }
)


def strip_projections(ref: str) -> str:
    """The name in an unresolved reference, without the field accesses written after it.

    Only a value has fields: a projection follows a lemma or function (last component lower
    case: `Nat.succ_le_iff.mp`, `Nat.lt_irrefl.elim`). After a type or namespace (`Exists`,
    `Iff`, `Subtype`) the component is a declaration of its own: `Exists.choose`, `Iff.mp`,
    `Subtype.val` are Lean core names and stay whole.
    """
    parts = ref.split(".")
    while len(parts) > 1 and parts[-1] in _PROOF_PROJECTIONS and parts[-2][:1].islower():
        parts.pop()
    return ".".join(parts)


def dependency_graph(
    decls: list[Declaration],
    table: MemoryTable,
    local_names: set[str],
    notations: dict[str, str] | None = None,
) -> Graph:
    """Resolve every signature identifier; collect the ones no indexed root defines.

    `local_names` (binder names seen anywhere) and identifier-like notation tokens are never
    taken for external declarations; a nullary notation (`π`) counts as its meaning.
    """
    notations = notations or {}
    cache: dict[tuple[str, tuple[str, ...], str], int | None] = {}
    expanded: dict[tuple[tuple[str, ...], str], list[OpenNamespace]] = {}
    edges: list[tuple[int, int]] = []
    pending: list[tuple[str, str, tuple[str, ...], int]] = []
    for i, d in enumerate(decls):
        if not d.references and not d.proof_references:
            continue
        opens = tuple(d.opens)
        # Lean elaborates `theorem A.B.foo` inside namespace `A.B` (`_root_.A.foo` keeps the
        # enclosing namespace for resolution). A generated declaration (`@[to_additive]`'s
        # `Filter.Tendsto.add`) carries the references of the one it was generated from, so
        # they are read where that one was written.
        ns = d.namespace
        written = d.name if d.origin == "source" else d.generated_from
        prefix = (written or "").rpartition(".")[0]
        if written and prefix.startswith(ns):
            ns = prefix
        ctx = (opens, ns)
        if ctx not in expanded:
            expanded[ctx] = expand_opens(table, opens, ns)
        open_ns = expanded[ctx]
        seen: set[int] = set()
        in_signature = len(d.references)
        for k, ref in enumerate([*d.references, *d.proof_references]):
            key = (ns, opens, ref)
            if key in cache:
                dst = cache[key]
            else:
                e = resolve_reference(table, ref, ns, open_ns)
                if e is None and notations.get(ref):
                    e = resolve_reference(table, notations[ref], ns, open_ns)
                dst = e.id if e is not None else None
                cache[key] = dst
            if dst is None:
                first = ref.split(".", 1)[0]
                if first not in local_names and first not in notations and "$" not in ref:
                    pending.append((ref, ns, tuple(o.namespace for o in open_ns), i))
            elif dst != i and dst not in seen and k < in_signature:  # proofs: existence only
                seen.add(dst)
                edges.append((i, dst))
    return Graph(edges, *_external_names(pending, decls))


def _external_names(
    pending: list[tuple[str, str, tuple[str, ...], int]], decls: list[Declaration]
) -> tuple[Counter[str], dict[str, tuple[str, str]]]:
    """Name the unresolved references as Lean would have found them upstream.

    A reference is taken to mean: a fully written form seen elsewhere (`Injective` under
    `open Function` -> `Function.Injective`); else, for an atomic lower-case name referenced
    from a single namespace, that namespace (`val_last` in `namespace Fin` -> `Fin.val_last`,
    which is what Lean tries first); else the name as written.
    """
    cleaned = []
    for ref, ns, opens, i in pending:
        ref = ref.removeprefix("_root_.")
        if ref.startswith("_"):
            continue
        cleaned.append((strip_projections(ref), ns, opens, i))
    written = {ref for ref, _, _, _ in cleaned}
    spread: dict[str, set[str]] = {}
    for ref, ns, _, _ in cleaned:
        spread.setdefault(ref, set()).add(ns)
    unresolved: Counter[str] = Counter()
    site: dict[str, tuple[str, str]] = {}
    for ref, ns, opens, i in cleaned:
        parts = ns.split(".") if ns else []
        candidates = [f"{o}.{ref}" for o in opens]
        candidates += [".".join([*parts[:k], ref]) for k in range(len(parts), 0, -1)]
        name = next((c for c in candidates if c in written), None)
        if name is None:
            # An atomic lower-case name (a lemma or function, not a type) seen only inside one
            # namespace is taken to live there.
            local = "." not in ref and ns and len(spread[ref]) == 1 and ref[:1].islower()
            name = f"{ns}.{ref}" if local else ref
        unresolved[name] += 1
        site.setdefault(name, (decls[i].module, decls[i].file))
    return unresolved, site


def build_concepts(decls: list[Declaration], mathlib: Path | None) -> list[Concept]:
    """Curated concepts (when Mathlib's docs are there) and one concept per definition."""
    concepts: list[Concept] = []
    if mathlib is not None:
        concepts.extend(curated_concepts(mathlib))
    lasts: dict[str, set[str]] = {}
    for d in decls:
        if d.kind in DEFINITION_KINDS:
            ns, _, last = d.name.rpartition(".")
            lasts.setdefault(ns, set()).add(last)
    for d in decls:
        if d.kind not in DEFINITION_KINDS or d.is_private:
            continue
        domain = domain_of(d.module)
        ns, _, last = d.name.rpartition(".")
        key = group_key(last, lasts.get(ns, set()))
        concepts.append(
            Concept(
                title=d.name,
                description=describe(d.name, d.docstring, d.kind, domain),
                source="definition",
                topic=domain,
                domain=domain,
                members=[d.name],
                group_key=f"{ns}.{key}" if ns else key,
            )
        )
    return concepts


def build_index(
    roots: list[SourceRoot], out: Path, options: BuildOptions | None = None
) -> Manifest:
    """Index `roots` into the directory `out`, replacing any previous index atomically."""
    options = options or BuildOptions()
    log = options.log or (lambda _msg: None)
    t0 = time.time()
    check_replaceable(out, options.force)
    tmp = staging_dir(out)
    # Millions of long-lived objects and no reference cycles worth collecting: without this,
    # the cyclic collector rescans them over and over and costs a sizeable part of the build.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        ex = extract(roots, options.workers, options.progress)
        log(
            f"parsed {ex.files} files: {len(ex.declarations)} declarations "
            f"({time.time() - t0:.1f}s)"
        )
        ex.declarations.extend(options.extra_declarations)
        renames = _renames(ex, roots, options, log)
        manifest = write_database(tmp / DB_FILE, ex, roots, renames, log)
        manifest.write(tmp)  # the finishing step opens the staged knowledge base
        if options.finish is not None:
            options.finish(tmp)
        manifest.build_seconds = round(time.time() - t0, 2)
        manifest.seal(tmp)
        swap_into_place(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    log(f"index written to {out} ({manifest.build_seconds:.1f}s)")
    return manifest


def _json_list(items: list[str] | tuple[str, ...]) -> str:
    """JSON for a list of strings, without `json.dumps`' per-call overhead (a million calls)."""
    if not items:
        return "[]"
    return "[" + ",".join(map(_encode_string, items)) + "]"


RenameRow = tuple[str, str, str | None, str, str | None]  # old, new, since, source, message


def _renames(
    ex: Extraction, roots: list[SourceRoot], options: BuildOptions, log: Log
) -> list[RenameRow]:
    h = options.history
    if h is None:
        return []
    t0 = time.time()
    current = {d.name for d in ex.declarations}
    additive = load_guess_data([r.path for r in roots])["to_additive"]
    found = rename_history(
        h.repo,
        h.subdir,
        current,
        since=h.since,
        months=h.months,
        workers=options.workers,
        additive=additive,
        cache_dir=h.cache_dir,
        log=log,
    )
    log(
        f"history: {len(found)} names of earlier versions that no longer exist "
        f"({time.time() - t0:.1f}s)"
    )
    return [(r.old, r.new, r.since, r.source, r.message) for r in found]


def write_database(
    path: Path,
    ex: Extraction,
    roots: list[SourceRoot],
    renames: list[RenameRow],
    log: Log,
) -> Manifest:
    t0 = time.time()
    decls = ex.declarations
    by_name: dict[str, int] = {}
    for i, d in enumerate(decls):
        j = by_name.get(d.name)
        if j is None or _preferred(d, decls[j]):
            by_name[d.name] = i
    entries = {name: make_entry(i, decls[i]) for name, i in by_name.items()}
    table = MemoryTable(entries, {r[0]: (r[1], r[2], r[4]) for r in renames})
    graph = dependency_graph(decls, table, ex.binder_names, ex.notations)
    log(
        f"dependency graph: {len(graph.edges)} edges, {len(graph.unresolved)} external names "
        f"({time.time() - t0:.1f}s)"
    )
    in_degree = Counter(dst for _, dst in graph.edges)

    dumps = _json_list
    con = sqlite3.connect(path)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + DDL)
    contexts: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    rows = []
    for i, d in enumerate(decls):
        key = (tuple(d.opens), tuple(d.variables))
        ctx = contexts.get(key)
        if ctx is None:
            ctx = contexts[key] = len(contexts) + 1
        dep = d.deprecated
        rows.append(
            (
                i,
                d.name,
                d.name.rpartition(".")[2],
                d.kind,
                d.module,
                d.root,
                d.file,
                d.line_start,
                d.line_end,
                d.namespace,
                dumps(d.modifiers),
                dumps(d.attributes),
                d.docstring,
                d.signature,
                ctx,
                dumps(d.references),
                d.origin,
                d.generated_from,
                d.alias_of,
                int(dep is not None),
                dep.target if dep else None,
                dep.since if dep else None,
                dep.message if dep else None,
                int(d.is_private),
                int(d.is_protected),
                domain_of(d.module),
                in_degree.get(i, 0),
                d.signature_note,
            )
        )
    n = len(decls)
    for k, (name, count) in enumerate(sorted(graph.unresolved.items())):
        module, file = graph.external_site[name]
        rows.append(
            (
                n + k,
                name,
                name.rpartition(".")[2],
                "external",
                module,
                "",
                file,
                0,
                0,
                "",
                "[]",
                "[]",
                None,
                "",
                None,
                "[]",
                "external",
                None,
                None,
                0,
                None,
                None,
                None,
                0,
                0,
                "",
                count,
                None,
            )
        )
    con.executemany(f"INSERT INTO declarations VALUES ({','.join('?' * 28)})", rows)
    con.executemany(
        "INSERT INTO contexts VALUES (?, ?, ?)",
        ((i, dumps(o), dumps(v)) for (o, v), i in contexts.items()),
    )
    con.executemany("INSERT OR IGNORE INTO dependencies VALUES (?, ?)", graph.edges)
    con.executemany(
        "INSERT INTO definition_values VALUES (?, ?)",
        ((i, d.value) for i, d in enumerate(decls) if d.value),
    )
    con.executemany(
        "INSERT OR REPLACE INTO modules VALUES (?, ?, ?, ?, ?)",
        (
            (m.module, m.root, m.file, dumps(m.imports), "\n\n".join(m.docstrings) or None)
            for m in ex.modules
        ),
    )
    con.executemany("INSERT OR REPLACE INTO renames VALUES (?, ?, ?, ?, ?)", renames)
    con.executemany(
        "INSERT INTO warnings VALUES (?, ?, ?)", ((w.file, w.line, w.message) for w in ex.warnings)
    )
    con.executemany(
        "INSERT INTO notations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                e.token,
                e.kind,
                e.namespace,
                e.scope,
                e.head,
                e.module,
                e.fixity,
                e.precedence,
                e.follows,
            )
            for e in ex.notation_entries
        ),
    )
    mathlib = next((r.path for r in roots if (r.path / "docs" / "undergrad.yaml").is_file()), None)
    all_ids = dict(by_name)
    for k, name in enumerate(sorted(graph.unresolved)):
        all_ids.setdefault(name, n + k)
    concepts = build_concepts(decls, mathlib)
    concept_rows = []
    member_rows = []
    for cid, c in enumerate(concepts, start=1):
        concept_rows.append((cid, c.title, c.description, c.source, c.topic, c.group_key, c.domain))
        for m in c.members:
            member_rows.append((cid, m, all_ids.get(m)))
    con.executemany("INSERT INTO concepts VALUES (?, ?, ?, ?, ?, ?, ?)", concept_rows)
    con.executemany("INSERT INTO concept_members VALUES (?, ?, ?)", member_rows)
    con.executescript(INDEXES)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    log(f"database written ({time.time() - t0:.1f}s)")

    kinds = Counter(d.kind for d in decls)
    kinds["external"] = len(graph.unresolved)
    counts = {
        "declarations": len(decls),
        "external": len(graph.unresolved),
        "files": ex.files,
        "dependencies": len(graph.edges),
        "concepts": len(concepts),
        "notations": len(ex.notation_entries),
        "unreadable_notations": sum(
            w.message.startswith("unreadable notation") for w in ex.warnings
        ),
        **{f"kind:{k}": v for k, v in sorted(kinds.items())},
        **{f"origin:{k}": v for k, v in sorted(Counter(d.origin for d in decls).items())},
    }
    rename_sources = Counter(r[3].split(" @ ")[0] for r in renames)
    toolchain = next((r.lean_toolchain() for r in roots if r.lean_toolchain()), None)
    return Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        build_seconds=0.0,
        roots=[
            RootInfo(
                name=r.name,
                path=str(r.path),
                commit=r.git_commit(),
                lean_toolchain=r.lean_toolchain(),
                files=len(r.files()),
                version=core_version(r.path) if r.name == "LeanCore" else None,
            )
            for r in roots
        ],
        lean_toolchain=toolchain,
        counts=counts,
        import_roots=sorted(
            {m.module.split(".", 1)[0] for m in ex.modules if m.module}
            | {d.module.split(".", 1)[0] for d in decls if d.module}
        ),
        packages=[
            PackageInfo(name=p.name, rev=p.rev, url=p.url, required_by=r.name)
            for r in {r.path: r for r in reversed(roots)}.values()  # one per project directory
            for p in lake_packages(r.path)
        ],
        renames=dict(rename_sources),
        files_with_warnings=len({w.file for w in ex.warnings}),
        anonymous_instances=ex.anonymous_instances,
    )
