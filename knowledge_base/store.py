"""Read access to a built knowledge base: lookup, Lean-style resolution, iteration, stats."""

from __future__ import annotations

import difflib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from indexer.errors import UserError
from indexer.lean_terms.syntax import Operators
from indexer.models import TYPED_BY_VALUE, Declaration, Deprecation
from knowledge_base.atomic import recover
from knowledge_base.manifest import Manifest
from knowledge_base.resolve import Entry, Resolution, resolve
from knowledge_base.schema import DB_FILE, MANIFEST_FILE, SCHEMA_VERSION


class IndexOpenError(UserError):
    """An index directory that cannot be opened: missing, incomplete or of another schema."""


_COLUMNS = (
    "id, name, kind, module, root, file, line_start, line_end, namespace, modifiers, attributes, "
    "docstring, signature, context_id, refs, origin, generated_from, alias_of, deprecated, "
    "deprecated_target, deprecated_since, deprecated_message, is_private, is_protected, "
    "signature_note"
)


_MAX_PARAMETERS = 900  # below SQLite's limit on bound parameters per statement


def select_in(con: sqlite3.Connection, query: str, ids: Sequence[int]) -> Iterator[tuple]:
    """The rows of `query` for all of `ids`: its `{ids}` placeholder becomes an `IN (...)`
    list, run in chunks small enough for SQLite."""
    for start in range(0, len(ids), _MAX_PARAMETERS):
        part = list(ids[start : start + _MAX_PARAMETERS])
        yield from con.execute(query.format(ids=",".join("?" * len(part))), part)


def damaged(directory: Path, problems: list[str] | str) -> str:
    """The one-line message for damaged index files."""
    listed = problems if isinstance(problems, str) else "; ".join(problems[:3])
    return f"index {directory} is damaged ({listed}): rebuild it with `autoformalizer index`"


def _sqlite_problem(db: Path) -> list[str]:
    """Whether `db` starts like an SQLite database and holds all the pages its header counts
    (a truncated copy fails only when a query reaches a missing page, far from here)."""
    with db.open("rb") as f:
        head = f.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\0"):
        return [f"{db.name} is not an SQLite database"]
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    size = db.stat().st_size
    if pages and size < pages * page_size:
        return [f"{db.name} is truncated ({size} bytes of {pages * page_size})"]
    return []


class KnowledgeBase:
    """A read-only view of one index directory."""

    def __init__(self, directory: Path, con: sqlite3.Connection, manifest: Manifest):
        self.directory = directory
        self.con = con
        self.manifest = manifest
        self._entry = lru_cache(maxsize=200_000)(self._entry_uncached)

    @classmethod
    def open(cls, directory: str | Path) -> KnowledgeBase:
        path = Path(directory).expanduser()
        recover(path)
        if not path.is_dir():
            raise IndexOpenError(f"no index at {path}: build one with `autoformalizer index`")
        if not (path / MANIFEST_FILE).is_file() or not (path / DB_FILE).is_file():
            raise IndexOpenError(f"{path} is not a complete index (manifest or database missing)")
        try:
            manifest = Manifest.read(path)
        except Exception as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise IndexOpenError(
                f"the manifest of index {path} is damaged ({first}): rebuild the index "
                "with `autoformalizer index`"
            ) from None
        if manifest.schema_version > SCHEMA_VERSION:
            raise IndexOpenError(
                f"index {path} was built by a newer autoformalizer (schema "
                f"{manifest.schema_version}; this version reads {SCHEMA_VERSION}): upgrade "
                "autoformalizer"
            )
        if manifest.schema_version < SCHEMA_VERSION:
            raise IndexOpenError(
                f"index {path} was built by an older autoformalizer (schema "
                f"{manifest.schema_version}; this version reads {SCHEMA_VERSION}): rebuild it "
                "with `autoformalizer index`"
            )
        problems = manifest.damaged_files(path, DB_FILE) or _sqlite_problem(path / DB_FILE)
        if problems:
            raise IndexOpenError(damaged(path, problems))
        con = sqlite3.connect(f"file:{path / DB_FILE}?mode=ro", uri=True, check_same_thread=False)
        return cls(path, con, manifest)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ lookup
    def _row_to_decl(self, row: tuple) -> Declaration:
        (
            _id,
            name,
            kind,
            module,
            root,
            file,
            ls,
            le,
            ns,
            mods,
            attrs,
            doc,
            sig,
            ctx,
            refs,
            origin,
            gen,
            alias,
            dep,
            dep_t,
            dep_s,
            dep_m,
            _priv,
            _prot,
            note,
        ) = row
        opens: list[str] = []
        variables: list[str] = []
        if ctx is not None:
            c = self.con.execute("SELECT opens, variables FROM contexts WHERE id = ?", (ctx,))
            got = c.fetchone()
            if got:
                opens, variables = json.loads(got[0]), json.loads(got[1])
        return Declaration(
            name=name,
            kind=kind,
            module=module,
            root=root,
            file=file,
            line_start=ls,
            line_end=le,
            modifiers=json.loads(mods),
            attributes=json.loads(attrs),
            deprecated=Deprecation(dep_t, dep_m, dep_s) if dep else None,
            docstring=doc,
            signature=sig,
            namespace=ns,
            opens=opens,
            variables=variables,
            references=json.loads(refs),
            origin=origin,
            generated_from=gen,
            alias_of=alias,
            signature_note=note,
            value=self._value(_id) if kind in TYPED_BY_VALUE else None,
        )

    def _count(self, table: str) -> int | None:
        """Rows of a table added within schema 2 (None in an index built without it)."""
        try:
            return self.con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        except sqlite3.OperationalError:
            return None

    def _value(self, decl_id: int) -> str | None:
        """A definition's value when its signature has no type (None in indexes built before
        values were recorded)."""
        try:
            row = self.con.execute(
                "SELECT value FROM definition_values WHERE decl_id = ?", (decl_id,)
            ).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def get(self, full_name: str) -> Declaration | None:
        """The declaration with exactly this full name (public and written ones first)."""
        row = self.con.execute(
            f"SELECT {_COLUMNS} FROM declarations WHERE name = ? "
            "ORDER BY is_private, origin != 'source', id LIMIT 1",
            (full_name,),
        ).fetchone()
        return self._row_to_decl(row) if row else None

    def _entry_uncached(self, name: str) -> Entry | None:
        row = self.con.execute(
            "SELECT id, name, kind, is_protected, is_private, deprecated, deprecated_target, "
            "deprecated_since, alias_of, namespace FROM declarations WHERE name = ? "
            "ORDER BY is_private, origin != 'source', id LIMIT 1",
            (name,),
        ).fetchone()
        if row is None:
            return None
        return Entry(
            id=row[0],
            name=row[1],
            kind=row[2],
            protected=bool(row[3]),
            private=bool(row[4]),
            deprecated=bool(row[5]),
            deprecated_target=row[6],
            deprecated_since=row[7],
            alias_of=row[8],
            namespace=row[9],
        )

    def entry(self, name: str) -> Entry | None:
        return self._entry(name)

    def is_namespace(self, name: str) -> bool:
        row = self.con.execute(
            "SELECT 1 FROM declarations WHERE name > ? AND name < ? LIMIT 1",
            (name + ".", name + "/"),
        ).fetchone()
        return row is not None

    def rename(self, name: str) -> tuple[str, str | None, str | None] | None:
        row = self.con.execute(
            "SELECT new, since, message FROM renames WHERE old = ?", (name,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def resolve(
        self,
        identifier: str,
        open_namespaces: tuple[str, ...] | list[str] = (),
        current_namespace: str | None = None,
    ) -> Resolution:
        """What `identifier` denotes with these `open`s inside `current_namespace`.

        Follows Lean's rules, then deprecated aliases to the current name, then Mathlib's rename
        history; names that only exist upstream come back as `external`.
        """
        return resolve(self, identifier, tuple(open_namespaces), current_namespace)

    def current_name(self, name: str) -> str | None:
        """What the full name `name` denotes here (`Resolution.current_name`)."""
        return self.resolve(name).current_name

    # -------------------------------------------------------------- iteration
    def names_with_prefix(self, prefix: str, limit: int | None = None) -> list[str]:
        sql = "SELECT DISTINCT name FROM declarations WHERE name >= ? AND name < ? ORDER BY name"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [r[0] for r in self.con.execute(sql, (prefix, prefix + "\U0010ffff"))]

    def iter_declarations(
        self, kind: str | None = None, module: str | None = None
    ) -> Iterator[Declaration]:
        clauses, args = [], []
        if kind is not None:
            clauses.append("kind = ?")
            args.append(kind)
        if module is not None:
            clauses.append("module = ?")
            args.append(module)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        cur = self.con.execute(f"SELECT {_COLUMNS} FROM declarations {where} ORDER BY id", args)
        for row in cur:
            yield self._row_to_decl(row)

    def modules(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT name FROM modules ORDER BY name")]

    def in_degree(self, full_name: str) -> int:
        row = self.con.execute(
            "SELECT MAX(in_degree) FROM declarations WHERE name = ?", (full_name,)
        ).fetchone()
        return int(row[0] or 0)

    def dependencies(self, full_name: str) -> list[str]:
        """Names the declaration's signature refers to, resolved."""
        return [
            r[0]
            for r in self.con.execute(
                "SELECT d.name FROM declarations s JOIN dependencies g ON g.src = s.id "
                "JOIN declarations d ON d.id = g.dst WHERE s.name = ? ORDER BY d.name",
                (full_name,),
            )
        ]

    def dependents(self, full_name: str, limit: int = 50) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT s.name FROM declarations d JOIN dependencies g ON g.dst = d.id "
                "JOIN declarations s ON s.id = g.src WHERE d.name = ? ORDER BY s.name LIMIT ?",
                (full_name, limit),
            )
        ]

    def suggestions(self, identifier: str, limit: int = 5) -> list[str]:
        """Existing names sharing the last component of `identifier`, most used first."""
        last = identifier.rpartition(".")[2]
        return [
            r[0]
            for r in self.con.execute(
                "SELECT name FROM declarations WHERE last = ? AND is_private = 0 "
                "ORDER BY in_degree DESC, name LIMIT ?",
                (last, limit),
            )
        ]

    def close_names(self, identifier: str, limit: int = 5) -> list[str]:
        """Existing public names spelt like `identifier`: same last component first, then
        near misses of the last component within the same namespace, then anywhere."""
        namespace, _, last = identifier.rpartition(".")
        found = self.suggestions(identifier, limit)
        if len(found) >= limit or not last:
            return found[:limit]
        pool: dict[str, str] = {}
        if namespace:
            for name in self.names_with_prefix(namespace + ".", limit=20000):
                pool.setdefault(name.rpartition(".")[2], name)
        head = last[:2]
        for name, tail in self.con.execute(
            "SELECT name, last FROM declarations WHERE last >= ? AND last < ? AND is_private = 0 "
            "AND length(last) BETWEEN ? AND ? ORDER BY in_degree DESC LIMIT 20000",
            (head, head + "\U0010ffff", len(last) - 3, len(last) + 3),
        ):
            pool.setdefault(tail, name)
        for tail in difflib.get_close_matches(last, list(pool), n=limit, cutoff=0.75):
            if pool[tail] not in found:
                found.append(pool[tail])
        return found[:limit]

    def concepts_for(self, full_name: str) -> list[dict[str, str]]:
        rows = self.con.execute(
            "SELECT c.title, c.description, c.source, c.topic, c.group_key FROM concepts c "
            "JOIN concept_members m ON m.concept_id = c.id WHERE m.name = ?",
            (full_name,),
        )
        return [
            dict(zip(("title", "description", "source", "topic", "group"), r, strict=True))
            for r in rows
        ]

    def concept_group(self, key: str) -> list[str]:
        return [
            r[0]
            for r in self.con.execute(
                "SELECT m.name FROM concepts c JOIN concept_members m ON m.concept_id = c.id "
                "WHERE c.group_key = ? ORDER BY m.name",
                (key,),
            )
        ]

    # --------------------------------------------------------------- notation
    def notations(self, token: str) -> list[tuple[str, str, str, str | None]]:
        """(kind, namespace, scope, head) of each notation declaring `token`."""
        return self.con.execute(
            "SELECT kind, namespace, scope, head FROM notations WHERE token = ?", (token,)
        ).fetchall()

    def notation_follows(self, token: str) -> list[tuple[str, str, str | None]]:
        """(namespace, scope, follows) of each notation declaring `token`: the token it writes
        next, None where it may end there. An index built before this was recorded: none."""
        try:
            return self.con.execute(
                "SELECT namespace, scope, follows FROM notations WHERE token = ?", (token,)
            ).fetchall()
        except sqlite3.OperationalError:
            return []

    def library_roots(self) -> frozenset[str]:
        """Module roots of declarations read from a declaration library (`index --library`)
        and of no source file: the index knows their names, not their notation."""
        if not hasattr(self, "_library_roots"):
            rows = self.con.execute(
                "SELECT DISTINCT d.module FROM declarations d LEFT JOIN modules m "
                "ON m.name = d.module WHERE m.name IS NULL AND d.kind != 'external'"
            ).fetchall()
            sourced = {m.split(".", 1)[0] for m in self.modules()}
            self._library_roots = frozenset(
                root for r in rows if r[0] and (root := r[0].split(".", 1)[0]) not in sourced
            )
        return self._library_roots

    def continuing_tokens(self) -> frozenset[str]:
        """Every token some notation writes after another one (`]`, `‖` of `‖x‖`, `[MOD`)."""
        if not hasattr(self, "_continuing"):
            try:
                rows = self.con.execute(
                    "SELECT DISTINCT follows FROM notations WHERE follows IS NOT NULL"
                ).fetchall()
            except sqlite3.OperationalError:
                rows = []
            self._continuing = frozenset(r[0] for r in rows)
        return self._continuing

    def notation_tokens(self) -> tuple[str, ...]:
        """Every token a global or scoped notation declares (for the term reader's lexer)."""
        if not hasattr(self, "_tokens"):
            rows = self.con.execute("SELECT DISTINCT token FROM notations WHERE scope != 'local'")
            self._tokens = tuple(sorted(r[0] for r in rows))
        return self._tokens

    def operators(self) -> Operators:
        """The operators global notation declares, with their precedence (`infixr:80 " ∘L "`),
        for the term reader, read as `Operators.declared` reads them. An index built before
        operators were recorded has none."""
        if not hasattr(self, "_operators"):
            try:
                rows = self.con.execute(
                    "SELECT token, fixity, precedence FROM notations "
                    "WHERE scope = 'global' AND fixity IS NOT NULL AND precedence IS NOT NULL"
                ).fetchall()
            except sqlite3.OperationalError:
                rows = []
            self._operators = Operators.declared(map(tuple, rows))
        return self._operators

    # ------------------------------------------------------------------ stats
    def stats(self) -> dict[str, object]:
        con = self.con
        by_kind = dict(
            con.execute(
                "SELECT kind, COUNT(*) FROM declarations GROUP BY kind ORDER BY kind"
            ).fetchall()
        )
        by_origin = dict(
            con.execute(
                "SELECT origin, COUNT(*) FROM declarations GROUP BY origin ORDER BY origin"
            ).fetchall()
        )
        by_root = dict(
            con.execute(
                "SELECT root, COUNT(*) FROM declarations WHERE kind != 'external' GROUP BY root"
            ).fetchall()
        )
        total = sum(v for k, v in by_kind.items() if k != "external")
        return {
            "declarations": total,
            "external": by_kind.get("external", 0),
            "by_kind": by_kind,
            "by_origin": by_origin,
            "by_root": by_root,
            "modules": con.execute("SELECT COUNT(*) FROM modules").fetchone()[0],
            "dependencies": con.execute("SELECT COUNT(*) FROM dependencies").fetchone()[0],
            "renames": con.execute("SELECT COUNT(*) FROM renames").fetchone()[0],
            "concepts": con.execute("SELECT COUNT(*) FROM concepts").fetchone()[0],
            "deprecated": con.execute(
                "SELECT COUNT(*) FROM declarations WHERE deprecated = 1"
            ).fetchone()[0],
            "warnings": con.execute("SELECT COUNT(*) FROM warnings").fetchone()[0],
            "notations": dict(
                con.execute("SELECT scope, COUNT(*) FROM notations GROUP BY scope").fetchall()
            ),
            "unreadable_notations": con.execute(
                "SELECT COUNT(*) FROM warnings WHERE message LIKE 'unreadable notation%'"
            ).fetchone()[0],
            "definition_values": self._count("definition_values"),
            "files_with_warnings": self.manifest.files_with_warnings,
            "anonymous_instances_skipped": self.manifest.anonymous_instances,
            "roots": [r.model_dump() for r in self.manifest.roots],
            "packages": [p.model_dump() for p in self.manifest.packages],
            "build_seconds": self.manifest.build_seconds,
        }
