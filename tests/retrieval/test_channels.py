from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from retrieval.bm25_channel import BM25Channel
from retrieval.dense_channel import DenseChannel
from retrieval.fusion import rrf, weighted
from retrieval.math_text import tokenize

CORPUS = [
    "a group is a monoid with inverses",
    "topological spaces and open sets",
    "continuous maps between topological spaces",
    "prime numbers and divisibility",
    "finite groups of prime order are cyclic",
    "the real numbers form a complete field",
    "compact sets in metric spaces",
    "vector spaces over a field",
]


def test_bm25_scores_match_the_rank_bm25_oracle(tmp_path: Path) -> None:
    tokens = [tokenize(d) for d in CORPUS]
    ours = BM25Channel.build(tokens, k1=1.5, b=0.75, method="robertson")
    oracle = BM25Okapi(tokens, k1=1.5, b=0.75)
    for query in [
        "finite group of prime order",
        "open sets of a topological space",
        "complete field",
    ]:
        q = tokenize(query)
        want = oracle.get_scores(q) / (1.5 + 1)  # rank-bm25 scales every score by k1 + 1
        scores, rows = ours.search(q, k=len(CORPUS))
        got = np.zeros(len(CORPUS))
        got[rows] = scores
        assert np.allclose(got, want, atol=1e-4), query
    ours.save(tmp_path)
    again = BM25Channel.load(tmp_path)
    assert list(again.search(tokenize("prime"), 2)[1]) == list(ours.search(tokenize("prime"), 2)[1])


def test_bm25_mask_and_unknown_words() -> None:
    ch = BM25Channel.build([tokenize(d) for d in CORPUS])
    mask = np.ones(len(CORPUS), dtype=np.float32)
    mask[4] = 0
    assert 4 not in ch.search(tokenize("prime"), 5, mask)[1]
    assert len(ch.search(["zzzz"], 5)[1]) == 0


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_dense_channel_save_load_search(tmp_path: Path, kind: str) -> None:
    rng = np.random.default_rng(0)
    v = rng.standard_normal((300, 16)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    DenseChannel.build(v, kind).save(tmp_path, "d")
    loaded = DenseChannel.load(tmp_path, "d")
    scores, rows = loaded.search(v[:3], 5)
    assert list(rows[:, 0]) == [0, 1, 2] and np.allclose(scores[:, 0], 1.0, atol=1e-5)
    exact = np.argsort(-(v[:3] @ v.T), axis=1)[:, :5]
    assert (rows == exact).mean() > 0.9
    if kind == "flat":
        assert isinstance(loaded.vectors, np.memmap)


def test_fusion() -> None:
    fused = rrf({"a": [1, 2], "b": [2, 3]}, k=60)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    assert max(fused, key=fused.get) == 2
    w = weighted({"a": {1: 10.0, 2: 0.0}, "b": {2: 5.0, 3: 1.0}}, {"a": 2.0, "b": 1.0})
    assert w == {1: 2.0, 2: 1.0, 3: 0.0}


WORDS = ["prime", "group", "≤", "finite", "order", "cyclic", "field"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6), min_size=1, max_size=30))
def test_bm25_top_k_is_the_best_k_rows_of_all_scores(corpus) -> None:
    """The channel picks among rows that scored; the result is the top of the full ranking."""
    ch = BM25Channel.build(corpus)
    query = ["prime", "group", "≤"]
    full = ch.scores(query)
    scores, rows = ch.search(query, 5)
    if full is None:
        assert len(rows) == 0
        return
    assert len(rows) == min(5, int(np.count_nonzero(full)))
    assert np.allclose(scores, np.sort(full[full != 0])[::-1][: len(rows)])


def test_bm25_ties_go_to_the_lower_row() -> None:
    ch = BM25Channel.build([["cyclic", "group"]] * 6 + [["field"]])
    assert list(ch.search(["cyclic"], 3)[1]) == [0, 1, 2]
    mask = np.ones(7, dtype=np.float32)
    mask[1] = 0
    assert list(ch.search(["cyclic"], 3, mask)[1]) == [0, 2, 3]
