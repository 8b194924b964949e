"""English descriptions of declarations written by a language model (`autoformalizer
informalize`), kept apart from the docstrings their authors wrote.

They live in the `descriptions` table of the knowledge base, one row per declaration, with the
model that wrote them. Indexes built before the table existed simply have none. Writing them
never edits an index in place: the index is staged beside itself (every file hard-linked but the
database, which is copied), the rows go into the copy, and the copy is swapped in atomically, so
an interrupted write leaves the previous index intact.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from knowledge_base.atomic import staging_dir, swap_into_place
from knowledge_base.manifest import Manifest
from knowledge_base.schema import DB_FILE, DESCRIPTIONS_DDL
from knowledge_base.store import select_in


@dataclass(frozen=True, slots=True)
class Description:
    decl_id: int
    text: str
    model: str
    key: str


def has_table(con: sqlite3.Connection) -> bool:
    row = con.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'descriptions'"
    ).fetchone()
    return row is not None


def read_descriptions(con: sqlite3.Connection, ids: list[int] | None = None) -> dict[int, str]:
    """decl_id -> model-written description (of `ids` only, when given)."""
    if not has_table(con):
        return {}
    if ids is None:
        return dict(con.execute("SELECT decl_id, text FROM descriptions"))
    return dict(
        select_in(con, "SELECT decl_id, text FROM descriptions WHERE decl_id IN ({ids})", ids)
    )


def write_descriptions(index: Path, rows: list[Description]) -> int:
    """Add (or replace) `rows` in the knowledge base of `index`; returns how many were written.
    The retrieval half is left as it was: `index --from-index` rebuilds it to use them."""
    if not rows:
        return 0
    staging = staging_dir(index)
    try:
        _stage_copy(index, staging)
        con = sqlite3.connect(staging / DB_FILE)
        try:
            con.executescript(DESCRIPTIONS_DDL)
            with con:
                con.executemany(
                    "INSERT OR REPLACE INTO descriptions (decl_id, text, model, key) "
                    "VALUES (?, ?, ?, ?)",
                    [(r.decl_id, r.text, r.model, r.key) for r in rows],
                )
        finally:
            con.close()
        Manifest.read(staging).seal(staging)
        swap_into_place(staging, index)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return len(rows)


def _stage_copy(index: Path, staging: Path) -> None:
    """`index` recreated in `staging`: the database copied, every other file hard-linked (the
    retrieval half is hundreds of megabytes that this write does not change)."""
    for path in index.rglob("*"):
        rel = path.relative_to(index)
        dest = staging / rel
        if path.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        if rel.as_posix() == DB_FILE:
            shutil.copy2(path, dest)
            continue
        try:
            os.link(path, dest)
        except OSError:  # another filesystem, or links not supported
            shutil.copy2(path, dest)
