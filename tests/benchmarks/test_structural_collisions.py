from benchmarks.structural_collisions import changed_groups


def test_changed_groups_reports_new_merges_and_undone_ones() -> None:
    a, b, c, d = ("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")
    old = [[a, b], [c, d]]
    new = [[a, b], [a, c], [b, d]]  # `a b` kept, `a c` and `b d` merged anew, `c d` undone
    merged, split = changed_groups(old, new)
    assert merged == [[a, c], [b, d]]
    assert split == [[c, d]]
