"""The retrieval corpus: which declarations are searchable, and the text each channel sees.

Two corpora: `definitions` (types, functions, structure fields, constructors, and the external
names Mathlib uses from Lean core — what a formal statement *depends on*) and `theorems`
(theorems, lemmas, instances, aliases — what a user looks up as a known result). Private and
deprecated declarations and meta-programming code are left out of both.

Views (the text per declaration):
  formal    name in words, the name, its signature
  informal  docstring's first sentence (or a model-written description), name in words, domain
  combined  informal + formal
  english   combined + the statement rendered in English (`knowledge_base.rendering`)
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from indexer.lean_terms import parse_signature
from indexer.lean_terms.split import iff_direction
from indexer.models import DEFINITION_KINDS
from knowledge_base import KnowledgeBase
from knowledge_base.concepts import first_sentence, words
from knowledge_base.descriptions import has_table, read_descriptions
from knowledge_base.rendering import concept_glosses, render
from knowledge_base.resolve import lean_matches
from knowledge_base.store import select_in
from retrieval.math_text import name_words

Corpus = Literal["definitions", "theorems", "all"]
View = Literal["formal", "informal", "combined", "english"]
CORPORA: tuple[str, ...] = ("definitions", "theorems")

DEFINITION_LIKE = DEFINITION_KINDS | {"structure field", "constructor", "external"}
THEOREM_LIKE = frozenset({"theorem", "lemma", "instance", "alias"})
# Modules of meta-programming code: tactics and linters are not mathematics to depend on.
_META_PREFIXES = (
    "Mathlib.Tactic.",
    "Mathlib.Util.",
    "Mathlib.Lean.",
    "Mathlib.Testing.",
    "Mathlib.Deriving.",
    "Batteries.Tactic.",
    "Batteries.CodeAction.",
    "Batteries.Linter.",
    "Batteries.Util.",
    "Batteries.Lean.",
)
_LIBRARY_ROOTS_EXCLUDED_FROM_DEFINITIONS = ("Archive", "Counterexamples")


@dataclass(slots=True)
class Doc:
    decl_id: int
    name: str
    kind: str
    corpus: str
    module: str
    domain: str
    docstring: str
    signature: str
    in_degree: int
    origin: str
    description: str = ""  # model-written (`autoformalizer informalize`), when no docstring
    rendering: str = ""  # the statement in English, filled by `add_renderings` when a view needs it

    @property
    def about(self) -> str:
        """What the declaration is about in words: its docstring, else a model's description."""
        return self.docstring or self.description

    def text(self, view: View) -> str:
        informal = first_sentence(self.about) if self.about else ""
        nw = name_words(self.name)
        dom = words(self.domain)
        if view == "informal":
            return f"{nw}: {informal} ({dom})" if informal else f"{nw} ({dom})"
        formal = f"{nw} {self.name} {self.signature}".strip()
        if view == "formal":
            return formal
        combined = f"{nw}: {informal} ({dom}) {self.name} {self.signature}".strip()
        if view == "english" and self.rendering:
            return f"{combined} {self.rendering}"
        return combined


def corpus_of(kind: str, module: str, root: str, private: bool, deprecated: bool) -> str | None:
    if private or deprecated or module.startswith(_META_PREFIXES):
        return None
    if kind in DEFINITION_LIKE:
        if root in _LIBRARY_ROOTS_EXCLUDED_FROM_DEFINITIONS:
            return "theorems"  # searchable as known results, never suggested as a dependency
        return "definitions"
    if kind in THEOREM_LIKE:
        return "theorems"
    return None


def load_docs(kb: KnowledgeBase) -> list[Doc]:
    """Every searchable declaration, definitions first, in a stable order."""
    con = kb.con
    rows = con.execute(
        "SELECT d.id, d.name, d.kind, d.module, d.root, d.domain, d.docstring, d.signature, "
        "d.in_degree, d.origin, d.is_private, d.deprecated FROM declarations d ORDER BY d.id"
    )
    docs: list[Doc] = []
    seen: set[str] = set()
    described = read_descriptions(con)
    for i, name, kind, module, root, domain, doc, sig, indeg, origin, priv, dep in rows:
        corpus = corpus_of(kind, module, root, bool(priv), bool(dep))
        if corpus is None or name in seen or origin == "parent projection":
            continue
        seen.add(name)
        docs.append(
            Doc(
                i,
                name,
                kind,
                corpus,
                module,
                domain or "",
                doc or "",
                sig or "",
                int(indeg or 0),
                origin,
                described.get(i, ""),
            )
        )
    _alias_signatures(kb, docs)
    docs.sort(key=lambda d: (d.corpus != "definitions", d.decl_id))
    return docs


def _alias_signatures(kb: KnowledgeBase, docs: list[Doc]) -> None:
    """An `alias` or `export` states what its target states: give it the target's signature
    (2,814 of Mathlib's searchable aliases had none, so their statements were unsearchable),
    and `alias ⟨a, b⟩ := foo_iff` gives `a` and `b` the two directions of the `↔`. The target
    is resolved by the knowledge base's own Lean rules (`lean_matches`)."""
    for d in docs:
        if d.signature or d.kind != "alias":
            continue
        # by id: a name an alias shares with another declaration (`xor_self`) is not its own
        target, namespace = kb.con.execute(
            "SELECT alias_of, namespace FROM declarations WHERE id = ?", (d.decl_id,)
        ).fetchone()
        if not target:
            continue
        direction = None
        if target.endswith((".mp", ".mpr")):  # `alias ⟨a, b⟩ := foo_iff`
            target, _, direction = target.rpartition(".")
        for match in lean_matches(kb, target, namespace, ()):
            (signature,) = kb.con.execute(
                "SELECT signature FROM declarations WHERE id = ?", (match.id,)
            ).fetchone()
            if signature:
                d.signature = (
                    (iff_direction(signature, direction) or "") if direction else signature
                )
                break


def add_renderings(kb: KnowledgeBase, docs: list[Doc]) -> None:
    """Fill `rendering` of every theorem with a signature (about 0.3 ms each)."""
    glosses = concept_glosses(kb.con)
    for d in docs:
        if d.corpus == "theorems" and d.signature:
            d.rendering = render(parse_signature(d.signature), glosses.get)


DOCS_FILE = "docs.npz"
_CORPUS_CODE = {"definitions": 0, "theorems": 1}


def save_table(docs: list[Doc], path: Path) -> None:
    """What a search needs of every document without reading them all: ids, corpus, use."""
    np.savez(
        path,
        decl_ids=np.array([d.decl_id for d in docs], dtype=np.int64),
        corpus=np.array([_CORPUS_CODE[d.corpus] for d in docs], dtype=np.uint8),
        in_degree=np.array([d.in_degree for d in docs], dtype=np.int64),
    )


class DocTable:
    """The documents by row: three arrays in memory, each document read from the knowledge
    base when a search first needs it. Opening an index used to build 270,000 `Doc`s, a
    second and a half of every cold search."""

    _FIELDS = (
        "d.id, d.name, d.kind, d.module, d.domain, d.docstring, d.signature, d.in_degree, d.origin"
    )

    def __init__(
        self,
        con: sqlite3.Connection,
        decl_ids: np.ndarray,
        corpus: np.ndarray,
        in_degree: np.ndarray,
    ) -> None:
        self.con = con
        self.decl_ids = decl_ids
        self.corpus_codes = corpus
        self.in_degree = in_degree
        self._order = np.argsort(decl_ids, kind="stable")
        self._sorted_ids = decl_ids[self._order]
        self._cache: dict[int, Doc] = {}
        self._rows: dict[str, int | None] = {}  # name -> row, as `row` found it
        # one query per prefetch: the model-written description joined in when the index has
        # the table (indexes from before it have none)
        described = has_table(con)
        about = "x.text" if described else "NULL"
        joined = " LEFT JOIN descriptions x ON x.decl_id = d.id" if described else ""
        self._select = (
            f"SELECT {self._FIELDS}, {about} FROM declarations d{joined} WHERE d.id IN ({{ids}})"
        )

    @classmethod
    def load(cls, con: sqlite3.Connection, path: Path) -> DocTable:
        with np.load(path, allow_pickle=False) as data:
            return cls(con, data["decl_ids"], data["corpus"], data["in_degree"])

    @classmethod
    def of(cls, con: sqlite3.Connection, docs: list[Doc]) -> DocTable:
        table = cls(
            con,
            np.array([d.decl_id for d in docs], dtype=np.int64),
            np.array([_CORPUS_CODE[d.corpus] for d in docs], dtype=np.uint8),
            np.array([d.in_degree for d in docs], dtype=np.int64),
        )
        table._cache = dict(enumerate(docs))
        return table

    def __len__(self) -> int:
        return len(self.decl_ids)

    def corpus(self, row: int) -> str:
        return CORPORA[int(self.corpus_codes[row])]

    def mask(self, corpus: str) -> np.ndarray:
        if corpus == "all":
            return np.ones(len(self), dtype=np.float32)
        return (self.corpus_codes == _CORPUS_CODE[corpus]).astype(np.float32)

    def row_of_id(self, decl_id: int) -> int | None:
        i = int(np.searchsorted(self._sorted_ids, decl_id))
        if i < len(self._sorted_ids) and self._sorted_ids[i] == decl_id:
            return int(self._order[i])
        return None

    def row(self, name: str) -> int | None:
        """The row of the searchable declaration called `name`, if any."""
        if name in self._rows:
            return self._rows[name]
        found = None
        for (decl_id,) in self.con.execute(
            "SELECT id FROM declarations WHERE name = ? ORDER BY id", (name,)
        ):
            found = self.row_of_id(decl_id)
            if found is not None:
                break
        if len(self._rows) < 200_000:  # the concept names queries mention repeat
            self._rows[name] = found
        return found

    def prefetch(self, rows: list[int]) -> None:
        """Read the documents of `rows` not yet read, in one query."""
        todo = sorted({r for r in rows if r not in self._cache})
        ids = {int(self.decl_ids[r]): r for r in todo}
        for i, name, kind, module, domain, doc, sig, indeg, origin, about in select_in(
            self.con, self._select, list(ids)
        ):
            row = ids[i]
            self._cache[row] = Doc(
                i,
                name,
                kind,
                self.corpus(row),
                module,
                domain or "",
                doc or "",
                sig or "",
                int(indeg or 0),
                origin,
                about or "",
            )

    def __getitem__(self, row: int) -> Doc:
        doc = self._cache.get(row)
        if doc is None:
            self.prefetch([row])
            doc = self._cache[row]
        return doc
