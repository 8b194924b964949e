import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.lean_terms.lexer import tokenize
from indexer.lean_terms.split import (
    _layout_step,
    binder_groups,
    bracket_depth,
    first_top_level,
    iff_direction,
    matching_brackets,
    one_line,
    split_conclusion,
    split_signature,
    top_level,
    top_level_assign,
)


def test_conclusion_is_after_the_first_top_level_colon() -> None:
    sig = "{p : ℕ} [Fact p.Prime] {a : ZMod p} (ha : a ≠ 0) : a ^ (p - 1) = 1"
    assert split_conclusion(sig) == (
        "{p : ℕ} [Fact p.Prime] {a : ZMod p} (ha : a ≠ 0)",
        "a ^ (p - 1) = 1",
    )
    assert split_conclusion("{x : {y : ℕ // y > 0}} : x.1 ≠ 0")[1] == "x.1 ≠ 0"
    assert split_conclusion(": ∀ n : ℕ, n = n") == ("", "∀ n : ℕ, n = n")


def test_no_conclusion_outside_brackets() -> None:
    assert split_conclusion("(h : a ∈ s)") == ("", "")


@pytest.mark.parametrize(
    ("direction", "expected"),
    [("mp", "{s t : Set α} : s ⊆ t → s ∩ t = s"), ("mpr", "{s t : Set α} : s ∩ t = s → s ⊆ t")],
)
def test_iff_directions(direction: str, expected: str) -> None:
    assert iff_direction("{s t : Set α} : s ⊆ t ↔ s ∩ t = s", direction) == expected


def test_iff_direction_needs_exactly_one_top_level_iff() -> None:
    assert iff_direction("(a b : Prop) : (a ↔ b) → (b ↔ a)", "mp") is None  # inside brackets
    assert iff_direction("(x : ℕ) : x = x", "mp") is None
    assert top_level("(a ↔ b) ↔ c", "↔") == [8]


def _groups(text: str) -> list[tuple[str, list[str], str]]:
    return [(g.bracket, g.names, g.type) for g in binder_groups(text)]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("(x y : α) {n : ℕ}", [("(", ["x", "y"], "α"), ("{", ["n"], "ℕ")]),
        ("[Group G] [inst : Ring R]", [("[", [], "Group G"), ("[", ["inst"], "Ring R")]),
        ("⦃a b⦄ x (h)", [("⦃", ["a", "b"], ""), ("", ["x"], ""), ("(", ["h"], "")]),
        ("⟨a, b⟩", [("⟨", ["a", "b"], "")]),
        # a default value or an auto-param is not part of the type
        ("(h : n ≤ m := by omega)", [("(", ["h"], "n ≤ m")]),
        (
            "(μ : Measure α := by volume_tac) (x := 0)",
            [("(", ["μ"], "Measure α"), ("(", ["x"], "")],
        ),
        # the `:=` of a `haveI` inside the type is the type's own
        ("(h : haveI : P := p; Q)", [("(", ["h"], "haveI : P := p; Q")]),
        # an instance binder whose class binds a variable binds nothing
        ("[∀ i : ι, Group (G i)]", [("[", [], "∀ i : ι, Group (G i)")]),
        ("[DecidablePred fun x : R ↦ x = 0]", [("[", [], "DecidablePred fun x : R ↦ x = 0")]),
        # `^[` opens a bracket the `]` closes; a bracket in a string is not one
        ("(h : f^[n] x = x) (y : ℕ)", [("(", ["h"], "f^[n] x = x"), ("(", ["y"], "ℕ")]),
        ('(s : String := "(") (t : ℕ)', [("(", ["s"], "String"), ("(", ["t"], "ℕ")]),
        # a head that is not names: no names, the whole inside as type
        ("(2 : ℕ)", [("(", [], "2 : ℕ")]),
        # binders of `∀ᵉ`, and patterns of `fun`: the names before a binder predicate
        ("(x ∈ s) (y z ∈ t) (ε > 0)", [("(", ["x"], ""), ("(", ["y", "z"], ""), ("(", ["ε"], "")]),
        ("(hd, opf, op')", [("(", ["hd", "opf", "op'"], "")]),
        ("((x, y), z)", [("(", ["x", "y", "z"], "")]),
        ("(2 + x)", [("(", [], "")]),
        # an application is not a pattern, nor is a tuple of applications
        ("(μ.restrict (Ι a b))", [("(", [], "")]),
        ("(b.h i, c.h (e i))", [("(", [], "")]),
    ],
)
def test_binder_groups(text: str, groups: list) -> None:
    assert _groups(text) == groups


def test_binder_group_spans_cover_the_group_as_written() -> None:
    text = "{x : α}  [Group G] (h : x = x)"
    assert [text[slice(*g.span)] for g in binder_groups(text)] == [
        "{x : α}",
        "[Group G]",
        "(h : x = x)",
    ]


def test_signature_splits_at_the_first_top_level_colon_or_extends() -> None:
    assert split_signature("(x : α) (h : f^[2] x = x) : P x") == (
        "(x : α) (h : f^[2] x = x) ",
        " P x",
    )
    assert split_signature("(R : Type*) extends Ring R") == ("(R : Type*) ", " Ring R")
    assert split_signature("(x : α)") == ("(x : α)", "")
    assert top_level("(h : f^[2] x = x) : x = x", ":") == [18]


# ------------------------------------------------------------ commands' text


def test_matching_brackets_step_over_strings_char_literals_and_iterates() -> None:
    text = "@[simp, to_additive \"a ( b\"] f^[n] '(' (x)"
    pairs = matching_brackets(text)
    assert pairs[1] == text.index("]", text.index('"a ( b"'))
    assert pairs[text.index("^[") + 1] == text.index("] '")
    assert pairs[text.index("(x)")] == len(text) - 1
    assert len(pairs) == 3


def test_first_top_level_skips_brackets_and_strings() -> None:
    text = 'open Foo (bar in) "in" in theorem'
    tok = first_top_level(text, frozenset({"in"}), start=4)
    assert tok is not None and tok.start == text.rindex(" in ") + 1
    assert first_top_level("(a in b)", frozenset({"in"})) is None


def test_top_level_assign_skips_the_bindings_in_a_type() -> None:
    text = "letI := inst; P x (h := 1) := proof"
    tok = top_level_assign(text)
    assert tok is not None and text[tok.end :].strip() == "proof"
    assert top_level_assign("(x := 1) → P") is None


def test_one_line_ends_a_binding_value_at_its_line_break() -> None:
    assert one_line("letI := i\n  P x") == "letI := i; P x"
    assert one_line("(f\n  x) =\n  y") == "(f x) = y"  # inside brackets: a plain space


def test_bracket_depth() -> None:
    assert bracket_depth("theorem foo (x : ℕ) :\n  f^[n] (x") == 1
    assert bracket_depth('s = "(("') == 0
    assert bracket_depth("c = '(' ∧ «a(b» = x") == 0
    assert bracket_depth("f (x -- (\n  /- ((( -/ y") == 1
    assert bracket_depth("(List.{u} α) ℤ[i] x⌊y ⟨a, ⟦b⟧") == 1


# Pieces whose brackets are no bracket tokens (strings, comments, quoted names, char
# literals), operators that open one (`^[`, `→+[`), and names with primes next to brackets.
_PIECES = st.sampled_from(
    [
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "⟨",
        "⟩",
        "⦃",
        "⦄",
        "⟦",
        "⟧",
        "⌊",
        "⌋",
        " ",
        "\n",
        "x",
        "h'",
        "'('",
        "')'",
        '"(("',
        '"\\"',
        "«a(b»",
        "-- ((\n",
        "/- ) -/",
        "f^[",
        "→+[",
        "![",
        "ℤ[i]",
        "List.{u}",
        ":=",
        "'",
        '"',
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_bracket_depth_counts_what_the_tokens_count(text: str) -> None:
    assert bracket_depth(text) == sum(_layout_step(tok) for tok in tokenize(text))
