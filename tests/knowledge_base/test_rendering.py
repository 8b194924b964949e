"""The English rendering of statements: each rule with examples and near-misses."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.lean_terms import parse_signature, parse_term
from knowledge_base.rendering import INFIX, concept_glosses, render


def said(signature: str, glosses: dict[str, str] | None = None) -> str:
    return render(parse_signature(signature), (glosses or {}).get)


@pytest.mark.parametrize(
    "signature, expected",
    [
        ("(n : ℕ) : n.succ ≠ 0", "for all natural number n, succ of n is not equal to 0"),
        (
            "{a b : ℕ} (h : 0 < a) : Nat.gcd a b = Nat.gcd b a",
            "for all natural numbers a, b, if 0 is less than a, then gcd of a and b equals "
            "gcd of b and a",
        ),
        ("(x : ℝ) : x ^ 2 ≥ 0", "for all real number x, x to the power 2 is at least 0"),
        ("(n : ℕ) : (n)! > 0", "for all natural number n, n factorial is greater than 0"),
    ],
)
def test_statements_read_as_sentences(signature: str, expected: str) -> None:
    assert said(signature) == expected


def test_hypotheses_are_conditions_and_the_conclusion_follows() -> None:
    got = said("{a b : ℤ} (h : a ∣ b) (hb : b ≠ 0) : a ≤ |b|")
    assert got == (
        "for all integers a, b, if a divides b and b is not equal to 0, then a is at most "
        "the absolute value of b"
    )


def test_a_binder_typed_by_a_relation_is_a_hypothesis_whatever_its_name() -> None:
    assert said("(x : ℝ) (pos : 0 < x) : x ≠ 0").startswith(
        "for all real number x, if 0 is less than x, then"
    )


def test_near_miss_a_function_binder_is_a_variable_not_a_hypothesis() -> None:
    got = said("(f : ℕ → ℕ) (n : ℕ) : f n ≤ f (n + 1)")
    assert got.startswith("for all function f from natural numbers to natural numbers")
    assert "if" not in got


def test_instance_binders_say_what_a_type_is_and_universes_are_silent() -> None:
    got = said("{G : Type*} [Group G] (a : G) : a * a⁻¹ = 1")
    assert got == "for all a in G, where G is a group, a times a inverse equals 1"
    assert "Type" not in got


def test_constants_are_named_by_their_concept_when_the_knowledge_base_has_one() -> None:
    glosses = {"Real.exp": "exponential"}
    assert said("(x : ℝ) : 0 < Real.exp x", glosses).endswith("0 is less than exponential of x")
    # near-miss: without a concept, the name in words
    assert said("(x : ℝ) : 0 < Real.exp x").endswith("0 is less than exp of x")


def test_a_dotted_name_on_a_local_is_a_field_of_it_but_a_global_is_a_constant() -> None:
    assert said("(s : Finset ℕ) : s.card ≤ 3").endswith("card of s is at most 3")
    assert said("(n : ℕ) : Nat.succ n ≠ 0").endswith("succ of n is not equal to 0")


def test_quantifiers_and_big_operators() -> None:
    assert render(parse_term("∀ x : ℝ, ∃ y, x < y")) == (
        "for all real number x, there exists y such that x is less than y"
    )
    got = render(parse_term("∑ i ∈ Finset.range n, i = n * (n - 1) / 2"))
    assert got.startswith("the sum over i is in range of n")


def test_what_the_parser_cannot_read_is_kept_as_text() -> None:
    assert render(parse_term("x =ᵐ[μ] y")) == "x =ᵐ[μ] y"


_VARS = st.sampled_from(["a", "b", "x", "y", "n"])
_OPS = st.sampled_from(sorted(op for op in ("+", "*", "-", "=", "≤", "<", "∣", "∧", "∨")))


@st.composite
def expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(st.one_of(_VARS, st.integers(0, 99).map(str)))
    return f"({draw(expressions(depth - 1))} {draw(_OPS)} {draw(expressions(depth - 1))})"


@given(expressions())
def test_property_every_operator_becomes_a_word_and_every_variable_stays(text: str) -> None:
    got = render(parse_term(text))
    for op in ("+", "*", "=", "≤", "<", "∣", "∧", "∨"):
        if op in text:
            assert INFIX[op] in got
        assert op not in got.replace(INFIX.get(op, op), "")
    for var in "abxyn":
        if var in text.split() or f"({var}" in text or f"{var})" in text:
            assert var in got


def test_glosses_come_from_the_curated_concepts(fixture_index: Path) -> None:
    con = sqlite3.connect(fixture_index / "kb.sqlite")
    try:
        glosses = concept_glosses(con)
        titles = {t for (t,) in con.execute("SELECT title FROM concepts")}
    finally:
        con.close()
    assert glosses["Group"] == "group" and glosses["AddGroup"] == "additive group"
    assert set(glosses.values()) <= titles
    assert "Monoid" not in glosses  # filed under no curated concept: left to its name
