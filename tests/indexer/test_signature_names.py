"""What a declaration's signature refers to, for the dependency graph."""

import pytest

from indexer.signature_names import signature_names


def _refs(signature: str) -> list[str]:
    return [name for name, _ in signature_names(signature).candidates]


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        # the subscript of an operator names terms; its letters after a symbol do not
        ("{R M N : Type*} (f : M →ₗ[R] N) (g : N →L[R] M) : True", ["True"]),
        ("(f : A →ₗ[𝕜] B) (g : B →L[𝕜] A) : True", ["𝕜", "A", "B", "True"]),
        # universes are not names; a universe-instantiated constant is its constant
        ("{X : TopCat.{w}} [Category.{v} C] : Type (max u v)", ["TopCat", "Category", "C"]),
        # notation atoms stand for their constants, not for `ℝ` or `ℕ`
        ("(p : ℝ≥0∞) (n : ℕ∞) : p ≠ ⊤", ["ENNReal", "ENat"]),
        # the `X` of `R[X]` and a leading-dot name are not constants
        ("{R : Type*} [Semiring R] (p : R[X]) : p = .C 1", ["Semiring"]),
        # a bound name is bound; the sets of binder predicates are not
        ("(s : Set α) : ∀ x ∈ s, ∃ y, x = y", ["Set", "α"]),
    ],
)
def test_references(signature: str, expected: list[str]) -> None:
    assert _refs(signature) == expected


def test_a_signature_the_reader_cannot_finish_is_scanned() -> None:
    names = signature_names("(M : Type u) extends Semigroup M, MulOneClass M")
    assert not names.read
    assert [n for n, _ in names.candidates] == ["Semigroup", "MulOneClass"]
    assert names.binds == {"M"}


def test_an_unreadable_signature_is_read_from_its_tokens() -> None:
    # `:::` is a notation the reader does not know: the whole signature is scanned
    names = signature_names("{n : ℕ} (P : MvPFunctor.{u} n) (x y) : (id ::: Quot.mk R) x = y")
    assert not names.read
    assert [n for n, _ in names.candidates] == ["Nat", "MvPFunctor", "id", "Quot.mk", "R"]
    assert names.binds == {"n", "P", "x", "y"}


def test_named_arguments_and_tactic_blocks_name_nothing() -> None:
    sig = "{X : C} (h : f = g := by cat_disch) : F (p := e _) (by simp) = h"
    assert _refs(sig) == ["C", "f", "g", "F", "e"]
