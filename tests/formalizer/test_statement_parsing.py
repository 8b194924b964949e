import pytest

from formalizer.statement import (
    StatementError,
    bracket_problems,
    header_opens,
    identifiers,
    parse_statement,
    syntax_problems,
)
from indexer.lean_terms.syntax import NO_OPERATORS

HEADER = "import Mathlib\n\nopen Real Nat\nopen scoped BigOperators Topology\n"


def test_pieces_of_a_statement() -> None:
    s = parse_statement(
        "theorem foo (x : ℝ) (h : 0 < x) : Real.sqrt (x ^ 2) = x := by\n  simp [h]", HEADER
    )
    assert s.keyword == "theorem" and s.name == "foo"
    assert s.binders == "(x : ℝ) (h : 0 < x)"
    assert s.conclusion == "Real.sqrt (x ^ 2) = x"
    assert s.proof.startswith("by")
    assert s.opens == ["Real", "Nat", "scoped BigOperators", "scoped Topology"]
    assert s.render() == "theorem foo (x : ℝ) (h : 0 < x) :\n    Real.sqrt (x ^ 2) = x := by sorry"


def test_a_binding_in_the_type_does_not_end_it() -> None:
    s = parse_statement(
        "theorem lin : letI := linear R L W; letI e := iso L; Functor.Linear R L := by\n  simp"
    )
    assert s.conclusion == "letI := linear R L W; letI e := iso L; Functor.Linear R L"
    assert s.proof.startswith("by")
    s = parse_statement("theorem t (i : ι) :\n    haveI := inst i\n    P i := by exact h")
    assert s.conclusion.endswith("P i") and s.proof == "by exact h"


def test_header_opens_and_namespace_ignore_comments() -> None:
    opens, ns = header_opens("-- open Fake\nopen Finset in\nnamespace A\nnamespace B\n")
    assert opens == ["Finset"] and ns == "A.B"


def test_example_and_missing_parts() -> None:
    s = parse_statement("example : 1 + 1 = 2 := rfl")
    assert s.name is None and s.conclusion == "1 + 1 = 2"
    with pytest.raises(StatementError, match="no `theorem`"):
        parse_statement("def f : ℕ := 1")
    with pytest.raises(StatementError, match="top-level `:`"):
        parse_statement("theorem t (x : ℕ) := sorry")


def test_identifiers_skip_locals_bound_variables_fields_and_named_args() -> None:
    s = parse_statement(
        "theorem t {f : ℕ → ℝ} (s : Finset ℕ) (h₀ : ∀ n ∈ s, 0 < f n) "
        "(g := fun y => y + 1) :\n"
        "    ∑ i ∈ s, f i = (s.card : ℝ) ∧ (f 0).le_refl ∧ ∃ k : ℕ, Nat.Prime k ∧ "
        "{x : ℝ | x < 1}.Nonempty ∧ Nat.choose (n := 5) 2 = 10 ∧ h₀.elim := by sorry"
    )
    names = [n for n, _ in identifiers(s)]
    assert "Finset" in names and "Nat.Prime" in names and "Nat.choose" in names
    for local in ("f", "s", "h₀", "i", "k", "x", "y", "s.card", "le_refl", "Nonempty", "n"):
        assert local not in names, local
    assert "h₀.elim" not in names


def test_the_x_of_polynomial_notation_is_not_an_identifier() -> None:
    s = parse_statement(
        "theorem t (p : ℚ[X]) (q : (ZMod 5)[X]) (h : p = X ^ 2) (l : List ℕ) :\n"
        "  l [X] = 0 := sorry"
    )
    xs = [at for n, at in identifiers(s) if n == "X"]
    assert len(xs) == 2  # `X ^ 2` and the list index `l [X]`, not `ℚ[X]` or `(ZMod 5)[X]`
    series = parse_statement("theorem t (φ : R⟦X⟧) : φ * X = X * φ := sorry")
    assert len([n for n, _ in identifiers(series) if n == "X"]) == 2


def test_brackets() -> None:
    assert bracket_problems("(a [b] {c} ⟨d, e⟩ ⌊x⌋)") == []
    assert bracket_problems("⟪x, y⟫_ℝ = ⁅a, b⁆") == []  # the reader's bracket table
    assert bracket_problems("⟪x, y) = 1")[0].startswith("`)` at offset 5 closes `⟪`")
    assert bracket_problems("(a ]")[0].startswith("`]` at offset 3 closes `(`")
    assert "never closed" in bracket_problems("f (x")[0]
    assert "closes nothing" in bracket_problems("x)")[0]
    # read from tokens: a bracket in a string or char literal is none, `f^[n]` opens one
    assert bracket_problems("s = \"(\" ∧ c = '[' ∧ f^[n] x = y") == []
    assert "never closed" in bracket_problems("f^[n x")[0]


def test_command_keywords_inside_a_statement() -> None:
    assert syntax_problems("∀ x ∈ s, x ∈ end") == [
        "`end` is a command keyword and cannot appear in a statement"
    ]
    assert syntax_problems("Module.End R M → sectional x") == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("(x : in n) : x = x", "`in` cannot start a term (after `:`)"),  # `Fin` lost its F
        ("(h : at x) : True", "`at` cannot start a term (after `:`)"),
        ("f (then 1) = 2", "`then` cannot start a term (after `(`)"),
        ("a ≤ with", "`with` cannot start a term (after `≤`)"),
        ("in = 1", "`in` cannot start a term (at the start)"),
    ],
)
def test_a_keyword_that_cannot_start_a_term_where_one_starts(text: str, problem: str) -> None:
    assert syntax_problems(text) == [problem]


@pytest.mark.parametrize(
    "text",
    [
        "∑ i in Finset.range n, f i = 0",  # after a binder: the big operator's `in`
        "∑ (i : ℕ) in s, i = 0",
        "∀ᶠ f : K⸨X⸩ in ℱ, p f",  # after a notation's closing token
        "(if c then ∅ else {0}) = s",  # after a constant
        "|a|ₘ = if p then |a|ₘ else ⊤",  # after a postfix subscript
        "(show p from h) = h",
        "{ s with x := 1 } = s",
        "(do pure 1) = 1",
    ],
)
def test_continuing_keywords_after_a_term_are_fine(text: str) -> None:
    assert syntax_problems(text) == []


def test_a_statement_the_reader_cannot_build_is_read_from_its_tokens() -> None:
    from formalizer.statement import _tree, identifiers

    s = parse_statement(
        "theorem t (n : ℕ) (x : ℝ) (R : Type u) : ∂Δ[n] = Foo.bar n (by simp [baz]) "
        "(k := Nat.succ) + (Real.exp x).re + Polynomial.eval 0 (1 : R[X])"
    )
    assert _tree(s.binders, s.conclusion, (), NO_OPERATORS).__class__.__name__ == "Raw"
    names = [name for name, _ in identifiers(s)]
    # locals, the universe, the tactic block, the named argument, the field and `R[X]`'s `X`
    # are not global names
    assert names == ["ℕ", "ℝ", "Δ", "Foo.bar", "Nat.succ", "Real.exp", "Polynomial.eval"]
