import math
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.documents import Doc
from retrieval.math_text import tokenize
from retrieval.token_sets import TokenSets

WORDS = ["prime", "group", "ℕ", "a", "b", "≤", "∣", "x^2", "Nat.Prime", "card", "finite", "+"]


def doc(sig: str, about: str) -> Doc:
    return Doc(0, "X.y", "theorem", "theorems", "M", "", about, sig, 0, "source")


def reference(query: set[str], text: str) -> float:
    """The share of the query's tokens that the text holds, by tokenizing the text."""
    return len(query & set(tokenize(text))) / len(query) if query and text else 0.0


texts = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
    st.lists(st.sampled_from([*WORDS, "unseen"]), max_size=5),
    st.data(),
)
def test_coverage_is_the_share_of_query_tokens_each_text_holds(docs, query_words, data):
    table = TokenSets.build(doc(s, a) for s, a in docs)
    query = set(tokenize(" ".join(query_words)))
    rows = np.array(data.draw(st.lists(st.integers(0, len(docs) - 1), max_size=8)), np.int64)
    for field, pick in (("signature", 0), ("about", 1)):
        got = table.coverage(query, rows, field)[0]
        want = [reference(query, docs[r][pick]) for r in rows]
        assert np.allclose(got, want), (field, query, rows)


def test_save_and_load_keep_every_row(tmp_path: Path) -> None:
    table = TokenSets.build(
        [doc("(p : ℕ) (hp : Nat.Prime p) : 2 ≤ p", "A prime is at least two."), doc("", "")]
    )
    table.save(tmp_path / "t.npz")
    again = TokenSets.load(tmp_path / "t.npz")
    assert again.rows == 2 and again.vocab == table.vocab
    q = set(tokenize("prime at least two"))
    rows = np.array([0, 1, 0])
    for field in ("signature", "about"):
        for a, b in zip(
            again.coverage(q, rows, field), table.coverage(q, rows, field), strict=True
        ):
            assert list(a) == list(b)
    assert again.coverage(q, rows, "about")[0][0] == reference(q, "A prime is at least two.")
    for share in again.coverage(set(), rows, "about"):
        assert list(share) == [0.0, 0.0, 0.0]


def idf_reference(table: TokenSets, query: set[str], docs: list[Doc], r: int, pick: int) -> float:
    """Weighted coverage from its definition: idf = log(1 + texts / texts holding the token),
    a row's signature and docstring being two texts."""
    if not query:
        return 0.0
    texts = [set(tokenize(t)) for d in docs for t in (d.signature, d.about)]
    df = {t: sum(t in s for s in texts) for t in query}
    idf = {t: math.log1p(len(texts) / max(df[t], 1)) for t in query}
    have = set(tokenize((docs[r].signature, docs[r].about)[pick]))
    return sum(idf[t] for t in query & have) / sum(idf.values())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(texts, texts), min_size=1, max_size=6),
    st.lists(st.sampled_from([*WORDS, "unseen"]), min_size=1, max_size=5),
)
def test_weighted_coverage_counts_each_token_by_its_idf(pairs, query_words):
    docs = [doc(s, a) for s, a in pairs]
    table = TokenSets.build(docs)
    query = set(tokenize(" ".join(query_words)))
    rows = np.arange(len(docs))
    for field, pick in (("signature", 0), ("about", 1)):
        got = table.coverage(query, rows, field)[1]
        want = [idf_reference(table, query, docs, r, pick) for r in rows]
        assert np.allclose(got, want), (field, query)


def test_a_rare_word_outweighs_a_common_one() -> None:
    docs = [doc("", f"a group {w}") for w in ("ring", "field", "module")]
    docs.append(doc("", "a Sylow subgroup"))
    table = TokenSets.build(docs)
    q = set(tokenize("group Sylow"))
    assert len(q) == 2
    rows = np.array([0, 3])
    plain, weighted = table.coverage(q, rows, "about")
    assert plain[0] == plain[1]  # one of two query words each
    assert weighted[1] > weighted[0]
