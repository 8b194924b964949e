from formalizer.extract import code_blocks, extract_candidates


def test_fenced_lean_block_with_prose_and_proof() -> None:
    answer = (
        "Here is the formalization:\n```lean4\nimport Mathlib\nopen Real\n\n"
        "theorem sq_nonneg' (x : ℝ) : 0 ≤ x ^ 2 := by\n  positivity\n```\nDone."
    )
    (c,) = extract_candidates(answer, "item")
    assert c.statement == "theorem sq_nonneg' (x : ℝ) :\n    0 ≤ x ^ 2 := by sorry"
    assert c.preamble == "open Real"
    assert any("import" in n for n in c.notes)
    assert any("proof" in n for n in c.notes)


def test_several_theorems_in_one_answer() -> None:
    answer = (
        "```lean\ntheorem a (n : ℕ) : n ≤ n := le_refl n\n\n"
        "lemma b (n : ℕ) : n < n + 1 := by omega\n```"
    )
    cands = extract_candidates(answer, "item")
    assert [c.statement.split()[1] for c in cands] == ["a", "b"]
    assert all(c.statement.endswith(":= by sorry") for c in cands)
    assert "candidate 2 of 2" in cands[1].notes[-1]


def test_missing_sorry_example_and_unfenced_text() -> None:
    (c,) = extract_candidates("example (a b : ℕ) : a + b = b + a", "mathd_1")
    assert c.statement == "theorem mathd_1 (a b : ℕ) :\n    a + b = b + a := by sorry"
    assert any("missing" in n for n in c.notes) and any("named" in n for n in c.notes)


def test_open_in_and_helper_definitions_travel_with_the_candidate() -> None:
    answer = (
        "```lean\nnoncomputable def f (x : ℝ) : ℝ := x ^ 2\n\nopen Real in\n"
        "theorem t : f 2 = 4 := sorry\n```"
    )
    (c,) = extract_candidates(answer, "x")
    assert "def f" in c.preamble and "open Real" in c.preamble
    assert c.statement.startswith("theorem t :")


def test_no_theorem_gives_nothing() -> None:
    assert extract_candidates("I cannot formalize this.", "x") == []
    assert code_blocks("```python\nprint(1)\n```") == ["```python\nprint(1)\n```"]


def test_truncated_answer_is_reported_not_raised() -> None:
    cands = extract_candidates("```lean\ntheorem t (x : ℕ) (h : x", "x")
    assert len(cands) == 1 and cands[0].statement == ""
    assert cands[0].notes[0].startswith("unusable")
