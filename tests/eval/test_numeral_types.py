import pytest

from eval.numeral_types import settle_numerals
from eval.structural import normal_form, structurally_equal, tokens


def settled(text: str, known: dict[str, str]) -> str:
    return " ".join(settle_numerals(tokens(text), known))


def test_a_leaf_of_known_type_makes_numeral_ascriptions_redundant() -> None:
    assert settled("(2 : ℝ) * x = 1", {"x": "ℝ"}) == "( 2 ) * x = 1"
    assert settled("(x : ℝ) + (1 : ℝ) < y", {"x": "ℝ", "y": "ℝ"}) == "( x ) + ( 1 ) < y"


def test_numerals_alone_fix_the_type_once_per_side() -> None:
    assert settled("(2 : ℝ) + 1 = 3", {}) == "( ( 2 ) + 1 : ℝ ) = ( 3 : ℝ )"
    assert settled("2 + 1 = (3 : ℝ)", {}) == "( 2 + 1 : ℝ ) = ( 3 : ℝ )"


def test_number_leaves_are_cast_to_the_largest_leaf_type() -> None:
    # `binop%` coerces every leaf to the largest type among them
    assert settled("(2 : ℝ) * n = 1", {"n": "ℕ"}) == "( 2 ) * ( n : ℝ ) = 1"
    assert settled("k / n = x", {"k": "ℤ", "n": "ℕ", "x": "ℝ"}) == ("( k : ℝ ) / ( n : ℝ ) = x")
    # `↑x` takes the type the other leaves fix, and is `x` where that is its own type
    assert settled("x = ↑n + ↑y", {"x": "ℝ", "n": "ℕ", "y": "ℝ"}) == "x = ( n : ℝ ) + y"
    assert settled("↑q < 5", {"q": "ℚ"}) == "↑ q < 5"  # nothing fixes the type
    # an ascription is the cast itself
    assert settled("((n : ℝ) : ℝ) = 1", {"n": "ℕ"}) == "( ( n : ℝ ) ) = 1"
    # only number types: a tree of other types keeps its ascriptions
    assert settled("(2 : ℝ) * g = 1", {"g": "G"}) == "( 2 : ℝ ) * g = 1"
    # beside a sum nothing is settled, so nothing is coerced in a bracket there either
    assert settled("∑ i, f i = ((n : ℝ) * (n - 1))", {"n": "ℕ"}) == (
        "∑ i , f i = ( ( n : ℝ ) * ( n - 1 ) )"
    )


def test_what_is_not_a_leaf_of_the_tree_is_left_alone() -> None:
    # the exponent of `^` is elaborated on its own, so `x` does not fix the base's type
    assert settled("(2 : ℝ) ^ f x = 3", {"x": "ℝ"}) == "( ( 2 ) ^ f x : ℝ ) = ( 3 : ℝ )"
    # `1 / 2` is not one numeral: `(1 / 2 : ℕ)` is `0`
    assert settled("(1 / 2 : ℕ) * x = 0", {"x": "ℝ"}) == "( 1 / 2 : ℕ ) * x = 0"
    # binders are not ascriptions
    assert settled("∀ (x : ℝ), x = 1", {"x": "ℝ"}) == "∀ ( x : ℝ ) , x = 1"
    assert settled("⋃ (n : ℕ), A n", {"n": "ℕ"}) == "⋃ ( n : ℕ ) , A n"
    # a sum's body binds tighter than `+`: nothing is settled beside it
    assert settled("∑ i, (i : ℝ) + (1 : ℝ)", {"i": "ℝ"}) == "∑ i , ( i : ℝ ) + ( 1 : ℝ )"


def test_polynomial_constants_are_casts() -> None:
    assert settled("Polynomial.C (12 : ℚ) + Polynomial.X", {}) == (
        "( ( 12 ) + Polynomial.X : Polynomial ℚ )"
    )
    assert settled("Polynomial.C (a : ZMod p)", {}) == "( a : Polynomial ( ZMod p ) )"
    assert settled("Polynomial.C (f a : ℚ)", {}) == "Polynomial.C ( f a : ℚ )"


def test_polynomial_ring_notation() -> None:
    assert tokens("ℚ[X]") == ["Polynomial", "ℚ"]
    assert tokens("(ZMod p)[X]") == ["Polynomial", "(", "ZMod", "p", ")"]
    assert tokens("l[X]") == ["l", "[", "X", "]"]  # list indexing
    assert tokens("f [X]") == ["f", "[", "X", "]"]  # a list literal


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "theorem a (x : ℝ) (h : (2 : ℝ) * x = 1) : x > 0 := sorry",
            "theorem b (y : ℝ) (h : 2 * y = 1) : 0 < y := sorry",
        ),
        (
            "theorem a : ∀ x : ℝ, (2 : ℝ) * x = 1 := sorry",
            "theorem b : ∀ x : ℝ, 2 * x = 1 := sorry",
        ),
        (
            "theorem a : (2 : ℝ) + 1 = 3 := sorry",
            "theorem b : 2 + 1 = (3 : ℝ) := sorry",
        ),
        (
            "theorem a : Irreducible (Polynomial.C (12 : ℚ) + Polynomial.C (6 : ℚ) * Polynomial.X"
            " + Polynomial.X ^ 3) := sorry",
            "theorem b : Irreducible (12 + 6 * Polynomial.X + Polynomial.X ^ 3 : Polynomial ℚ)"
            " := sorry",
        ),
        (
            "theorem a : Set.Infinite {a : ℤ | Irreducible (Polynomial.X ^ 7 - 30 * Polynomial.X"
            " + Polynomial.C (a : ℚ))} := sorry",
            "theorem b : Set.Infinite {a : ℤ | Irreducible (Polynomial.X ^ 7 - 30 * Polynomial.X"
            " + (a : Polynomial ℚ) : Polynomial ℚ)} := sorry",
        ),
        (
            "theorem a : Irreducible (Polynomial.X ^ 2 + 1 : ℚ[X]) := sorry",
            "theorem b : Irreducible (Polynomial.X ^ 2 + 1 : Polynomial ℚ) := sorry",
        ),
    ],
)
def test_spellings_meet(a: str, b: str) -> None:
    assert structurally_equal(a, b), (normal_form(a), normal_form(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # `2 * n = 1` over ℝ has a solution, over ℕ none
        (
            "theorem a (n : ℕ) (h : (2 : ℝ) * n = 1) : True := sorry",
            "theorem b (n : ℕ) (h : 2 * n = 1) : True := sorry",
        ),
        ("theorem a : (2 : ℝ) / 4 = 0 := sorry", "theorem b : 2 / 4 = 0 := sorry"),
        (
            "theorem a (f : ℝ → ℕ) (x : ℝ) : (2 : ℝ) ^ f x = 3 := sorry",
            "theorem b (f : ℝ → ℕ) (x : ℝ) : 2 ^ f x = 3 := sorry",
        ),
        (
            "theorem a (x : ℝ) : (1 / 2 : ℕ) * x = 0 := sorry",
            "theorem b (x : ℝ) : 1 / 2 * x = 0 := sorry",
        ),
        (
            "theorem a : Irreducible (Polynomial.X ^ 2 + 1 : ℚ[X]) := sorry",
            "theorem b : Irreducible (Polynomial.X ^ 2 + 1 : ℤ[X]) := sorry",
        ),
    ],
)
def test_near_misses_stay_apart(a: str, b: str) -> None:
    assert not structurally_equal(a, b), normal_form(a)


def test_a_compound_ascribed_leaf_keeps_its_ascription() -> None:
    # `(k % p : ℕ)` is `↑(k % p)` in `R`; `(k % p)` would be `↑k % ↑p` (CharP.cast_eq_mod is
    # not CharP.natCast_eq_natCast_mod)
    known = {"k": "ℕ", "p": "ℕ"}
    assert settled("(k : R) = (k % p : ℕ)", known) == "( k : R ) = ( k % p : ℕ )"
    assert settled("f (k % p : ℕ)", known) == "f ( k % p )"  # an argument: no tree around it
    assert not structurally_equal(
        "theorem a (p : ℕ) (k : ℕ) : (k : R) = (k % p : ℕ) := sorry",
        "theorem b (p : ℕ) (k : ℕ) : (k : R) = k % p := sorry",
    )


def test_a_numeral_member_of_a_collection_has_its_element_type() -> None:
    known = {"K": "Subring F", "s": "Set ℝ"}
    assert settled("(1 : F) ∈ K", known) == "( 1 ) ∈ K"
    assert settled("(1 : ℕ) ∈ s", known) == "( 1 : ℕ ) ∈ s"  # a cast: ↑1 ∈ s
    assert structurally_equal(
        "theorem a {F : Type*} [Field F] {K : Subring F} (h : (1 : F) ∈ K) : IsDomain K := sorry",
        "theorem b {F : Type*} [Field F] (S : Subring F) (h : 1 ∈ S) : IsDomain ↥S := sorry",
    )


def test_a_name_of_unwritten_type_is_no_collection() -> None:
    assert settled("(1 : F) ∈ K", {"K": ""}) == "( 1 : F ) ∈ K"


def test_a_numeral_argument_of_a_function_on_one_type() -> None:
    assert settled("Irrational (Real.sqrt (2 : ℝ))", {}) == "Irrational ( Real.sqrt ( 2 ) )"
    assert settled("Real.sqrt (2 : ℕ)", {}) == "Real.sqrt ( 2 : ℕ )"  # a cast
    assert settled("f (2 : ℝ)", {}) == "f ( 2 : ℝ )"  # `f`'s domain is not known
    assert structurally_equal(
        "theorem a : Irrational (Real.sqrt (2 : ℝ)) := sorry",
        "theorem b : Irrational (√2) := sorry",
    )


def test_numerals_that_wrap_around_keep_their_type() -> None:
    # `((5 : ZMod 3) : ℤ)` is `2`: a cast out of `ZMod` or `Fin` does not keep a numeral
    assert settled("(5 : ZMod 3) + x = 0", {"x": "ZMod 3"}) == "( 5 : ZMod 3 ) + x = 0"
    assert settled("(5 : Fin 3) + f x = 0", {}) == "( 5 : Fin 3 ) + f x = 0"


def test_arithmetic_on_numerals_that_casts_keep() -> None:
    assert settled("(1 / 2 : ℝ) * x = 0", {"x": "ℝ"}) == "( 1 / 2 ) * x = 0"
    assert settled("(2 ^ 10 : ℕ) + n = 0", {"n": "ℕ"}) == "( 2 ^ 10 ) + n = 0"
    # ℕ's `-` truncates and ℤ's `/` rounds: cast out, they are not ℝ's `-` and `/`
    assert settled("(3 - 5 : ℕ) * x = 0", {"x": "ℝ"}) == "( 3 - 5 : ℕ ) * x = 0"
    assert settled("(7 / 2 : ℤ) + x = 0", {"x": "ℝ"}) == "( 7 / 2 : ℤ ) + x = 0"
    assert structurally_equal(
        "theorem a : ∃ x : ℝ, x = (1 / 2 : ℝ) := sorry",
        "theorem b : ∃ y : ℝ, y = (1 : ℝ) / 2 := sorry",
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "theorem a (a b : ℝ) (h : a < b) : ∃ q : ℚ, a < q ∧ (q : ℝ) < b := sorry",
            "theorem b (a b : ℝ) (h : a < b) : ∃ q : ℚ, a < ↑q ∧ ↑q < b := sorry",
        ),
        (
            "theorem a (n : ℕ) (x : ℝ) (h : x = n) : n ^ 2 < x + 1 := sorry",
            "theorem b (n : ℕ) (x : ℝ) (h : x = (n : ℝ)) : (↑n) ^ 2 < x + 1 := sorry",
        ),
    ],
)
def test_implicit_and_written_casts_meet(a: str, b: str) -> None:
    assert structurally_equal(a, b), (normal_form(a), normal_form(b))


def test_a_cast_of_a_truncated_difference_is_not_a_difference_of_casts() -> None:
    a = "theorem a (n m : ℕ) (x : ℝ) : ((n - m : ℕ) : ℝ) = x := sorry"
    b = "theorem b (n m : ℕ) (x : ℝ) : (n : ℝ) - m = x := sorry"
    c = "theorem c (n m : ℕ) (x : ℝ) : ↑(n - m) = x := sorry"
    assert not structurally_equal(a, b) and not structurally_equal(b, c)
