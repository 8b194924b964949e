"""The retrieval corpus: which declarations are searchable, and the text each channel sees.

Two corpora: `definitions` (types, functions, structure fields, constructors, and the external
names Mathlib uses from Lean core — what a formal statement *depends on*) and `theorems`
(theorems, lemmas, instances, aliases — what a user looks up as a known result). Private and
deprecated declarations and meta-programming code are left out of both.

Views (the text per declaration):
  formal    name in words, the name, its signature
  informal  docstring's first sentence (or concept description), name in words, domain
  combined  informal + formal
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

from indexer.models import DEFINITION_KINDS
from knowledge_base import KnowledgeBase
from knowledge_base.concepts import first_sentence, words
from retrieval.math_text import name_words

Corpus = Literal["definitions", "theorems", "all"]
View = Literal["formal", "informal", "combined"]
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

    def text(self, view: View) -> str:
        informal = first_sentence(self.docstring) if self.docstring else ""
        nw = name_words(self.name)
        dom = words(self.domain)
        if view == "informal":
            return f"{nw}: {informal} ({dom})" if informal else f"{nw} ({dom})"
        formal = f"{nw} {self.name} {self.signature}".strip()
        if view == "formal":
            return formal
        return f"{nw}: {informal} ({dom}) {self.name} {self.signature}".strip()


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


def load_docs(kb: KnowledgeBase | sqlite3.Connection) -> list[Doc]:
    """Every searchable declaration, definitions first, in a stable order."""
    con = kb.con if isinstance(kb, KnowledgeBase) else kb
    rows = con.execute(
        "SELECT d.id, d.name, d.kind, d.module, d.root, d.domain, d.docstring, d.signature, "
        "d.in_degree, d.origin, d.is_private, d.deprecated FROM declarations d ORDER BY d.id"
    )
    docs: list[Doc] = []
    seen: set[str] = set()
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
            )
        )
    docs.sort(key=lambda d: (d.corpus != "definitions", d.decl_id))
    return docs
