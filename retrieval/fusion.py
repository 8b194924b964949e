"""Fusing ranked lists: reciprocal-rank fusion and weighted (min-max normalised) scores."""

from __future__ import annotations

from collections.abc import Mapping


def rrf(
    rankings: Mapping[str, list[int]], k: float = 60.0, weights: Mapping[str, float] | None = None
) -> dict[int, float]:
    """Reciprocal-rank fusion: sum over channels of weight / (k + rank), ranks from 1."""
    out: dict[int, float] = {}
    for channel, rows in rankings.items():
        w = 1.0 if weights is None else weights.get(channel, 1.0)
        for rank, row in enumerate(rows, start=1):
            out[row] = out.get(row, 0.0) + w / (k + rank)
    return out


def weighted(
    scores: Mapping[str, Mapping[int, float]], weights: Mapping[str, float] | None = None
) -> dict[int, float]:
    """Sum of min-max normalised channel scores, weighted; absent rows count as 0."""
    out: dict[int, float] = {}
    for channel, by_row in scores.items():
        if not by_row:
            continue
        lo, hi = min(by_row.values()), max(by_row.values())
        span = hi - lo or 1.0
        w = 1.0 if weights is None else weights.get(channel, 1.0)
        for row, s in by_row.items():
            out[row] = out.get(row, 0.0) + w * (s - lo) / span
    return out
