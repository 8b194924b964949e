"""Names of text the parser cannot read, from the lexer's tokens (`lean_terms.scan`)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.lean_terms import parse_signature, tokenize
from indexer.lean_terms.names import global_names
from indexer.lean_terms.scan import scanned_bound, scanned_globals


def _bound(text: str, signature: bool = False) -> set[str]:
    return scanned_bound(text, tokenize(text), signature=signature)


def _globals(text: str, bound: frozenset[str] = frozenset()) -> list[str]:
    return [n for n, _ in scanned_globals(tokenize(text), bound)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("∀ x y, x = y", {"x", "y"}),
        ("∃ n > 0, n ∣ m", {"n"}),
        ("fun (a : α) ⟨b, c⟩ => a", {"a", "b", "c"}),
        ("∑ i ∈ s, f i", {"i"}),
        ("∫ᵛ x in s, f x ∂[B; μ]", {"x"}),  # a head the tables lack, spelled like one
        ("{x | p x} ∪ {y : α // q y}", {"x", "y"}),
        ("{(a, b) | a < b}", {"a", "b"}),
        ("(n : ℕ) → Fin n", {"n"}),
        ("Set ((n : ℕ) × (Fin n → X))", {"n"}),
        ("let z := 2; z + 1", {"z"}),
    ],
)
def test_binders_bind(text: str, expected: set[str]) -> None:
    assert _bound(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "f (x : ℝ) = 1",  # an ascription binds nothing
        "(f x).re = y",  # an application in parentheses
        "haveI : (findIdxs p xs)[i] < n := h; P",  # the type of a `haveI`, not its binders
        "g (p := 1) (by exact h)",
        "(X Y : ∫ F)",  # a binding head as prefix notation: its group ends before any `,`
        "(p : 𝔼ⁿ → X)",
    ],
)
def test_terms_bind_nothing(text: str) -> None:
    assert _bound(text) == set()


def test_a_signature_binds_its_groups_before_the_colon_only() -> None:
    text = "{α : Type*} (E : Set α) hs i : (E i).card = (f hs : ℕ)"
    assert _bound(text, signature=True) == {"α", "E", "hs", "i"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(f z).re + x.1.le", ["f", "z", "x"]),  # fields are not names
        ("Type u → Sort v", []),  # universes
        ("(p : R[X]) : p = X", ["p", "R", "p", "X"]),  # the `X` of `R[X]` only
        ("g (n := 5) { x := 1 }", ["g"]),  # named arguments and structure fields
        ("(label : Option String := none)", ["label", "Option", "String", "none"]),
        ("TSyntax `tactic", ["TSyntax"]),  # a quoted name
        ("TSyntax ``Lean.Parser.Term.hole", ["TSyntax", "Lean.Parser.Term.hole"]),  # it exists
        ("(h : P := by simp [foo]) : Q (by exact bar)", ["h", "P", "Q"]),  # tactic blocks
        ("[Category.{v} C] : TopCat.{w}", ["Category", "C", "TopCat"]),  # universe levels
    ],
)
def test_global_names(text: str, expected: list[str]) -> None:
    assert _globals(text) == expected


def test_bound_names_and_their_fields_are_not_global() -> None:
    assert _globals("f x.le y", frozenset({"x"})) == ["f", "y"]


_NAMES = st.sampled_from(["x", "y", "f", "Nat.succ", "s", "Finset.sum", "h"])
_TERMS = st.recursive(
    _NAMES,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: f"{p[0]} {p[1]}"),
        st.tuples(inner, inner).map(lambda p: f"({p[0]} + {p[1]})"),
        inner.map(lambda t: f"(∀ x, {t})"),
        inner.map(lambda t: f"(fun y => {t})"),
    ),
    max_leaves=8,
)


@given(_TERMS)
def test_the_scan_agrees_with_the_tree_on_readable_terms(term: str) -> None:
    """On text the parser reads, the token scan finds the tree's global names (it may find
    fewer: a name bound anywhere is bound everywhere)."""
    tree = parse_signature(f": {term}")
    from_tree = {n for n, _ in global_names(tree)}
    toks = tokenize(f": {term}")
    scanned = {n for n, _ in scanned_globals(toks, frozenset(scanned_bound(term, tokenize(term))))}
    assert scanned <= from_tree
    assert from_tree - scanned <= {"x", "y"}
