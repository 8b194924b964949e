from benchmarks.normal_form_probe import scores, shared_forms


def test_scores_count_ties_of_call_and_label() -> None:
    s = scores([True, True, False, False], [True, False, True, False])
    assert s == {"accuracy": 0.5, "precision": 0.5, "recall": 0.5}
    assert scores([], []) == {"accuracy": 0.0, "precision": 1.0, "recall": 1.0}


def test_shared_forms_groups_restatements_and_only_them() -> None:
    rows = [
        ("a", "(x : ℕ) (h : x ≥ 2) : 4 ≤ x * x"),
        ("b", "(n : ℕ) (h : 2 ≤ n) : n * n ≥ 4"),
        ("c", "(n : ℕ) (h : 2 ≤ n) : n * n ≥ 5"),
    ]
    assert shared_forms(rows) == [[rows[0], rows[1]]]
