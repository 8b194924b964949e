from benchmarks.normal_form_probe import rule_counts, scores, shared_forms


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


def test_rule_counts_say_which_rules_changed_which_statements() -> None:
    counts = rule_counts(["theorem a (x : ℕ) (h : x ≥ 2) : 4 ≤ x * x", "theorem b : True"])
    assert counts["flip_greater"] == 1
    assert counts["symmetric_relation"] == 0
    assert (
        counts["flip_greater"]
        == rule_counts(["theorem a (x : ℕ) (h : x > 2) : True"])["flip_greater"]
    )
