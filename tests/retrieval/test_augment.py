"""How docstrings name their results, and how those names reach the lexicon."""

import pytest

from retrieval.augment import Lexicon, named_results
from retrieval.documents import Doc
from retrieval.math_text import tokenize


@pytest.mark.parametrize(
    ("docstring", "names"),
    [
        ("**Bernoulli's inequality** for `n : ℕ`, `-2 ≤ a`.", ["Bernoulli's inequality"]),
        ("... in `G`. This is known as Cauchy's theorem.", ["Cauchy's theorem"]),
        ("Hölder's inequality for sums of products", ["Hölder's inequality"]),
        ("Sylow's first theorem: a `p`-subgroup exists", ["Sylow's first theorem"]),
        ("The Borel-Cantelli lemma: if the sum is finite ...", ["Borel-Cantelli lemma"]),
        ("also called the Hahn-Banach theorem, here for", ["Hahn-Banach theorem"]),
        # a sentence's first capital, a code name, a numbered lemma: no result name
        ("By this theorem the map is open.", []),
        ("See `Foo.bar's` lemma.", []),
        ("Use Lemma 3 and the main theorem.", []),
        ("the Chinese remainder theorem", []),  # no person named: left to the text channels
        ("", []),
    ],
)
def test_named_results(docstring: str, names: list[str]) -> None:
    assert [" ".join(tokenize(n)) for n in named_results(docstring)] == [
        " ".join(tokenize(n)) for n in names
    ]


def _doc(name: str, corpus: str, docstring: str = "", in_degree: int = 0) -> Doc:
    kind = "theorem" if corpus == "theorems" else "def"
    return Doc(0, name, kind, corpus, "M", "", docstring, "", in_degree, "source")


def test_a_result_is_mentioned_by_the_name_its_docstring_gives_it() -> None:
    docs = [
        _doc("bernoulli", "definitions", in_degree=50),
        _doc("one_add_mul_le_pow", "theorems", "**Bernoulli's inequality** for `n : ℕ`."),
        _doc("exists_prime_orderOf_dvd_card", "theorems", "This is known as Cauchy's theorem."),
        _doc("Cauchy", "definitions", in_degree=500),
        _doc("undocumented_lemma", "theorems"),
    ]
    lex = Lexicon.build(docs, curated=[("normal subgroup", "bernoulli")])
    found = lex.mentions(tokenize("Bernoulli's inequality"))
    assert found["one_add_mul_le_pow"] == (2, 0)  # the whole phrase, first
    assert found["bernoulli"][0] == 1  # the definition by its name word only
    # one word names both a definition and a result: the result first, the definition kept
    assert lex.entries["cauchy"][:2] == ["exists_prime_orderOf_dvd_card", "Cauchy"]
    # curated titles stay above docstring names
    assert lex.entries["normal subgroup"] == ["bernoulli"]
