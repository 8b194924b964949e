"""The concept-definition layer (CRAMF-style): curated concept lists, one concept per definition
with a natural-language description, polymorphic concept groups, and a domain per module."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

# Mathlib's curated lists: concept title -> declaration name(s), by topic.
CURATED_FILES = ("undergrad", "overview", "100", "1000")
# `Data` is a grab bag in Mathlib: keep its second level (`Data.Nat`, `Data.Real`, ...).
_TWO_LEVEL = frozenset({"Data", "Tactic"})
_GROUP_PREFIXES = ("Add", "Comm", "Sub", "Mul")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9₀-₉']+|[^\W_]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`$(])|\n\s*\n")


@dataclass
class Concept:
    title: str
    description: str
    source: str
    topic: str
    domain: str
    members: list[str] = field(default_factory=list)
    group_key: str | None = None


@cache
def domain_of(module: str) -> str:
    """`Mathlib.Topology.Basic` -> `Topology`; `Mathlib.Data.Nat.Prime` -> `Data.Nat`.

    Any library is read the same way (`MyLib.Algebra.Foo` -> `Algebra`); a module with fewer
    than three components belongs to its library's name.
    """
    parts = module.split(".")
    if len(parts) >= 3:
        if parts[1] in _TWO_LEVEL and len(parts) >= 4:
            return f"{parts[1]}.{parts[2]}"
        return parts[1]
    return parts[0] if parts else ""


def words(name: str) -> str:
    """`Fintype.card` -> `fintype card`; `IsCompact` -> `is compact`; `mul_comm` -> `mul comm`."""
    out: list[str] = []
    for part in re.split(r"[._\s]+", name.replace("«", "").replace("»", "")):
        out.extend(w.lower() for w in _CAMEL.findall(part))
    return " ".join(out)


def first_sentence(doc: str, limit: int = 240) -> str:
    text = doc.strip()
    m = _SENTENCE_END.search(text)
    if m:
        text = text[: m.start()]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(name: str, docstring: str | None, kind: str, domain: str) -> str:
    """One-line description: the docstring's first sentence, else the name in words."""
    if docstring and docstring.strip():
        return first_sentence(docstring)
    return f"{words(name)} ({kind} in {words(domain) or 'lean'})"


def group_key(last: str, definitions: set[str]) -> str:
    """Polymorphic concept group of a definition's last name component.

    `AddCommGroup`, `CommGroup`, `Subgroup` -> `group` when `Group` is itself a definition;
    otherwise the name stands alone.
    """
    base = last
    changed = True
    while changed:
        changed = False
        for prefix in _GROUP_PREFIXES:
            rest = base[len(prefix) :]
            if base.startswith(prefix) and rest and (rest[0].isupper() or prefix == "Sub"):
                candidate = rest[0].upper() + rest[1:]
                if candidate in definitions:
                    base = candidate
                    changed = True
                    break
    return base.lower()


def curated_concepts(mathlib: Path) -> Iterator[Concept]:
    """Concepts of `docs/{undergrad,overview,100,1000}.yaml` in a Mathlib checkout."""
    for source in CURATED_FILES:
        path = mathlib / "docs" / f"{source}.yaml"
        if not path.is_file():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        if source in ("undergrad", "overview"):
            yield from _topic_tree(data, [], source)
        else:
            for key, item in data.items():
                if not isinstance(item, dict):
                    continue
                names = item.get("decls") or ([item["decl"]] if item.get("decl") else [])
                title = str(item.get("title", key))
                yield Concept(
                    title=title,
                    description=title,
                    source=source,
                    topic=str(key),
                    domain="",
                    members=[str(n) for n in names],
                )


def _topic_tree(node: object, path: list[str], source: str) -> Iterator[Concept]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _topic_tree(value, [*path, str(key)], source)
        return
    if not isinstance(node, str) or not path:
        return
    # Values are declaration names; links to web pages or module pages are not.
    names = [n for n in node.split() if n and "/" not in n and not n.startswith("http")]
    title = path[-1]
    yield Concept(
        title=title,
        description=f"{title} ({' / '.join(path[:-1])})",
        source=source,
        topic=" / ".join(path[:-1]),
        domain="",
        members=names,
    )


def curated_titles(con: sqlite3.Connection) -> list[tuple[str, str]]:
    """(concept title, declaration name) of every curated concept a knowledge base holds, in the
    order the lists give them: read from the index, so a rebuild of its retrieval channels
    (`index --from-index`) knows them without the Mathlib checkout."""
    sources = ",".join("?" * len(CURATED_FILES))
    return con.execute(
        "SELECT c.title, m.name FROM concepts c JOIN concept_members m ON m.concept_id = c.id "
        f"WHERE c.source IN ({sources}) ORDER BY c.id, m.rowid",
        CURATED_FILES,
    ).fetchall()


def curated_names(mathlib: Path) -> list[tuple[str, str, str]]:
    """(source file, concept title, declaration name) for every name the curated lists cite."""
    return [(c.source, c.title, n) for c in curated_concepts(mathlib) for n in c.members]
