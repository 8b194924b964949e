"""Cross-modal retrieval: does the informal statement find its own Lean statement?

Pool = the pairs' formal statements + declaration texts of the index as distractors (by
default every public declaration with a docstring, about 71,500 in Mathlib — the pool the
ProofBridge-style calibration uses; `--distractors all` takes every declaration). Each informal
statement is a query; R@k is the share whose own formal statement ranks in the top k. Models
side by side: the joint model (shipped or `--joint DIR`) and the base encoder.

    autoformalizer eval crossmodal --index DIR --pairs FILE.jsonl --json OUT
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from indexer.jsonl import iter_jsonl
from knowledge_base import KnowledgeBase
from retrieval.embedder import Embedder
from retrieval.joint_embedding import declaration_text, formal_text


class PairsError(ValueError):
    pass


def read_pairs(path: Path) -> list[dict[str, str]]:
    rows = []
    for lineno, row in iter_jsonl(path, PairsError, "pairs"):
        if not isinstance(row.get("informal"), str) or not isinstance(row.get("formal"), str):
            raise PairsError(f"{path}:{lineno}: needs `informal` and `formal`")
        rows.append(
            {"id": str(row.get("id", lineno)), "informal": row["informal"], "formal": row["formal"]}
        )
    if not rows:
        raise PairsError(f"{path} holds no pairs")
    return rows


def distractor_texts(kb: KnowledgeBase, which: str = "documented") -> list[str]:
    sql = "SELECT kind, name, signature FROM declarations WHERE is_private = 0"
    if which == "documented":
        sql += " AND docstring IS NOT NULL AND deprecated = 0 AND origin = 'source'"
    return [declaration_text(k, n, s) for k, n, s in kb.con.execute(sql)]


def recall_at(
    embedder: Embedder,
    rows: list[dict[str, str]],
    distractors: list[str],
    ks: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 50),
    progress=None,
) -> dict[str, float]:
    own = [formal_text(r["formal"]) for r in rows]
    pool = list(dict.fromkeys(own + distractors))
    position = {t: i for i, t in enumerate(pool)}
    docs = embedder.encode_documents(pool, progress=progress)
    queries = embedder.encode_queries([r["informal"] for r in rows])
    hits = {k: 0 for k in ks}
    for q, text in zip(queries, own):
        scores = docs @ q
        target = scores[position[text]]
        rank = int(np.sum(scores > target))  # 0-based; ties favour the target
        for k in ks:
            hits[k] += rank < k
    return {f"R@{k}": hits[k] / len(rows) for k in ks} | {"queries": len(rows), "pool": len(pool)}


def markdown_table(metrics: dict[str, dict[str, float]], ks: tuple[int, ...] = (1, 5, 10)) -> str:
    lines = ["| model | " + " | ".join(f"R@{k}" for k in ks) + " | queries | pool |"]
    lines.append("|---|" + "---|" * (len(ks) + 2))
    for label, m in metrics.items():
        cells = " | ".join(f"{m[f'R@{k}']:.3f}" for k in ks)
        lines.append(f"| {label} | {cells} | {m['queries']} | {m['pool']} |")
    return "\n".join(lines)
