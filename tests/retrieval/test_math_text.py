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
