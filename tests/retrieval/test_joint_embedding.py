"""Hard-negative mining for the joint embedding (training itself: tests/eval)."""

import numpy as np

from retrieval.joint_embedding import Pair, dense_negatives


def _unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_dense_negatives_skip_own_restatements_and_the_bm25_negative() -> None:
    pairs = [Pair("a group is abelian", "own", "mathlib"), Pair("no own text", "absent", "x")]
    candidates = ["own", "restated", "bm25", "near", "far"]
    cand = np.stack(
        [
            _unit(1, 0, 0),  # own: cosine 1.0 with the query
            _unit(1, 0.1, 0),  # a restatement: 0.995 >= 0.95 x 1.0, not a negative
            _unit(1, 0.3, 0),  # the BM25 negative, already in the batch
            _unit(1, 0.5, 0),  # cosine 0.894: the dense negative
            _unit(0, 0, 1),
        ]
    )
    queries = np.stack([_unit(1, 0, 0), _unit(0, 0, 1)])
    out = dense_negatives(pairs, candidates, queries, cand, avoid=["bm25", None])
    assert out[0] == "near"
    # no own text among the candidates: no ceiling, the nearest one is taken
    assert out[1] == "far"
    # everything above the ceiling: no negative rather than a false one
    assert dense_negatives(pairs[:1], candidates[:2], queries[:1], cand[:2]) == [None]
