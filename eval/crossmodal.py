"""Cross-modal retrieval: does the informal statement find its own Lean statement?

Pool = the pairs' formal statements + declaration texts of the index as distractors (by
default every public declaration with a docstring, about 71,500 in Mathlib — the pool the
ProofBridge-style calibration uses; `--distractors all` takes every declaration). Each informal
statement is a query; R@k is the share whose own formal statement ranks in the top k. Models
side by side: the joint model (shipped or `--joint DIR`) and the base encoder, each alone and
fused with BM25 (`MODEL+bm25`: cosine + weight x BM25 / the query's best BM25), plus BM25 alone.
The lexical channel catches what a small encoder blurs: the numbers of a competition problem
("x_1 + 4x_2 + 9x_3 = 1" against `a + 4 * b + 9 * c = 1`), which most miniF2F misses were.

    autoformalizer eval crossmodal --index DIR --pairs FILE.jsonl --json OUT
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from indexer.errors import UserError
from indexer.jsonl import iter_jsonl
from knowledge_base import KnowledgeBase
from retrieval.bm25_channel import BM25Channel
from retrieval.embedder import Embedder
from retrieval.joint_embedding import declaration_text, formal_text
from retrieval.math_text import tokenize
from retrieval.metrics import pessimistic_ranks, recall_at_k

KS = (1, 2, 3, 5, 10, 20, 50)
# Weight of the normalised BM25 score added to the cosine in the hybrid rows ("joint+bm25"):
# calibrated on miniF2F *valid* (244 pairs, same pool) — R@1 of joint+bm25 there: 0.922 at
# 0.1, 0.934 at 0.2, 0.906 at 0.3 — and never on the reported test sets.
BM25_WEIGHT = 0.2


class PairsError(UserError, ValueError):
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


def pool_of(rows: list[dict[str, str]], distractors: list[str]) -> tuple[list[str], list[int]]:
    """The pool (own formal statements first, duplicates once) and each row's target index."""
    own = [formal_text(r["formal"]) for r in rows]
    pool = list(dict.fromkeys(own + distractors))
    position = {t: i for i, t in enumerate(pool)}
    return pool, [position[t] for t in own]


def dense_scores(
    embedder: Embedder, rows: list[dict[str, str]], pool: list[str], progress=None
) -> np.ndarray:
    """Cosine of every informal statement with every pool text, (queries, pool)."""
    docs = embedder.encode_documents(pool, progress=progress)
    queries = embedder.encode_queries([r["informal"] for r in rows])
    return queries @ docs.T


def _lexical_tokens(text: str) -> list[str]:
    """Math-aware tokens with numbers read as numbers ("060" in an answer is Lean's `60`)."""
    return [t.lstrip("0") or "0" if t.isascii() and t.isdigit() else t for t in tokenize(text)]


def bm25_scores(rows: list[dict[str, str]], pool: list[str]) -> np.ndarray:
    """BM25 of every informal statement against every pool text, each row divided by its
    maximum so that it lies in [0, 1] and adds to a cosine with one weight for all queries."""
    channel = BM25Channel.build([_lexical_tokens(t) for t in pool])
    out = np.zeros((len(rows), len(pool)), dtype=np.float32)
    for i, row in enumerate(rows):
        scores = channel.scores(_lexical_tokens(row["informal"]))
        if scores is not None:
            out[i] = scores / max(float(scores.max()), 1e-9)
    return out


def recall(scores: np.ndarray, targets: list[int], ks: tuple[int, ...] = KS) -> dict[str, float]:
    """R@k from a (queries, pool) score matrix; a tie is counted against the target."""
    rank = np.array([pessimistic_ranks(row, [t])[0] for row, t in zip(scores, targets)])
    return {f"R@{k}": recall_at_k(rank, len(targets), k) for k in ks} | {
        "queries": len(targets),
        "pool": int(scores.shape[1]),
    }


def markdown_table(metrics: dict[str, dict[str, float]], ks: tuple[int, ...] = (1, 5, 10)) -> str:
    lines = ["| model | " + " | ".join(f"R@{k}" for k in ks) + " | queries | pool |"]
    lines.append("|---|" + "---|" * (len(ks) + 2))
    for label, m in metrics.items():
        cells = " | ".join(f"{m[f'R@{k}']:.3f}" for k in ks)
        lines.append(f"| {label} | {cells} | {m['queries']} | {m['pool']} |")
    return "\n".join(lines)
