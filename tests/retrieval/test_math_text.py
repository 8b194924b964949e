from hypothesis import given
from hypothesis import strategies as st

from retrieval.math_text import (
    normalize_latex,
    normalize_notation,
    split_identifier,
    stem,
    tokenize,
)


def test_latex_and_unicode_become_words() -> None:
    assert tokenize(r"$f:\mathbb{R}\to\mathbb{R}$ with $\sum_{i} a_i \le \infty$") == [
        "real",
        "real",
        "sum",
        "le",
        "infinity",
    ]
    assert tokenize("∀ x ∈ ℕ, x ⊆ S") == ["forall", "mem", "natural", "subset"]
    assert "real" in normalize_latex(r"\Bbb R")


def test_lean_names_are_split() -> None:
    assert split_identifier("Fintype.card") == ["Fintype", "card"]
    assert split_identifier("IsCompact") == ["Is", "Compact"]
    assert split_identifier("HMul") == ["H", "Mul"]
    assert tokenize("Subgroup.Normal mul_comm") == ["subgroup", "normal", "mul", "comm"]


def test_light_stemming_and_stopwords() -> None:
    assert stem("groups") == stem("group") == "group"
    assert stem("properties") == "property"
    assert stem("class") == "class"
    assert tokenize("Prove that the set is open") == ["set", "open"]


def test_operators_read_as_mathlib_names_them() -> None:
    # ASCII, Unicode and LaTeX spellings of one operator meet on one word
    assert tokenize("a <= b") == tokenize("a ≤ b") == tokenize(r"$a \le b$") == ["le", "b"]
    assert tokenize("p ∣ n") == tokenize(r"$p \mid n$")
    assert tokenize("s ∩ t") == tokenize(r"$s \cap t$")
    assert tokenize("(x + y)^n") == ["add", "pow"]  # the words of `add_pow`
    assert "sub" in tokenize("n - 1") and "factorial" in tokenize("(p - 1)!")


def test_hyphenated_names_are_words_not_minus() -> None:
    assert tokenize("Cauchy-Schwarz inequality") == ["cauchy", "schwarz", "inequality"]
    assert "sub" not in tokenize("Hahn-Banach")


def test_latex_commands_read_as_the_symbols_they_write() -> None:
    """A formula typed in LaTeX meets the same formula in Lean's symbols (the commands are
    those `symbols.py` spells the symbols with), not only the hand-listed ones."""
    assert tokenize(r"\(a \sqcap b \sqcup c = \top\)") == tokenize("a ⊓ b ⊔ c = ⊤")
    assert tokenize(r"$X \simeq Y$") == tokenize("X ≃ Y")
    assert tokenize(r"\bot") == ["bot"]
    # a hand-listed reading stays: `\sup` is the supremum a query means
    assert tokenize(r"\sup") == ["supremum"]
    # a command that writes no symbol with a word is kept as its name
    assert tokenize(r"\hookrightarrow") == ["hookrightarrow"]


def test_intervals_in_math_mode_read_as_lean_names_them() -> None:
    assert tokenize(r"continuous on $[a, b]$") == ["continuous", "icc", "b"]
    assert "ioc" in tokenize(r"\( x \in (0, 1] \)")
    assert "ico" in tokenize(r"$[1, \infty)$")
    assert "ioo" in tokenize(r"$(-1, 1)$")
    # an endpoint may be an application: the interval of `intermediate_value_Icc`
    assert tokenize(r"$[f(a), f(b)]$")[0] == "icc"
    # near misses: an application, a list or pair outside math mode, Lean's `<$>`
    assert "ioo" not in tokenize(r"$f(x, y) = 0$")
    assert "ioo" not in tokenize(r"$\mathrm{Cov}(X, Y)$")
    assert not {"icc", "ioo"} & set(tokenize("List.sum [a, b] = (a, b).1 + b"))
    assert "ioo" not in tokenize("Prod.mk <$> a <*> b = (fun b a => (a, b)) <$> b")


def test_bars_around_sets_are_a_cardinality() -> None:
    assert tokenize(r"$|A \cup B| + |A \cap B| = |A| + |B|$") == tokenize(
        "card (A ∪ B) + card (A ∩ B) = card A + card B"
    )
    # outside math mode a set operation says the bars are a cardinality, for every capital
    assert tokenize("|S ∩ T| ≤ |S|").count("card") == 2
    assert tokenize(r"$|G| = p^n$")[0] == "card"
    # near misses: an absolute value of scalars, a real radius `|R|` in a Lean statement
    assert "card" not in tokenize("|x - y| ≤ |x| + |y|")
    assert tokenize("closedBall c |R|")[-1] == "abs"
    assert "card" not in tokenize(r"$|a| \le |A x|$")


@given(st.text(alphabet=st.characters(blacklist_characters="$|\\")))
def test_notation_reading_leaves_text_without_delimiters_alone(text: str) -> None:
    assert normalize_notation(text) == text


@given(st.lists(st.sampled_from(["x", "y", "a - b", "2 * t", "f x", "n"]), min_size=1, max_size=4))
def test_bars_around_lower_case_terms_stay_absolute_values(terms: list[str]) -> None:
    text = " + ".join(f"|{t}|" for t in terms)
    assert "card" not in tokenize(text) and "card" not in tokenize(f"${text}$")


def test_power_set_notations_meet() -> None:
    assert "powerset" in tokenize(r"$f : X \to \mathcal{P}(X)$")
    assert tokenize(r"$\wp(S)$") == tokenize("𝒫 S") == tokenize(r"\mathcal P(S)") == ["powerset"]
    assert "powerset" not in tokenize(r"$\mathcal{C}$ a category")
