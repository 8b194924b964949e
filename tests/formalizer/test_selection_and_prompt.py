from formalizer.examples import Example
from formalizer.normal_form import normal_form as normalize
from formalizer.prompt import ContextDefinition, build_prompt, repair_messages
from formalizer.selection import Scored, rank_groups
from indexer.lean_terms.syntax import Operators


def test_normalize_ignores_names_binders_and_notation_variants() -> None:
    a = "theorem a (x : ℝ) (hx : 0 < x) : ∑ i in Finset.range 3, x = 3 * x := by sorry"
    b = "theorem b (y : ℝ) (h : 0 < y) :\n  ∑ j ∈ Finset.range 3, y = 3 * y := by sorry"
    c = "theorem c (y : ℝ) (h : 0 ≤ y) : ∑ j ∈ Finset.range 3, y = 3 * y := by sorry"
    assert normalize(a) == normalize(b)
    assert normalize(a) != normalize(c)
    assert normalize("theorem t (f : ℕ → ℕ) : f = λ n => n := sorry") == normalize(
        "theorem u (g : ℕ → ℕ) : g = fun m ↦ m := sorry"
    )


def test_candidates_that_differ_only_in_spelling_vote_together() -> None:
    cands = [
        Scored(0, "theorem a (x : ℕ) (h : x ≥ 2) : x * x ≥ 4 := sorry", True, None, 0.1),
        Scored(1, "theorem b (n : ℕ) (hn : 2 ≤ n) : 4 ≤ n * n := sorry", True, None, 0.1),
        Scored(2, "theorem c : ∀ n : ℕ, n > 1 → 4 ≤ n * n := sorry", True, None, 0.1),
        Scored(3, "theorem d (n : ℕ) (hn : 2 ≤ n) : 4 < n * n := sorry", True, None, 0.3),
    ]
    groups = rank_groups(cands, similarity_weight=0.5)
    assert groups[0].members == [0, 1, 2] and groups[0].votes == 3  # `n > 1` on ℕ is `2 ≤ n`


def test_the_index_operators_decide_what_reads_alike() -> None:
    # `⋈` declared `infixl:65`: `f ⋈ g + h` is `(f ⋈ g) + h`; unknown, it is a relation at 50
    a = "theorem a (f g h : α) : f ⋈ g + h = h"
    b = "theorem b (f g h : α) : (f ⋈ g) + h = h"
    cands = [Scored(0, a, True, None), Scored(1, b, True, None)]
    assert len(rank_groups(cands)) == 2
    ops = Operators(infix={"⋈": (65, "l")})
    assert len(rank_groups(cands, operators=ops)) == 1


def test_groups_rank_by_checks_then_votes_then_similarity() -> None:
    s1 = "theorem a (x : ℕ) : x ≤ x := sorry"
    s1b = "theorem b (y : ℕ) : y ≤ y := sorry"
    s2 = "theorem c (x : ℕ) : x < x + 1 := sorry"
    cands = [
        Scored(0, s1, True, None, 0.2),
        Scored(1, s1b, True, None, 0.1),
        Scored(2, s2, True, None, 0.5),
    ]
    groups = rank_groups(cands, similarity_weight=0.5)
    assert groups[0].members == [0, 1] and groups[0].votes == 2  # 2/3 + 0.5 * 0.2 > 1/3 + 0.5 * 0.5
    assert rank_groups(cands, similarity_weight=2.0)[0].members == [2]
    cands[2].lean_ok, cands[0].lean_ok, cands[1].lean_ok = True, False, False
    assert rank_groups(cands)[0].members == [2]  # type-checks beats votes
    cands = [Scored(0, s1, False, None, 0.0), Scored(1, s2, True, None, 0.0)]
    assert rank_groups(cands)[0].members == [1]  # Lean-free checks beat failures


def test_prompt_holds_context_and_trims_it_to_the_budget() -> None:
    defs = [
        ContextDefinition(
            name=f"Def{i}", kind="def", signature="(x : ℕ) : Prop", description="a thing " * 10
        )
        for i in range(20)
    ]
    exs = [
        Example(id=f"e{i}", source="t", informal="stmt " * 30, formal="theorem e : True")
        for i in range(5)
    ]
    p = build_prompt("Every prime is odd", "import Mathlib", defs, exs, max_tokens=100_000)
    user = p.messages[1]["content"]
    assert "`Def0` (def)" in user and "Every prime is odd" in user and "import Mathlib" in user
    assert len(p.definitions) == 20 and len(p.examples) == 5
    small = build_prompt("Every prime is odd", "import Mathlib", defs, exs, max_tokens=900)
    assert small.tokens <= 900
    assert len(small.examples) == 1 and 0 < len(small.definitions) < 20
    assert "Rules:" in small.messages[1]["content"]  # instructions are never trimmed
    tiny = build_prompt("Every prime is odd", "import Mathlib", defs, exs, max_tokens=10)
    assert (
        tiny.definitions == []
        and tiny.examples == []
        and "Every prime" in tiny.messages[1]["content"]
    )


def test_repair_conversation() -> None:
    msgs = repair_messages(
        [{"role": "user", "content": "q"}], "ans", "theorem t : x := by sorry", "- bad", lean=True
    )
    assert [m["role"] for m in msgs] == ["user", "assistant", "user"]
    assert "Lean reported" in msgs[-1]["content"] and "- bad" in msgs[-1]["content"]
