"""The equivalence normal form: every rule's examples meet and its near-misses stay apart, each
rule is needed by its own examples, and the invariants hold on generated statements."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formalizer import normal_form as nf_package
from formalizer.normal_form import RULES, normal_form


def _ids(pairs: list) -> list[str]:
    return [f"{r.name}:{i}" for r, i, *_ in pairs]


MEETS = [(r, i, a, b) for r in RULES for i, (a, b) in enumerate(r.meets)]
APART = [(r, i, a, b) for r in RULES for i, (a, b) in enumerate(r.apart)]


def test_every_rule_has_a_lemma_examples_and_near_misses() -> None:
    assert len(RULES) >= 15
    for r in RULES:
        assert r.lemma and r.doc, r.name
        assert r.meets and r.apart, r.name


@pytest.mark.parametrize(("rule", "i", "a", "b"), MEETS, ids=_ids(MEETS))
def test_examples_meet(rule, i, a, b) -> None:
    assert normal_form(a) == normal_form(b)


@pytest.mark.parametrize(("rule", "i", "a", "b"), APART, ids=_ids(APART))
def test_near_misses_stay_apart(rule, i, a, b) -> None:
    assert normal_form(a) != normal_form(b)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_each_rule_is_what_makes_its_examples_meet(rule, monkeypatch) -> None:
    others = [r for r in RULES if r is not rule]
    monkeypatch.setattr("formalizer.normal_form.rule.RULES", others)
    assert any(normal_form(a) != normal_form(b) for a, b in rule.meets), rule.name


def test_statement_forms_meet() -> None:
    a = "theorem t (x : ℝ) (h : x > 0) : x ^ 2 > 0 := by sorry"
    b = "example : ∀ y : ℝ, 0 < y → 0 < y ^ 2 := by positivity"
    assert normal_form(a) == normal_form(b)
    assert normal_form("theorem u (x : ℝ) (h : x > 0) : x ^ 3 > 0") != normal_form(a)


def test_binder_kinds_and_unused_names_do_not_matter() -> None:
    a = "theorem t {X : Type*} [TopologicalSpace X] [T2Space X] (s : Set X) (h : IsCompact s) :"
    a += " IsClosed s"
    b = "theorem u (Y : Type*) [TopologicalSpace Y] (hY : T2Space Y) {K : Set Y} :"
    b += " IsCompact K → IsClosed K"
    assert normal_form(a) == normal_form(b)
    assert normal_form(a) != normal_form(a.replace("IsClosed s", "IsOpen s"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "(a : ℕ → ℝ) (h : ∀ n, a n = 1 / (n + 1)) : True",
            "(a : ℕ → ℝ) (h : ∀ n : ℕ, a n = 1 / ((n : ℝ) + 1)) : True",
        ),
        ("Set.Infinite {p : ℕ | p.Prime ∧ p > 2}", "Set.Infinite {p : ℕ | Nat.Prime p ∧ 3 ≤ p}"),
    ],
)
def test_rules_know_the_types_that_binders_give(a: str, b: str) -> None:
    # the driver reads a quantifier's or set-builder's body in its binders' context
    assert normal_form(a) == normal_form(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "(a : ℕ → ℝ) (h : ∀ n : ℕ, a n = 1 / ((n + 1 : ℕ) : ℝ)) : True",
            "(a : ℕ → ℝ) (h : ∀ n : ℕ, a n = 1 / ((n : ℝ) + 2)) : True",
        ),
        ("Set.Infinite {p : ℕ | p.Prime ∧ p > 2}", "Set.Infinite {p : ℕ | Nat.Prime p ∧ 2 ≤ p}"),
        # a bound name shadows an outer one of another type
        ("(n : ℤ) : ∀ n : ℕ, n > 0 → n ≥ 1", "(n : ℤ) : ∀ n : ℕ, n > 0 → n > 1"),
    ],
)
def test_binder_types_never_make_different_statements_meet(a: str, b: str) -> None:
    assert normal_form(a) != normal_form(b)


def test_unreadable_text_is_compared_as_text() -> None:
    assert normal_form("theorem t : ⟪⟪   nonsense") == ": ⟪⟪ nonsense"
    assert nf_package.read_signature("theorem t : ⟪⟪ nonsense").__class__.__name__ == "Raw"


def test_sections_keep_the_order_of_their_arguments() -> None:
    ge, le = "IsCoboundedUnder (· ≥ ·) f u", "IsCoboundedUnder (· ≤ ·) f u"
    assert normal_form(ge) != normal_form(le)
    assert normal_form("Monotone (f · + 1)") == normal_form("Monotone (fun x ↦ f x + 1)")


# ---------------------------------------------------------------- properties
_VARS = ["a", "b", "c"]
_RELS = ["<", "≤", "=", "≠", "∣"]


@st.composite
def statements(draw: st.DrawFn) -> tuple[list[str], list[str], str, str]:
    """(variable binders, hypotheses, conclusion, type) over ℕ/ℤ/ℝ with distinct shapes."""
    typ = draw(st.sampled_from(["ℕ", "ℤ", "ℝ"]))
    term = st.one_of(
        st.sampled_from(_VARS),
        st.sampled_from(["1", "2", "3"]),
        st.tuples(
            st.sampled_from(_VARS), st.sampled_from(["+", "*", "-"]), st.sampled_from([*_VARS, "2"])
        ).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    )
    fact = st.tuples(term, st.sampled_from(_RELS), term).map(lambda t: f"{t[0]} {t[1]} {t[2]}")
    hyps = draw(st.lists(fact, min_size=0, max_size=3, unique=True))
    # A conclusion `a ≠ e` is the hypothesis `a = e` and `False`; with nothing else it is
    # False whatever `e` is, so a changed numeral could rightly meet: not generated.
    left, rel, right = draw(st.tuples(term, st.sampled_from(["<", "≤", "=", "∣"]), term))
    concl = f"{left} {rel} {right}"
    return _VARS, hyps, concl, typ


def _render(vars_: list[str], hyps: list[str], concl: str, typ: str) -> str:
    binders = " ".join(f"({v} : {typ})" for v in vars_)
    hs = " ".join(f"(h{i} : {h})" for i, h in enumerate(hyps))
    return f"theorem t {binders} {hs} : {concl} := by sorry"


@settings(max_examples=150, deadline=None)
@given(statements())
def test_normalising_twice_changes_nothing(s) -> None:
    once = normal_form(_render(*s))
    assert normal_form(once) == once


@settings(max_examples=150, deadline=None)
@given(statements(), st.permutations(["x", "y", "z"]))
def test_renaming_variables_changes_nothing(s, names) -> None:
    vars_, hyps, concl, typ = s
    mapping = dict(zip(vars_, names, strict=True))

    def sub(text: str) -> str:
        return "".join(mapping.get(ch, ch) for ch in text)

    renamed = _render(names, [sub(h) for h in hyps], sub(concl), typ)
    assert normal_form(renamed) == normal_form(_render(*s))


@settings(max_examples=150, deadline=None)
@given(statements(), st.randoms(use_true_random=False))
def test_reordering_hypotheses_changes_nothing(s, rnd: random.Random) -> None:
    vars_, hyps, concl, typ = s
    shuffled = hyps[:]
    rnd.shuffle(shuffled)
    assert normal_form(_render(vars_, shuffled, concl, typ)) == normal_form(_render(*s))


_CHANGES = [("1", "7"), ("2", "5"), ("<", "≤"), ("≤", "<"), ("=", "≠"), ("∣", "<")]


@settings(max_examples=150, deadline=None)
@given(statements(), st.sampled_from(_CHANGES), st.sampled_from(["ℕ", "ℤ", "ℝ"]))
def test_a_changed_numeral_relation_or_type_never_meets(s, change, other) -> None:
    vars_, hyps, concl, typ = s
    old, new = change
    if old in concl:
        changed = _render(vars_, hyps, concl.replace(old, new, 1), typ)
        assert normal_form(changed) != normal_form(_render(*s))
    if other != typ and any(v in concl or any(v in h for h in hyps) for v in vars_):
        assert normal_form(_render(vars_, hyps, concl, other)) != normal_form(_render(*s))


def test_the_committed_rule_catalogue_is_generated_from_the_rules() -> None:
    from pathlib import Path

    from formalizer.normal_form.catalogue import render

    committed = Path(__file__).parents[2] / "docs" / "normal_form_rules.md"
    assert committed.read_text(encoding="utf-8") == render(), (
        "docs/normal_form_rules.md is stale: python -m formalizer.normal_form.catalogue > "
        "docs/normal_form_rules.md"
    )


@pytest.mark.parametrize(
    "statement",
    [
        # shapes of Mathlib statements that were not idempotent (found on 4,000 of them)
        "theorem x (R : Type*) [CommSemiring R] : P R ↔ ∃ (ι : Type*) (_ : Fintype ι), Q ι",
        "theorem x {σ : Type*} {m : σ} (m : ℕ) (a : ℝ) : f m a = a",  # a shadowed binder
        "theorem x (s : Set α) (hf : ∀ᵐ x ∂μ.restrict s, ‖f x‖ ≤ C) : True",  # a measure
        "theorem x (S : Set (AddCon M)) : ⇑(sInf S) = sInf ((⇑) '' S)",  # an operator alone
        "theorem x {c} (hc : IsRegular c) (f : ι → Ordinal) : iSup f < c.ord",  # a hole type
        "theorem x {f g : α →. σ} (hf : Partrec f) : Partrec g",  # `→.`
    ],
)
def test_normalising_real_shapes_twice_changes_nothing(statement: str) -> None:
    once = normal_form(statement)
    assert normal_form(once) == once


def test_a_shadowed_binder_keeps_its_own_uses() -> None:
    # `(m : ℕ)` shadows `{m : σ}`: `f m` is about the natural number
    a = "theorem x {σ : Type*} {m : σ} (m : ℕ) : f m = 0"
    b = "theorem x {σ : Type*} {k : σ} (m : ℕ) : f m = 0"
    c = "theorem x {σ : Type*} {m : σ} (k : ℕ) : f m = 0"
    assert normal_form(a) == normal_form(b)
    assert normal_form(a) != normal_form(c)
