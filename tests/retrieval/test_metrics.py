"""The one Recall@k: ties count against the target."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from retrieval.metrics import pessimistic_ranks, recall_at_k


def test_a_tie_ranks_the_target_below_everything_it_ties_with() -> None:
    scores = np.array([0.9, 0.5, 0.5, 0.5, 0.1])
    assert pessimistic_ranks(scores, np.array([2])).tolist() == [3]
    assert pessimistic_ranks(scores, np.array([0, 4])).tolist() == [0, 4]
    mask = np.array([False, True, False, False, True])
    assert pessimistic_ranks(scores, mask).tolist() == [3, 4]


def test_constant_scores_earn_nothing_below_the_pool_size() -> None:
    ranks = pessimistic_ranks(np.zeros(10), np.array([0]))
    assert recall_at_k(ranks, 1, 5) == 0.0 and recall_at_k(ranks, 1, 10) == 1.0


def test_recall_counts_only_relevant_items_found_and_divides_by_all_of_them() -> None:
    assert recall_at_k([0, 3, 12], 4, 5) == 0.5
    assert recall_at_k([], 3, 10) == 0.0
    assert recall_at_k([0], 0, 1) == 0.0  # no gold: nothing to find


@given(st.lists(st.integers(0, 5), min_size=1, max_size=30), st.data())
def test_property_pessimistic_rank_is_at_least_the_strict_rank(scores, data) -> None:
    s = np.array(scores, dtype=float)
    i = data.draw(st.integers(0, len(s) - 1))
    rank = int(pessimistic_ranks(s, np.array([i]))[0])
    strictly_above = int(np.sum(s > s[i]))
    ties = int(np.sum(s == s[i])) - 1
    assert rank == strictly_above + ties
