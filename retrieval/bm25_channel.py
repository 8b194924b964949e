"""Sparse retrieval: bm25s over math-aware tokens (see `math_text.tokenize`)."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np


class BM25Channel:
    def __init__(self, model: bm25s.BM25) -> None:
        self.model = model
        self.vocab: dict[str, int] = model.vocab_dict

    @classmethod
    def build(
        cls,
        corpus_tokens: list[list[str]],
        k1: float = 1.2,
        b: float = 0.75,
        method: str = "lucene",
    ) -> BM25Channel:
        model = bm25s.BM25(k1=k1, b=b, method=method)
        # An empty document would be dropped by bm25s and shift every row index after it.
        model.index([toks or ["∅"] for toks in corpus_tokens], show_progress=False)
        return cls(model)

    def save(self, directory: Path) -> None:
        self.model.save(str(directory))

    @classmethod
    def load(cls, directory: Path) -> BM25Channel:
        # Read into memory (16 MB for Mathlib): a memory map cost ~4 ms of page reads per query.
        return cls(bm25s.BM25.load(str(directory), mmap=False, load_corpus=False))

    @property
    def size(self) -> int:
        return int(self.model.scores["num_docs"])

    def scores(self, query_tokens: list[str]) -> np.ndarray | None:
        """The BM25 score of every row; None when no query token is in the vocabulary."""
        ids = [self.vocab[t] for t in query_tokens if t in self.vocab]
        return self.model.get_scores(ids) if ids else None

    def search(
        self, query_tokens: list[str], k: int, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row indices) of the top `k` rows, best first; `mask` zeroes out rows."""
        scores = self.scores(query_tokens)
        if scores is None:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        if mask is not None:
            scores = scores * mask
        # Most rows hold none of the query's tokens: select among those that scored (a
        # partition of all ~270k rows took most of this channel's time; the rows of a boolean
        # array are found 10x faster than those of the float scores). Ties go to the lower
        # row, so the top k does not depend on how the partition happens to order them.
        hit = np.flatnonzero(scores != 0)
        k = min(k, len(hit))
        if k == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scored = scores[hit]
        if len(hit) > k:
            kth = np.partition(scored, len(hit) - k)[len(hit) - k]
            above = hit[scored > kth]
            hit = np.concatenate([above, hit[scored == kth][: k - len(above)]])
        top = hit[np.lexsort((hit, -scores[hit]))]
        return scores[top].astype(np.float32), top.astype(np.int64)
