from retrieval.math_text import normalize_latex, split_identifier, stem, tokenize


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
