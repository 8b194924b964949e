"""Recall@k, the one implementation every evaluation uses (benchmarks, the cross-modal
evaluation, reranker training).

Ranks are pessimistic: an item tied with others is ranked below all of them, so a model that
gives every candidate the same score gets no credit for where the target happens to sit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pessimistic_ranks(scores: np.ndarray, relevant: np.ndarray) -> np.ndarray:
    """0-based rank of each relevant item (`relevant`: a boolean mask or indices into
    `scores`), ties broken against it: the number of other items scoring at least as high."""
    scores = np.asarray(scores, dtype=np.float64)
    return np.array([np.count_nonzero(scores >= v) - 1 for v in scores[relevant]], dtype=np.int64)


def recall_at_k(ranks: Sequence[int] | np.ndarray, n_relevant: int, k: int) -> float:
    """Share of the `n_relevant` items ranked in the top `k` (`ranks`: 0-based, of those
    found; relevant items never retrieved are simply absent)."""
    if n_relevant <= 0:
        return 0.0
    return float(np.sum(np.asarray(ranks) < k)) / n_relevant
