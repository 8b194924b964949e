"""The Lean term reader: precedence, binders, brackets, notation; never an exception."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.lean_terms import (
    App,
    Bracket,
    Ident,
    Op,
    Paren,
    Proj,
    Quant,
    Raw,
    SetBuilder,
    Signature,
    Typed,
    parse_signature,
    parse_term,
    walk,
)


def shape(node) -> str:
    """A compact, fully parenthesized rendering, to compare structure."""
    if isinstance(node, Ident):
        return node.name
    if isinstance(node, Op):
        args = [shape(a) for a in node.args]
        if node.fixity == "prefix":
            return f"({node.op}{args[0]})"
        if node.fixity == "postfix":
            return f"({args[0]}{node.op})"
        return f"({args[0]} {node.op} {args[1]})"
    if isinstance(node, App):
        return "(" + " ".join([shape(node.fn), *map(shape, node.args)]) + ")"
    if isinstance(node, Paren):
        return shape(node.inner)
    if isinstance(node, Quant):
        names = ",".join(n for b in node.binders for n in b.names)
        return f"({node.head} {names}. {shape(node.body)})"
    if isinstance(node, Proj):
        return f"{shape(node.expr)}.{node.field}"
    if isinstance(node, Typed):
        return f"({shape(node.expr)} : {shape(node.type)})"
    if isinstance(node, Bracket):
        return node.open + ", ".join(map(shape, node.items)) + node.close
    return getattr(node, "text", type(node).__name__)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b * c ^ 2", "(a + (b * (c ^ 2)))"),
        ("a - b - c", "((a - b) - c)"),
        ("a ^ b ^ c", "(a ^ (b ^ c))"),
        ("-a ^ 2 * b", "((-(a ^ 2)) * b)"),  # `-` takes its operand at 75
        ("¬ a = b ∧ c", "((¬(a = b)) ∧ c)"),
        ("f x⁻¹ = (f x)⁻¹", "((f (x⁻¹)) = ((f x)⁻¹))"),  # postfix before application
        ("p → q → r", "(p → (q → r))"),
        ("h.1.le", "h.1.le"),
        ("(f x).symm y", "((f x).symm y)"),
        ("n ! = 1", "((n!) = 1)"),
        ("a →ₗ[R] b", "(a →ₗ[R] b)"),
        ("M →ₙ+* N", "(M →ₙ+* N)"),
        ("|a - b| < ε", "(|(a - b)| < ε)"),
        ("‖x‖₊ ≤ 1", "(‖x‖₊ ≤ 1)"),
        ("⌊x⌋₊", "⌊x⌋₊"),
        ("(a : ℝ) ≤ b", "((a : ℝ) ≤ b)"),
        ("∑ i ∈ s, f i = t", "((∑ i. (f i)) = t)"),  # big operators stop at 67
        ("∏ i, f i * g i", "(∏ i. ((f i) * (g i)))"),
        ("∀ x ∈ s, f x ≤ 1 ∧ p", "(∀ x. (((f x) ≤ 1) ∧ p))"),  # ∀ takes all
        ("fun x ↦ x + 1", "(fun x. (x + 1))"),
        ("f '' s ⊆ t", "((f '' s) ⊆ t)"),
        ("ℝ≥0∞", "ℝ≥0∞"),
        ("List.{u} α", "(List.{u} α)"),
    ],
)
def test_precedence_and_notation(text: str, expected: str) -> None:
    assert shape(parse_term(text)) == expected


def test_binders_brackets_and_set_builders() -> None:
    sig = parse_signature("{G : Type*} [Group G] ⦃x y : G⦄ (h : x = y := by simp) : x * y = y")
    assert isinstance(sig, Signature)
    assert [(b.bracket, b.names) for b in sig.binders] == [
        ("{", ("G",)),
        ("[", ()),
        ("⦃", ("x", "y")),
        ("(", ("h",)),
    ]
    assert sig.binders[3].default is not None  # an auto-param is a local with a default
    builder = parse_term("{x : ℝ | 0 < x}")
    assert isinstance(builder, SetBuilder) and builder.binder.names == ("x",)
    subtype = parse_term("{x // x ≠ 0}")
    assert isinstance(subtype, SetBuilder)
    literal = parse_term("{a, b}")
    assert isinstance(literal, Bracket) and len(literal.items) == 2
    q = parse_term("∀ ε > 0, ∃ δ > 0, δ < ε")
    assert isinstance(q, Quant) and q.binders[0].predicate[0] == ">"
    integral = parse_term("∫ x in a..b, f x ∂μ")
    assert isinstance(integral, Quant) and integral.binders[0].predicate[0] == "∈"


def test_unreadable_text_is_a_raw_node() -> None:
    for text in ("a * ∧ b", "(a", "f )", ""):
        assert isinstance(parse_term(text), Raw)
    assert isinstance(parse_signature("(a : M) : a * ∧"), Raw)


def test_spans_point_at_the_source() -> None:
    text = "∑ i ∈ Finset.range (n + 1), f i = g (n ^ 2)"
    for node in walk(parse_term(text)):
        start, end = node.span
        if isinstance(node, Ident):
            assert text[start:end] == node.name


_PIECES = ["a", "b", "1", "+", "*", "^", "(", ")", "∀", "x", ",", "=", "⁻¹", "|", "fun", "↦"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_never_raises_and_keeps_spans_inside(pieces: list[str]) -> None:
    text = " ".join(pieces)
    tree = parse_term(text)
    for node in walk(tree):
        start, end = node.span
        assert 0 <= start <= end <= len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a symbol no table declares, between two terms: a relation at 50
        ("s ⊼ t ⊆ u", "((s ⊼ t) ⊆ u)"),
        ("a ⤳ b", "(a ⤳ b)"),
        # superscript letters against a term: one postfix notation
        ("α ≃ αˢʸᵐ", "(α ≃ (αˢʸᵐ))"),
        ("(a * b)⁻¹ʳ = b⁻¹ʳ", "(((a * b)⁻¹ʳ) = (b⁻¹ʳ))"),
        ("Kᗮᗮ = K", "((Kᗮᗮ) = K)"),
        ("f ⁻¹' s", "(f ⁻¹' s)"),  # near miss: a declared infix that starts like a postfix
        ("ContDiff ℝ ∞ f", "(ContDiff ℝ ∞ f)"),  # `∞` is an atom, not an operator
        ("p .positive ∧ p .negative", "((p .positive) ∧ (p .negative))"),
        ("{m : ℕ} → Fin m → ℕ", "(∀ m. ((Fin m) → ℕ))"),
        ("𝔼 i ∈ s, f i ≠ 0", "((𝔼 i. (f i)) ≠ 0)"),
        ("Π₀ i, β i", "(Π₀ i. (β i))"),
        ("x ^^^ y <<< 2", "(x ^^^ (y <<< 2))"),
        ("(2 * n)‼", "((2 * n)‼)"),
        ("TFAE [p, (· ≤ ·) |f|]", "(TFAE [p, ((· ≤ ·) |f|)])"),
        ("μ[f | m] = g", "((μ [(f | m)]) = g)"),
    ],
)
def test_notation_classes_no_table_lists(text: str, expected: str) -> None:
    assert shape(parse_term(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "foldlM (fun d (a, b) => f d a b) init",  # a pattern after a bare binder name
        "∑ p ∈ range n with p.Prime, 1 / p",  # a filtered big operator
        "xs[i]'h = 1",  # an index with its proof
        "∀ᵉ (x ∈ s) (y ∈ s), x * y⁻¹ ∈ s",
        "⨍⁻ x, f x ∂μ = 0",
        "∏ᶜ Z ≅ W",
        "x.fst •> y <• z",
    ],
)
def test_more_notation_reads_as_a_tree(text: str) -> None:
    assert not any(isinstance(n, Raw) for n in walk(parse_term(text)))
