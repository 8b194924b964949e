"""The example bank: natural-language / Lean pairs shown to the model as few-shot examples.

Two sources: miniF2F *valid* (competition statements with their Lean 4 formalizations, read
from a JSONL file) and Mathlib's own theorems with docstrings (docstring <-> `theorem name
signature`), read from the knowledge base. Retrieval is BM25 over the informal side with the
math-aware tokenizer. The item being formalized is never its own example: rows with the same id
or the same informal text are excluded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from indexer.errors import UserError
from indexer.jsonl import iter_jsonl
from knowledge_base import KnowledgeBase
from retrieval.bm25_channel import BM25Channel
from retrieval.math_text import tokenize


class Example(BaseModel):
    id: str
    source: str  # minif2f-valid | mathlib
    informal: str
    formal: str
    score: float = 0.0


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@dataclass
class ExampleBank:
    examples: list[Example]
    channel: BM25Channel | None

    @classmethod
    def build(cls, examples: list[Example]) -> ExampleBank:
        channel = BM25Channel.build([tokenize(e.informal) for e in examples]) if examples else None
        return cls(examples, channel)

    def search(self, text: str, k: int, exclude_id: str | None = None) -> list[Example]:
        if self.channel is None or k <= 0:
            return []
        scores, rows = self.channel.search(tokenize(text), k + 8)
        key = _key(text)
        out: list[Example] = []
        for score, row in zip(scores, rows):
            ex = self.examples[int(row)]
            if ex.id == exclude_id or _key(ex.informal) == key:
                continue
            out.append(ex.model_copy(update={"score": float(score)}))
            if len(out) == k:
                break
        return out

    def __len__(self) -> int:
        return len(self.examples)


class ExampleFileError(UserError, ValueError):
    pass


def load_examples(path: Path, split: str = "valid") -> list[Example]:
    """Pairs from a JSONL file: miniF2F rows (`informal_statement`, `formal_statement`; only
    `split`, valid by default, since test is for evaluation) or `{"id", "informal", "formal"}`."""
    out = []
    for lineno, row in iter_jsonl(path, ExampleFileError, "example"):
        if "formal_statement" in row:
            if row.get("split", split) != split:
                continue
            informal, formal = row.get("informal_statement"), row["formal_statement"]
            ident, source = row.get("name", f"{path.stem}:{lineno}"), f"minif2f-{split}"
        else:
            informal, formal = row.get("informal"), row.get("formal")
            ident, source = str(row.get("id", f"{path.stem}:{lineno}")), path.stem
        if not isinstance(informal, str) or not isinstance(formal, str):
            raise ExampleFileError(f"{path}:{lineno}: needs informal and formal statements")
        informal, formal = informal.strip(), formal.strip()
        out.append(Example(id=ident, source=source, informal=informal, formal=formal))
    return out


def mathlib_examples(kb: KnowledgeBase, limit: int | None = None) -> list[Example]:
    """Public, current Mathlib theorems whose docstring says what they state."""
    sql = (
        "SELECT d.name, d.signature, d.docstring, c.variables FROM declarations d "
        "LEFT JOIN contexts c ON c.id = d.context_id WHERE docstring IS NOT NULL "
        "AND kind IN ('theorem', 'lemma') AND origin = 'source' AND is_private = 0 "
        "AND deprecated = 0 AND length(docstring) BETWEEN 30 AND 600 ORDER BY in_degree DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    out = []
    for name, signature, doc, variables in kb.con.execute(sql):
        if not signature.strip() or "`" in doc[:1]:
            continue
        used = _used_variables(json.loads(variables) if variables else [], signature)
        if used:
            signature = f"{' '.join(used)} {signature}"
        out.append(
            Example(
                id=name,
                source="mathlib",
                informal=" ".join(doc.split()),
                formal=f"theorem {name} {signature} := by sorry",
            )
        )
    return out


_WORD = re.compile(r"[^\W\d][\w'₀-₉]*")


def _used_variables(groups: list[str], signature: str) -> list[str]:
    """The `variable` binder groups a signature uses, roughly as Lean includes them: groups
    binding a name the signature mentions (and the names their types mention), then the
    instance groups all of whose variables are included."""
    bound: list[set[str]] = []
    for g in groups:
        head, colon, _ = g[1:-1].partition(":")
        bound.append(set(_WORD.findall(head)) if colon and not g.startswith("[") else set())
    all_vars = set().union(*bound) if bound else set()
    kept = set(_WORD.findall(signature)) & all_vars
    changed = True
    while changed:
        changed = False
        for names, g in zip(bound, groups):
            if names & kept:
                new = (set(_WORD.findall(g)) & all_vars) - kept
                if new:
                    kept |= new
                    changed = True
    out = []
    for names, g in zip(bound, groups):
        mentions = set(_WORD.findall(g)) & all_vars
        if names & kept or (g.startswith("[") and mentions and mentions <= kept):
            out.append(g)
    return out


def build_bank(
    kb: KnowledgeBase | None, files: list[Path] | None = None, mathlib_limit: int | None = None
) -> ExampleBank:
    examples: list[Example] = []
    for path in files or []:
        if not path.is_file():
            raise ExampleFileError(f"examples file {path} does not exist")
        examples.extend(load_examples(path))
    if kb is not None:
        examples.extend(mathlib_examples(kb, mathlib_limit))
    return ExampleBank.build(examples)
