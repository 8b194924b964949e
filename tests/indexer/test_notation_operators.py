"""Operators read off notation commands: fixity and precedence, as Lean's `prec` reads them."""

import pytest

from indexer.lean_terms import Op, parse_term
from indexer.lean_terms.syntax import Operators
from indexer.scope_commands import operator_of, precedence_value


@pytest.mark.parametrize(
    ("text", "value"),
    [("65", 65), ("max", 1024), ("arg", 1023), ("max+1", 1025), ("(arg - 1)", 1022), ("min", 10)],
)
def test_precedence_values(text: str, value: int) -> None:
    assert precedence_value(text) == value


def test_unreadable_precedence_is_none() -> None:
    assert precedence_value("foo") is None
    assert precedence_value("65 + x") is None


@pytest.mark.parametrize(
    ("kw", "prec", "command", "expected"),
    [
        ("infixl", "65", 'infixl:65 " +ₗ " => f', ("infixl", 65)),
        ("prefix", "max", 'prefix:max "√" => Real.sqrt', ("prefix", 1024)),
        ("postfix", "1024", 'postfix:1024 "ᵀ" => transpose', ("postfix", 1024)),
        # `notation` of one token between two arguments: the arguments say how it associates
        ("notation", "50", 'notation:50 a:50 " ≺≺ " b:51 => R a b', ("infixl", 50)),
        ("notation", "50", 'notation:50 a:51 " ≺≺ " b:50 => R a b', ("infixr", 50)),
        ("notation", "50", 'notation:50 a:51 " ≺≺ " b:51 => R a b', ("infix", 50)),
        ("notation", "max", 'notation:max "⅟" x:max => inv x', ("prefix", 1024)),
        # near-misses: more than one token, no precedence, a macro
        ("notation", "50", 'notation:50 a " ≡ " b " [MOD " n "]" => Nat.ModEq n a b', (None, None)),
        ("notation", "", 'notation "π" => Real.pi', (None, None)),
        ("macro", "max", 'macro:max "∑" x:term : term => x', (None, None)),
    ],
)
def test_operator_of(kw: str, prec: str, command: str, expected: tuple) -> None:
    assert operator_of(kw, prec, command) == expected


def test_declared_operators_set_how_a_term_reads() -> None:
    declared = Operators(infix={"∘q": (80, "r")}, prefix={"⋄q": 1024})
    # without the declaration `∘q` is an unknown relation at 50, below `+`
    unknown = parse_term("f ∘q g + h", notation=("∘q",))
    assert isinstance(unknown, Op) and unknown.op == "∘q"
    tree = parse_term("f ∘q g + h", notation=("∘q",), operators=declared)
    assert isinstance(tree, Op) and tree.op == "+"
    assert isinstance(tree.args[0], Op) and tree.args[0].op == "∘q"
    # right-associative, as declared
    chain = parse_term("f ∘q g ∘q h", notation=("∘q",), operators=declared)
    assert isinstance(chain, Op) and isinstance(chain.args[1], Op)
    # a declared prefix operator takes its argument
    dual = parse_term("⋄q f = g", notation=("⋄q",), operators=declared)
    assert isinstance(dual, Op) and dual.op == "="
    assert isinstance(dual.args[0], Op) and dual.args[0].op == "⋄q"
    # what the sources declare wins over the built-in table (an index is the user's Mathlib)
    assert parse_term("a + b * c").op == "+"
    assert parse_term("a + b * c", operators=Operators(infix={"+": (90, "l")})).op == "*"


def test_the_longest_token_wins_between_declared_and_built_in() -> None:
    # a declared `⁻` does not split core's `⁻¹`; a declared `→+` does not split `→+c[a, b]`
    declared = Operators(infix={"→+": (25, "r")}, postfix=frozenset({"⁻"}))
    tree = parse_term("x⁻¹ * y", operators=declared)
    assert isinstance(tree, Op) and tree.op == "*"
    assert isinstance(tree.args[0], Op) and tree.args[0].op == "⁻¹"
    arrow = parse_term("G →+c[a, b] H", operators=declared)
    assert isinstance(arrow, Op) and arrow.op == "→+c[a, b]"


def test_superscript_runs_are_split_only_into_declared_tokens() -> None:
    declared = Operators(postfix=frozenset({"ᶜ", "ᵐᵒᵖ"}))
    twice = parse_term("aᶜᶜ", operators=declared)  # compl (compl a), as Lean reads it
    assert isinstance(twice, Op) and twice.op == "ᶜ" and isinstance(twice.args[0], Op)
    assert parse_term("Aᵐᵒᵖᵐᵒᵖ", operators=declared).op == "ᵐᵒᵖ"
    # `ˢ` is not declared: `ᶜˢ` is another notation (of a scope not opened), read whole
    assert parse_term("sᶜˢ", operators=declared).op == "ᶜˢ"
    # without declarations a run is one unknown postfix notation
    assert parse_term("aᶜᶜ").op == "ᶜᶜ"
