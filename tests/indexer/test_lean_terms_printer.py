"""The printer: a tree written back as Lean reads as the same tree; parentheses where needed."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.lean_terms import App, Ident, Op, Paren, parse_signature, parse_term
from indexer.lean_terms.printer import same_shape, to_lean
from indexer.lean_terms.tree import transform


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("(a + b) * c", "(a + b) * c"),
        ("a + (b * c)", "a + (b * c)"),  # a written parenthesis is kept
        ("f (g x) y", "f (g x) y"),
        ("(∑ i ∈ s, f i) + 1", "(∑ i ∈ s, f i) + 1"),
        ("∀ x : ℕ, x = x", "∀ (x : ℕ), x = x"),
        ("∀ᶠ x in atTop, p x", "∀ᶠ x in atTop, p x"),
        ("fun x => x + 1", "fun x ↦ x + 1"),
        ("{x : ℝ | 0 < x}", "{x : ℝ | 0 < x}"),
        ("xs[i] + xs [i]", "xs[i] + xs [i]"),  # indexing is not application to a list
        ("¬a = b", "¬ a = b"),
        ("(-x) ^ 2", "(-x) ^ 2"),
        ("n ! * (n + 1)!", "n ! * (n + 1)!"),  # `n!` would be one name
        ("∫ x in s, f x ∂μ + 1 = 2", "(∫ x in s, f x ∂μ) + 1 = 2"),
    ],
)
def test_printed_text(text: str, printed: str) -> None:
    assert to_lean(parse_term(text)) == printed


def test_parentheses_come_from_precedence_when_the_tree_has_none() -> None:
    a, b, c = Ident("a"), Ident("b"), Ident("c")
    assert to_lean(Op("*", (Op("+", (a, b)), c))) == "(a + b) * c"
    assert to_lean(Op("+", (a, Op("*", (b, c))))) == "a + b * c"
    assert to_lean(Op("-", (a, Op("-", (b, c))))) == "a - (b - c)"  # `-` is left-associative
    assert to_lean(Op("^", (Op("-", (a,), "prefix"), b))) == "(-a) ^ b"
    assert to_lean(Op("-", (Op("^", (a, b)),), "prefix")) == "-a ^ b"
    assert to_lean(App(Ident("f"), (App(Ident("g"), (a,)),))) == "f (g a)"


def test_signature_prints_binders_then_type() -> None:
    sig = parse_signature("{G : Type*} [Group G] (a : G) : a * a⁻¹ = 1")
    assert to_lean(sig) == "{G : Type*} [Group G] (a : G) : a * a⁻¹ = 1"


_atoms = st.sampled_from(["a", "b", "x", "1", "2", "f a", "s.card", "‖v‖", "⌊x⌋₊", "n !", "x⁻¹"])


def _terms() -> st.SearchStrategy[str]:
    ops = st.sampled_from(["+", "-", "*", "/", "^", "=", "≤", "<", "∧", "∨", "→", "↔", "∈", "∣"])
    return st.recursive(
        _atoms,
        lambda inner: st.one_of(
            st.tuples(inner, ops, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda t: f"¬ {t}"),
            inner.map(lambda t: f"(-{t})"),
            inner.map(lambda t: f"g ({t})"),
            inner.map(lambda t: f"(∀ y ∈ s, {t})"),
            inner.map(lambda t: f"(∑ i ∈ range n, {t})"),
        ),
        max_leaves=12,
    )


@settings(max_examples=300, deadline=None)
@given(_terms())
def test_printing_then_reading_gives_the_same_tree(text: str) -> None:
    tree = parse_term(text)
    assert same_shape(parse_term(to_lean(tree)), tree)


@settings(max_examples=300, deadline=None)
@given(_terms())
def test_precedence_alone_puts_back_the_parentheses_a_tree_needs(text: str) -> None:
    tree = transform(parse_term(text), lambda n: n.inner if isinstance(n, Paren) else n)
    assert same_shape(parse_term(to_lean(tree)), tree)
