"""`to_additive` signatures: operations translated where their type is a translated one,
left alone on fixed types (ℕ, `Fin 1`), the source shown with a note when unreadable."""

from pathlib import Path

import pytest

from indexer.additive import translate
from indexer.additive_types import global_type
from indexer.extract import extract
from indexer.roots import discover_root

NAMES = {"Monoid": "AddMonoid", "Group": "AddGroup", "CommMonoid": "AddCommMonoid"}
GLOBALS = {
    "Finset.card": "{α : Type*} (s : Finset α) : ℕ",
    "Finset.range": "(n : ℕ) : Finset ℕ",
    "ZMod": "(n : ℕ) : Type",
    "orderOf": "{G : Type*} [Monoid G] (x : G) : ℕ",
    "nhds": "{X : Type*} (x : X) : Filter X",
    "Tendsto": "{α β : Type*} (f : α → β) (l₁ : Filter α) (l₂ : Filter β)",
}


def additive(signature: str, **kw) -> str:
    def globals_(name: str):
        return global_type(GLOBALS[name]) if name in GLOBALS else None

    t = translate(signature, {**NAMES, "Finset.prod": "Finset.sum"}, globals_, **kw)
    assert t.note is None, t.note
    return t.signature


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (  # ^ becomes • with its operands swapped; the + 1 on ℤ stays
            "{G : Type*} [Group G] (a : G) : ∀ n : ℤ, a ^ (n + 1) = a ^ n * a",
            "{G : Type*} [AddGroup G] (a : G) : ∀ n : ℤ, (n + 1) • a = n • a + a",
        ),
        (  # ⁻¹ is negation, parenthesized as an argument
            "{G : Type*} [Group G] (f : G → G) (a b : G) : f a⁻¹ = (a * b)⁻¹",
            "{G : Type*} [AddGroup G] (f : G → G) (a b : G) : f (-a) = -(a + b)",
        ),
        (  # the 1 of range (n + 1) and of Fin 1 is a natural number
            "{M : Type*} [CommMonoid M] (f : ℕ → M) (n : ℕ) (g : Fin 1 → M) : "
            "∏ x ∈ Finset.range (n + 1), f x = (∏ x ∈ Finset.range n, f x) * g 0",
            "{M : Type*} [AddCommMonoid M] (f : ℕ → M) (n : ℕ) (g : Fin 1 → M) : "
            "∑ x ∈ Finset.range (n + 1), f x = (∑ x ∈ Finset.range n, f x) + g 0",
        ),
        (  # * on ℕ (a cardinality, an order) stays; the monoid's 1 becomes 0
            "{G : Type*} [Group G] (s : Finset G) (x : G) : "
            "2 * Finset.card s = orderOf x * 1 ∧ x = 1",
            "{G : Type*} [AddGroup G] (s : Finset G) (x : G) : "
            "2 * Finset.card s = orderOf x * 1 ∧ x = 0",
        ),
        (  # a numeral's type read through a global's signature: 𝓝 1 in G
            "{G : Type*} [Group G] {f : ℕ → G} (h : Tendsto (fun n ↦ f (n + 1) / f n) l (nhds 1))"
            " : True",
            "{G : Type*} [AddGroup G] {f : ℕ → G} (h : Tendsto (fun n ↦ f (n + 1) - f n) l "
            "(nhds 0)) : True",
        ),
        (  # a looser operator is parenthesized where the old one needed no brackets
            "{G : Type*} [Group G] (x g h : G) : g * h • x = g * h ^ 2",
            "{G : Type*} [AddGroup G] (x g h : G) : g + (h +ᵥ x) = g + 2 • h",
        ),
    ],
)
def test_translation(source: str, expected: str) -> None:
    assert additive(source) == expected


def test_dont_translate_keeps_a_ring_multiplication() -> None:
    src = "{R M : Type*} [Monoid M] (r : R) (x : R[M]) (h : ∀ d : M, d * d = 1) : x * x = x"
    out = additive(src, dont_translate=frozenset({"R"}))
    assert out.endswith("(h : ∀ d : M, d + d = 0) : x * x = x")


def test_unknown_types_keep_the_source_with_a_note() -> None:
    src = "{M : Type*} [Monoid M] (n : ℕ) (a : M) : foo a * bar n = 1"
    t = translate(src, NAMES, lambda _name: None, "some_lemma")
    assert t.signature == src  # multiplicative, not a guess
    assert t.note is not None and "some_lemma" in t.note and "not translated" in t.note


def test_unreadable_signature_keeps_the_source() -> None:
    t = translate("(a : M) : a * ∧ a", NAMES, lambda _name: None)
    assert t.signature == "(a : M) : a * ∧ a" and "could not be read" in (t.note or "")


@pytest.fixture(scope="module")
def by_name(fixture_project: Path):
    ex = extract([discover_root(fixture_project)], workers=1)
    return {d.name: d for d in ex.declarations}


def test_generated_signatures_of_the_fixture(by_name) -> None:
    assert by_name["succ_nsmul_fixture"].signature == (
        "{M : Type*} [AddMonoid M] (a : M) (n : ℕ) : (n + 1) • a = n • a + a"
    )
    assert by_name["neg_add_rev_fixture"].signature == (
        "{G : Type*} [AddGroup G] (a b : G) : -(a + b) = -b + -a"
    )
    # Fin 1, 2 * n + 1 on ℕ: untouched; f 0 * f 0 = 1 in M: translated
    assert by_name["zero_index_fixture"].signature == (
        "{M : Type*} [AddMonoid M] (f : Fin 1 → M) (n : ℕ) (h : f 0 = 0) : "
        "f 0 + f 0 = 0 ∧ 2 * n + 1 ≠ 0"
    )
    unreadable = by_name["unreadable_fixture"]
    assert unreadable.signature == by_name["unreadable_fixture'"].signature
    assert "not translated" in (unreadable.signature_note or "")
    for d in by_name.values():  # never the token-blind rewrite of `Type*`
        assert "Type+" not in d.signature
