from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from formalizer.checks import check_statement
from formalizer.identifiers import IdentifierChecker
from formalizer.types import CONTAINERS, FUNCTION, NUMBERS, PROP, compatible, type_head
from indexer.lean_terms import parse_term
from knowledge_base import KnowledgeBase

HEADS = [*NUMBERS, *sorted(CONTAINERS), FUNCTION, PROP]


@pytest.fixture(scope="module")
def idents(fixture_index: Path) -> IdentifierChecker:
    return IdentifierChecker(KnowledgeBase.open(fixture_index))


def types(idents: IdentifierChecker, statement: str, header: str = "import FixtureLib") -> list:
    check = check_statement(statement, header, idents).check("types")
    assert check is not None
    return check.problems


@pytest.mark.parametrize(
    ("statement", "header"),
    [
        # a number where `Set.range` takes a function (`Finset.range` lost its namespace)
        ("theorem t (n : Nat) : range n = range n := sorry", "open Set"),
        # a function where `Finset.range` takes a number
        ("theorem t (f : Nat → ℝ) : Finset.range f = Finset.range f := sorry", ""),
        # a real where a natural number goes: no coercion goes down
        ("theorem t (x : ℝ) : Nat.sqrt x = 0 := sorry", ""),
        ("theorem t (x : ℝ) (n : Nat) : Nat.sqrt (n + x) = 0 := sorry", ""),
        # a `Set` where a `Finset` goes, the `Set` known from `Set.Icc`'s value
        ("theorem t (n : Nat) : Finset.card (Icc 1 n) = n := sorry", "open Set"),
    ],
)
def test_an_argument_of_the_wrong_kind_is_flagged(
    idents: IdentifierChecker, statement: str, header: str
) -> None:
    problems = types(idents, statement, f"import FixtureLib\n{header}")
    assert len(problems) == 1, problems


def test_the_problem_names_the_function_the_argument_and_both_kinds(
    idents: IdentifierChecker,
) -> None:
    (problem,) = types(idents, "theorem t (n : Nat) : Set.range n = Set.range n := sorry")
    assert "`Set.range`" in problem and "`n`" in problem
    assert "function" in problem and "`Nat`" in problem


def test_a_big_operator_runs_over_a_finset_or_a_set(idents: IdentifierChecker) -> None:
    bad = "theorem t (n : Nat) : ∑ i ∈ n + 1, i = n := sorry"
    (problem,) = types(idents, bad)
    assert "`Finset`" in problem and "`Nat`" in problem
    assert types(idents, bad.replace("∈", "in"))  # the older spelling
    assert types(idents, "theorem t (l : List Nat) : ∑ i ∈ l, i = 0 := sorry")  # a list
    # a `Set` becomes its `toFinset` (Mathlib's `finset%`); a `Finset` is what it takes
    assert not types(idents, bad.replace("n + 1", "Set.Icc 1 n"))
    assert not types(idents, bad.replace("n + 1", "Finset.range n"))


@pytest.mark.parametrize(
    "statement",
    [
        # coercions Lean inserts: up the number tower, `Finset` to `Set`
        "theorem t (n : Nat) : Real.sqrt n = Real.sqrt (n + 1) := sorry",
        "theorem t (n : Nat) (x : ℝ) : Real.sqrt (n * x) = x := sorry",
        "theorem t (n : Nat) : Set.Bounded (Finset.range n) := sorry",
        # numerals fit any number type
        "theorem t : Nat.sqrt 4 = 2 := sorry",
        # a set-builder is a `Finset` where one is expected
        "theorem t (n : Nat) : ∑ i ∈ {x | x < n}, i = n := sorry",
        # a local named like a global is not the global
        "theorem t (range : Nat → Nat) (n : Nat) : range n = n := sorry",
        "theorem t : ∀ range : Nat → Nat, ∀ n : Nat, range n = n := sorry",
        # an argument whose type the statement does not say is not judged
        "theorem t (f : Nat → Nat) : ∀ n, Finset.range (f n) = Finset.range n := sorry",
        "theorem t {α : Type} (s : α) : Finset.card s = 0 := sorry",
        # `·` makes a function of its parentheses
        "theorem t : Set.range (· + 1) = Set.range (· + 2) := sorry",
        # `filter`'s first explicit parameter is the section variable `p` its value uses,
        # which the signature does not show: its arguments are not judged
        "theorem t (s : Finset Nat) : Finset.filter (fun x => x = 1) s = s := sorry",
        # named arguments move the positional ones
        "theorem t (n : Nat) : Finset.range (n := n) = Finset.range n := sorry",
        # `l[0]` is one term (an index written against its list), not `l` and `[0]`
        "theorem t (l : List Nat) : Nat.sqrt l[0] = 0 := sorry",
        # `r on s` with `on` a scoped infix the reader does not know: not an application of `r`
        "theorem t (s : Nat → ℝ) (r : ℝ → ℝ → Prop) : Pairwise (r on s) := sorry",
        # a notation's token is not read as its constant: one token may stand for several
        # (Mathlib's `π` is `Real.pi` and, scoped, `Nat.primeCounting`)
        "theorem t : Nat.sqrt (φ + 1) = 0 := sorry",
    ],
)
def test_what_lean_accepts_or_the_check_cannot_know_passes(
    idents: IdentifierChecker, statement: str
) -> None:
    assert types(idents, statement, "import FixtureLib\nopen Set") == []


def test_a_notation_after_an_application_is_not_its_argument(idents: IdentifierChecker) -> None:
    # `Nat.sqrt n [MOD 3]` is `(Nat.sqrt n) ≡ … [MOD 3]`: not `Nat.sqrt` given two arguments
    stmt = "theorem t (a n : Nat) : a ≡ Nat.sqrt n [MOD 3] := sorry"
    assert not types(idents, stmt)


def test_more_arguments_than_a_non_function_takes_are_flagged(idents: IdentifierChecker) -> None:
    # `Pairwise r` is a proposition (its value says so): `List.Pairwise` lost its namespace
    (problem,) = types(idents, "theorem t (a b : Nat) : Pairwise (· ≠ ·) [a, b] := sorry")
    assert "1 explicit argument" in problem and "proposition" in problem
    assert not types(idents, "theorem t : Pairwise (fun a b : Nat => a ≠ b) := sorry")
    # a set is a predicate: applying one is not judged
    assert not types(idents, "theorem t (f : Nat → Nat) : Set.range f 0 := sorry")


def test_a_name_the_root_has_too_is_not_judged_inside_a_namespace(
    idents: IdentifierChecker,
) -> None:
    # in `namespace Set`, `Bounded` is `Set.Bounded` where the file imports it, and the root
    # `Bounded` where it does not: what Lean reads depends on imports the check cannot see
    stmt = "theorem t (n : Nat) : Bounded (Finset.range n) ∧ Bounded n := sorry"
    assert not types(idents, stmt, "import FixtureLib\nnamespace Set")
    assert types(idents, stmt.replace("Bounded (", "Set.Bounded ("), "import FixtureLib") == []
    assert types(idents, "theorem t (x : ℝ) : Set.Bounded x := sorry")


def test_the_check_reads_heads_of_types_as_written() -> None:
    assert type_head(parse_term("ℕ")) == "Nat"
    assert type_head(parse_term("Set (ℕ × ℕ)")) == "Set"
    assert type_head(parse_term("(Finset α)")) == "Finset"
    assert type_head(parse_term("ℕ → ℝ")) == FUNCTION
    assert type_head(parse_term("Prop")) == PROP
    assert type_head(parse_term("α")) is None
    assert type_head(parse_term("Set")) is None  # not applied: `Set` itself is a function
    assert type_head(parse_term("Matrix (Fin 2) (Fin 2) ℝ")) is None


@given(st.sampled_from(HEADS), st.sampled_from(HEADS), st.sampled_from(HEADS))
def test_compatibility_is_reflexive_and_numbers_only_go_up(a: str, b: str, c: str) -> None:
    assert compatible(a, a)
    if a in NUMBERS and b in NUMBERS and compatible(a, b) and compatible(b, a):
        assert a == b  # no two number types coerce both ways
    if a != b and (a in CONTAINERS) != (b in CONTAINERS) and FUNCTION not in (a, b):
        assert not compatible(a, b)  # a number is never a container, nor the reverse
    assert not (compatible(PROP, c) and c != PROP)
