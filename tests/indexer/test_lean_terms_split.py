import pytest

from indexer.lean_terms.split import iff_direction, split_conclusion, top_level


def test_conclusion_is_after_the_first_top_level_colon() -> None:
    sig = "{p : ℕ} [Fact p.Prime] {a : ZMod p} (ha : a ≠ 0) : a ^ (p - 1) = 1"
    assert split_conclusion(sig) == (
        "{p : ℕ} [Fact p.Prime] {a : ZMod p} (ha : a ≠ 0)",
        "a ^ (p - 1) = 1",
    )
    assert split_conclusion("{x : {y : ℕ // y > 0}} : x.1 ≠ 0")[1] == "x.1 ≠ 0"
    assert split_conclusion(": ∀ n : ℕ, n = n") == ("", "∀ n : ℕ, n = n")


def test_no_conclusion_outside_brackets() -> None:
    assert split_conclusion("(h : a ∈ s)") == ("", "")


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("mp", "{s t : Set α} : s ⊆ t → s ∩ t = s"), ("mpr", "{s t : Set α} : s ∩ t = s → s ⊆ t")],
)
def test_iff_directions(direction: str, expected: str) -> None:
    assert iff_direction("{s t : Set α} : s ⊆ t ↔ s ∩ t = s", direction) == expected


def test_iff_direction_needs_exactly_one_top_level_iff() -> None:
    assert iff_direction("(a b : Prop) : (a ↔ b) → (b ↔ a)", "mp") is None  # inside brackets
    assert iff_direction("(x : ℕ) : x = x", "mp") is None
    assert top_level("(a ↔ b) ↔ c", "↔") == [8]
