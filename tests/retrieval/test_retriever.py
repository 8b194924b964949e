import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.augment import augment, statement_text
from retrieval.math_text import tokenize
from retrieval.rerank import (
    FEATURES,
    THEOREM_WEIGHTS_FILE,
    WEIGHTS_FILE,
    FeatureReranker,
    StyledReranker,
)
from retrieval.retriever import RetrievalIndexError, Retriever, SearchConfig


@pytest.fixture(scope="module")
def retriever(retrieval_index: Path) -> Retriever:
    return Retriever.open(retrieval_index)


def test_search_finds_the_concepts_a_statement_needs(retriever: Retriever) -> None:
    hits = retriever.search(
        "Every continuous map between topological spaces preserves open sets", k=5
    )
    names = [h.name for h in hits]
    assert "Continuous" in names and "TopologicalSpace" in names
    top = hits[0]
    assert top.channels and top.why and top.kind
    assert all(h.kind not in ("theorem", "lemma") for h in hits)  # definitions corpus


def test_corpora_and_exclusion(retriever: Retriever) -> None:
    theorems = retriever.search("continuous identity map", k=5, corpus="theorems")
    assert theorems[0].name == "continuous_id"
    rest = retriever.search(
        "continuous identity map", k=5, corpus="theorems", exclude=["continuous_id"]
    )
    assert "continuous_id" not in [h.name for h in rest]
    everything = retriever.search("continuous identity map", k=20, corpus="all")
    assert {"continuous_id", "Continuous"} <= {h.name for h in everything}
    with pytest.raises(ValueError, match="corpus"):
        retriever.search("x", corpus="lemmas")  # type: ignore[arg-type]


def test_concept_mentions_and_domain_prediction(retriever: Retriever) -> None:
    aug = augment("Let G be a group and H a semigroup", retriever.lexicon, retriever.domains)
    assert "Group" in aug.mentions and "Semigroup" in aug.mentions
    top = aug.top_domains(1)[0][0]
    assert top == "Algebra"  # the fixture's groups live in FixtureLib/Algebra


def test_every_configuration_runs(retriever: Retriever) -> None:
    for cfg in (
        SearchConfig(dense=False, mentions=False, popularity=False, rerank="none"),
        SearchConfig(bm25=False, mentions=False, popularity=False, rerank="none"),
        SearchConfig(rerank="none", fusion="weighted"),
        SearchConfig(),
    ):
        assert retriever.search("a group with inverses", k=3, config=cfg)


def test_shipped_weights_match_the_features() -> None:
    model = FeatureReranker.load(WEIGHTS_FILE)
    assert set(model.features) <= set(FEATURES)  # older weights: a subset, read by name
    assert model.info["trained_on"]  # says what it was trained on
    styled = StyledReranker.load(THEOREM_WEIGHTS_FILE)
    assert isinstance(styled, StyledReranker)
    assert {"sentence", "formula", "lean", "nickname"} <= set(styled.models)
    assert styled.for_style("name") is styled.models[styled.fallback]


def test_weights_over_a_subset_of_features_score_by_name(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, len(FEATURES)))
    y = (x[:, FEATURES.index("sig_overlap")] > 0.5).astype(float)
    g = np.repeat(np.arange(30), 10)
    subset = ("fused", "sig_overlap", "dense_score")
    model = FeatureReranker.fit(x, y, g, features=subset)
    assert model.features == subset
    assert int(np.argmax(model.weights)) == 1
    styled = StyledReranker({"formula": model}, "formula", {})
    styled.save(tmp_path / "s.json")
    again = StyledReranker.load(tmp_path / "s.json")
    assert np.allclose(again.for_style("sentence").score(x), model.score(x), atol=1e-3)


def test_weights_naming_an_unknown_feature_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(
        json.dumps(
            {
                "features": ["fused", "telepathy"],
                "mean": [0, 0],
                "std": [1, 1],
                "weights": [1, 1],
                "bias": 0,
            }
        )
    )
    with pytest.raises(ValueError, match="telepathy"):
        FeatureReranker.load(path)


def test_reranker_fit_learns_a_separating_feature(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((400, len(FEATURES)))
    y = (x[:, 9] > 0.8).astype(float)
    g = np.repeat(np.arange(40), 10)
    model = FeatureReranker.fit(x, y, g)
    assert int(np.argmax(model.weights)) == 9
    model.save(tmp_path / "w.json")
    again = FeatureReranker.load(tmp_path / "w.json")
    assert np.allclose(again.score(x), model.score(x), atol=1e-3)


def test_index_without_retrieval_is_a_clear_error(fixture_index: Path) -> None:
    with pytest.raises(RetrievalIndexError, match="no retrieval channels"):
        Retriever.open(fixture_index)


def test_meta_records_the_build(retrieval_index: Path) -> None:
    meta = json.loads((retrieval_index / "retrieval" / "meta.json").read_text())
    assert meta["dense"]["definitions"]["n"] == meta["corpora"]["definitions"]
    assert meta["views"] == {"dense": "informal", "bm25": "informal", "bm25_theorems": "combined"}
    assert meta["embedder"]["text_view"] == "raw"  # MiniLM reads texts as they are


def test_queries_are_read_in_the_view_the_stored_vectors_were_made_in(
    retrieval_index: Path, tmp_path: Path
) -> None:
    """A model's card may change its view later; an index keeps the one its vectors have, and
    an index from before views existed is raw."""
    import shutil

    from knowledge_base.manifest import Manifest

    copy = tmp_path / "idx"
    shutil.copytree(retrieval_index, copy)
    meta_file = copy / "retrieval" / "meta.json"
    meta = json.loads(meta_file.read_text())
    meta["embedder"]["text_view"] = "latex-symbols"
    meta_file.write_text(json.dumps(meta))
    Manifest.read(copy).seal(copy)  # an index built that way, not a damaged one
    assert Retriever.open(copy).embedder.text_view == "latex-symbols"
    del meta["embedder"]["text_view"]
    meta_file.write_text(json.dumps(meta))
    Manifest.read(copy).seal(copy)
    assert Retriever.open(copy).embedder.text_view == "raw"


def test_cross_encoder_path(retrieval_index: Path) -> None:
    """Plumbing only: the packaged MiniLM loaded as a CrossEncoder (its scoring head is
    untrained here), so the order it gives means nothing; the scores must cover the top hits."""
    from retrieval.embedder import default_model_path

    r = Retriever.open(retrieval_index, cross_encoder=default_model_path())
    assert r.config.rerank == "cross-encoder"
    hits = r.search("continuous maps between topological spaces", k=5)
    assert len(hits) == 5 and len({h.name for h in hits}) == 5


def test_an_index_from_before_token_sets_ranks_the_same(
    retrieval_index: Path, tmp_path: Path, retriever: Retriever, capsys
) -> None:
    """The token sets are made at open (with a warning) when the index has none stored."""
    import shutil

    from indexer.errors import UserNote
    from knowledge_base.manifest import Manifest
    from retrieval.token_sets import TOKEN_SETS_FILE

    copy = tmp_path / "idx"
    shutil.copytree(retrieval_index, copy)
    (copy / "retrieval" / TOKEN_SETS_FILE).unlink()
    Manifest.read(copy).seal(copy)  # as such an index was sealed
    with pytest.warns(UserNote, match="predates"):
        old = Retriever.open(copy)
    assert old.tokens.vocab == retriever.tokens.vocab
    for query in ("a group of prime order is cyclic", "x ≤ y → f x ≤ f y"):
        for corpus in ("definitions", "all"):
            want = [(h.name, h.score) for h in retriever.search(query, k=8, corpus=corpus)]
            assert [(h.name, h.score) for h in old.search(query, k=8, corpus=corpus)] == want

    # the command line says so in one line
    from autoformalizer.cli import main

    capsys.readouterr()
    assert main(["search", "prime order", "--index", str(copy), "-k", "2"]) == 0
    notes = [x for x in capsys.readouterr().err.splitlines() if "predates" in x]
    assert notes and all(x.startswith("autoformalizer: note: ") for x in notes)


def test_the_theorems_dense_scores_have_their_own_features(retriever: Retriever) -> None:
    """Two corpora, two encoders, two cosine scales: one weight for both could not rank them."""
    from retrieval.rerank import Candidate, feature_matrix

    docs = retriever.docs
    theorem = next(r for r in range(len(docs)) if docs.corpus(r) == "theorems")
    definition = next(r for r in range(len(docs)) if docs.corpus(r) == "definitions")
    cands = [
        Candidate(theorem, dense_score=0.7, dense_rank=1, fused=0.1),
        Candidate(definition, dense_score=0.7, dense_rank=2, fused=0.1),
        Candidate(theorem, fused=0.05),  # found by another channel only
    ]
    aug = augment("anything", retriever.lexicon, retriever.domains)
    x = feature_matrix(cands, docs, aug, retriever.tokens)
    col = {f: x[:, FEATURES.index(f)].tolist() for f in FEATURES}
    assert col["in_theorems"] == [1.0, 0.0, 1.0]
    assert col["dense_score"] == [0.7, 0.7, 0.0]
    assert col["dense_score_theorems"] == [0.7, 0.0, 0.0]
    assert col["dense_rrank_theorems"] == [1.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("Prove that every prime is odd or two.", "every prime is odd or two."),
        ("show that x ≤ x", "x ≤ x"),
        ("Prove: the sum of two evens is even", "the sum of two evens is even"),
        ("Verify that $2 + 2 = 4$", "$2 + 2 = 4$"),
        # LaTeX's \( \) and \[ \] delimiters are dropped, `$` kept (as docstrings write it)
        (r"Prove that \( f \) is continuous at \(x_0\).", "f is continuous at x_0 ."),
        (r"for all n, \[ \sum_{i<n} i = n(n-1)/2 \]", r"for all n, \sum_{i<n} i = n(n-1)/2"),
        (r"if $f$ is continuous then \(f\)", "if $f$ is continuous then f"),
        (r"\(unclosed", r"\(unclosed"),
        # a symbol in quotes is written bare; apostrophes, phrases in quotes and backticks stay
        ("the numbers 'a' and \"b'\" and 'x_1'", 'the numbers a and "b\'" and x_1'),
        ("Euler's f' 'n'", "Euler's f' n"),
        ('the statement "a implies b" holds for `f`', 'the statement "a implies b" holds for `f`'),
        # near misses: words that merely begin like an instruction, or nothing after it
        ("Proven bounds on primes", "Proven bounds on primes"),
        ("showing compactness of products", "showing compactness of products"),
        ("prove that", "prove that"),
        ("the theorem we prove that sums commute", "the theorem we prove that sums commute"),
    ],
)
def test_the_encoder_reads_the_statement_without_an_instruction(query: str, text: str) -> None:
    assert statement_text(query) == text
    aug = augment(query, None, None)
    assert aug.text == text and aug.tokens == tokenize(query)  # BM25 reads the query as written


@given(st.text(max_size=60) | st.sampled_from([r"\( \)", r"Prove that \[\]", "prove: ''"]))
def test_the_encoder_never_reads_an_empty_text_for_a_query_with_content(query: str) -> None:
    if query.strip():
        assert statement_text(query).strip()
