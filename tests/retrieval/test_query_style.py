import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.query_style import STYLES, detect_style


@pytest.mark.parametrize(
    ("query", "style"),
    [
        ("Nat.succ_ne_zero", "name"),
        ("mul_comm", "name"),
        ("theorem foo (n : ℕ) : n + 0 = n", "lean"),
        ("(a b : ℤ) : a * b = b * a", "lean"),
        ("[Group G] (H : Subgroup G) : Nat.card H ∣ Nat.card G", "lean"),
        (r"$\sum_{i=1}^n i = n(n+1)/2$", "latex"),
        (r"prove that \(x^2 \geq 0\) for real x", "latex"),
        ("gcd a b = gcd b a", "formula"),
        ("∀ n, ∃ p, n ≤ p ∧ p.Prime", "formula"),
        ("x^2 >= 0", "formula"),
        ("Zorn's lemma", "nickname"),
        ("Hahn-Banach theorem", "nickname"),
        ("AM-GM inequality", "nickname"),
        ("continuous image of compact set", "phrase"),
        ("the successor of a natural number is never zero in any case at all", "sentence"),
        # LaTeX with a few words around its math is still LaTeX ...
        (r"if $f$ is continuous on $[a,b]$ then $[f(a), f(b)] \subseteq f([a,b])$", "latex"),
        (r"\sum_{k=0}^{n} \binom{n}{k} = 2^n", "latex"),
        # ... a long sentence with some LaTeX in it is carried by its words
        (
            r"Show that for every group \(G\) of order \(p^2\), where \(p\) is a prime "
            r"number, the group is abelian, that is, any two of its elements commute.",
            "sentence",
        ),
        (
            r"Given a measurable set $S$ in a probability space, the measure of its complement "
            r"equals one minus the measure of the set itself, whenever $\mu(S)$ is finite.",
            "sentence",
        ),
    ],
)
def test_styles(query: str, style: str) -> None:
    assert detect_style(query) == style


@pytest.mark.parametrize(
    ("query", "not_style"),
    [
        ("Cauchy-Schwarz", "formula"),  # a hyphen between words is not a minus
        ("∃ c ∈ Ioo a b, deriv f c = 0", "lean"),  # quantifiers alone are not binders
        ("prime", "name"),  # one lower-case word is a phrase, not an identifier
        ("a theorem about the product of two primes and when it is a square number", "nickname"),
    ],
)
def test_near_misses(query: str, not_style: str) -> None:
    assert detect_style(query) != not_style


@given(st.text(max_size=80))
def test_every_text_has_a_style(text: str) -> None:
    assert detect_style(text) in STYLES
