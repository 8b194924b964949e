"""The lookup query encoder: pairs, training against frozen vectors, and its use by a build."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval.documents import Doc
from retrieval.embedder import Embedder, default_model_path, weights_fingerprint
from retrieval.query_tuning import (
    QueryPair,
    QueryTrainConfig,
    dense_recall,
    lookup_pairs,
    train,
    trained_against,
)


def _doc(name: str, kind: str = "theorem", docstring: str = "", signature: str = "") -> Doc:
    return Doc(0, name, kind, "theorems", "M", "", docstring, signature, 0, "source")


LONG_DOC = "The greatest common divisor of two numbers does not depend on their order."


def test_lookup_pairs_take_docstrings_and_english_renderings_of_their_own_theorem() -> None:
    theorems = [
        _doc("gcd_comm", docstring=LONG_DOC, signature="(a b : ℕ) : gcd a b = gcd b a"),
        _doc("short_doc", docstring="Too short.", signature="(n : ℕ) : n + 0 = n"),
        _doc("excluded", docstring=LONG_DOC + " Again.", signature="(n : ℕ) : 0 + n = n"),
        _doc("an_alias", kind="alias", docstring=LONG_DOC, signature="(n : ℕ) : n = n"),
        _doc("unreadable", signature="{α : Type*} [Foo α] : bar α ⊆ baz α"),
        _doc("no_statement"),
    ]
    rendered = {
        "gcd_comm": "for all natural numbers a, b, gcd of a and b equals gcd of b and a",
        "short_doc": "for all natural numbers n, n plus 0 equals n",
        "excluded": "for all natural numbers n, 0 plus n equals n",
        # the renderer gives back the Lean text when it cannot read a statement: not English
        "unreadable": "{α : Type*} [Foo α] : bar α ⊆ baz α",
    }

    def render(docs: list[Doc]) -> None:
        for d in docs:
            d.rendering = rendered.get(d.name, d.signature)

    pairs = lookup_pairs(theorems, {"excluded"}, renderings=10, seed=0, render=render)
    assert sorted((p.source, p.row, p.text) for p in pairs) == [
        ("docstring", 0, LONG_DOC),
        ("rendering", 0, rendered["gcd_comm"]),
        ("rendering", 1, rendered["short_doc"]),
    ]
    again = lookup_pairs(theorems, {"excluded"}, renderings=10, seed=0, render=render)
    assert again == pairs  # a seed draws the same pairs in the same order


def test_lookup_pairs_render_only_the_sample() -> None:
    theorems = [_doc(f"t{i}", signature=f"(n : ℕ) : n + {i} = {i} + n") for i in range(50)]
    seen: list[str] = []

    def render(docs: list[Doc]) -> None:
        seen.extend(d.name for d in docs)
        for d in docs:
            d.rendering = f"for all natural numbers n, n plus {d.name} is commutative"

    pairs = lookup_pairs(theorems, set(), renderings=7, seed=3, render=render)
    assert len(seen) == 7 and len(pairs) == 7
    assert {theorems[p.row].name for p in pairs} == set(seen)


THEOREMS = [
    "theorem Nat.gcd_comm (m n : ℕ) : Nat.gcd m n = Nat.gcd n m",
    "theorem Nat.add_comm (n m : ℕ) : n + m = m + n",
    "theorem Real.sqrt_nonneg (x : ℝ) : 0 ≤ Real.sqrt x",
    "theorem Finset.card_union_le (s t : Finset α) : (s ∪ t).card ≤ s.card + t.card",
    "theorem Nat.Prime.two_le {p : ℕ} (hp : p.Prime) : 2 ≤ p",
    "theorem abs_nonneg (a : α) : 0 ≤ |a|",
]
# Made-up words the base model cannot place: only training can tie them to their theorem.
QUERIES = [
    ("zorblax quiffle", 2),
    ("plimbo wextra", 4),
    ("grottle vimsy", 0),
    ("snerk oobal", 5),
]


@pytest.fixture(scope="module")
def tuned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, np.ndarray]:
    """A query encoder tuned from the packaged MiniLM against MiniLM's own theorem vectors."""
    base = default_model_path()
    vectors = Embedder(base).encode_documents(THEOREMS)
    pairs = [QueryPair(q, row, "docstring") for q, row in QUERIES]
    gold = [(q, {row}) for q, row in QUERIES]

    def evaluate(encode) -> dict[str, float]:  # type: ignore[no-untyped-def]
        scores = encode([q for q, _ in QUERIES]) @ vectors.T / 0.05
        logp = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
        loss = -float(np.mean([logp[i, row] for i, (_, row) in enumerate(QUERIES)]))
        return {"loss": loss, "R@1": dense_recall(encode, vectors, gold, k=1)}

    out = tmp_path_factory.mktemp("query") / "model"
    cfg = QueryTrainConfig(base_model=base, steps=12, batch_size=4, lr=2e-4, text_view="raw")
    weights = weights_fingerprint(base)
    record = train(pairs, vectors, out, cfg, {"weights": weights}, evaluate=evaluate)
    return out, record, vectors


def test_training_ties_queries_to_their_theorems_and_the_card_names_the_vectors(
    tuned: tuple[Path, dict, np.ndarray],
) -> None:
    out, record, vectors = tuned
    before, after = record["metrics"]["before"], record["metrics"]["after"]
    assert after["loss"] < before["loss"] - 0.5
    assert after["R@1"] > before["R@1"]
    assert trained_against(out) == weights_fingerprint(default_model_path())
    card = json.loads((out / "training.json").read_text())
    assert card["pairs_by_source"] == {"docstring": 4} and card["pairs_seen"] == 48
    assert (out / "README.md").read_text().startswith("# Lookup query encoder")
    # the saved encoder (fp16 on disk) gives the trained model's answers
    saved = Embedder(str(out), text_view="raw")
    found = saved.encode_queries(["zorblax quiffle"]) @ vectors.T
    assert int(np.argmax(found)) == 2


def test_trained_against_reads_nothing_from_a_directory_without_a_card(tmp_path: Path) -> None:
    assert trained_against(tmp_path) is None
    (tmp_path / "training.json").write_text("[1, 2]")
    assert trained_against(tmp_path) is None


def _rebuilt(retrieval_index: Path, dest: Path, query_model: Path, log: list[str]) -> Path:
    from knowledge_base.manifest import Manifest
    from retrieval.build import RetrievalSettings, build_retrieval

    shutil.copytree(retrieval_index, dest)
    settings = RetrievalSettings(
        cache_dir=dest.parent / "emb", encoder_backend="torch", theorem_query_model=str(query_model)
    )
    build_retrieval(dest, settings, log=log.append)
    Manifest.read(dest).seal(dest)
    return dest


def test_a_build_encodes_theorem_queries_with_a_query_encoder_tuned_on_its_vectors(
    retrieval_index: Path, tuned: tuple[Path, dict, np.ndarray], tmp_path: Path
) -> None:
    from retrieval.retriever import Retriever

    out, _, _ = tuned
    log: list[str] = []
    idx = _rebuilt(retrieval_index, tmp_path / "idx", out, log)
    meta = json.loads((idx / "retrieval" / "meta.json").read_text())
    assert meta["dense"]["theorems"]["query_encoder"]["model"] == str(out)
    assert "query_encoder" not in meta["dense"]["definitions"]
    r = Retriever.open(idx)
    assert json.loads(r._encoder_keys["theorems"])["model"] == str(out)
    assert json.loads(r._encoder_keys["definitions"])["model"] is None
    assert r.search("continuous maps", k=3, corpus="all")
    # the same query, encoded for the definitions by MiniLM and for theorems by the tuned model
    assert not np.allclose(
        r._query_vector("zorblax quiffle", r._encoder_keys["theorems"]),
        r._query_vector("zorblax quiffle", r._encoder_keys["definitions"]),
    )


def test_a_query_encoder_tuned_on_other_vectors_is_left_out(
    retrieval_index: Path, tuned: tuple[Path, dict, np.ndarray], tmp_path: Path
) -> None:
    out, _, _ = tuned
    other = tmp_path / "other"
    shutil.copytree(out, other)
    card = json.loads((other / "training.json").read_text())
    card["document_weights"] = "sha256:" + "0" * 32
    (other / "training.json").write_text(json.dumps(card))
    log: list[str] = []
    idx = _rebuilt(retrieval_index, tmp_path / "idx", other, log)
    meta = json.loads((idx / "retrieval" / "meta.json").read_text())
    assert "query_encoder" not in meta["dense"]["theorems"]
    assert any("was not tuned against this index's theorem vectors" in m for m in log)


def test_train_query_command_tunes_against_the_index_and_leaves_out_benchmark_gold(
    retrieval_index: Path, tmp_path: Path, capsys
) -> None:
    from autoformalizer.cli import main
    from knowledge_base import KnowledgeBase
    from retrieval.documents import load_docs

    theorems = [
        d.name
        for d in load_docs(KnowledgeBase.open(retrieval_index))
        if d.corpus == "theorems" and len(d.docstring) > 40 and d.kind in ("theorem", "lemma")
    ]
    assert theorems
    bench = tmp_path / "bench.jsonl"
    bench.write_text(json.dumps({"id": "a", "query": "anything", "gold": theorems[:1]}) + "\n")
    out = tmp_path / "q"
    argv = ["train-query", "--index", str(retrieval_index), "--out", str(out), "--steps", "2"]
    code = main([*argv, "--renderings", "30", "--exclude-bench", str(bench), "--json"])
    assert code == 0
    record = json.loads(capsys.readouterr().out)
    assert record["document_weights"] == weights_fingerprint(default_model_path())
    assert record["pairs_by_source"]["docstring"] == len(theorems) - 1  # the gold one left out
    assert record["pairs_by_source"].get("rendering", 0) > 0
    assert trained_against(out) == record["document_weights"]
    # a second run continues from the first model (same vectors)
    more = tmp_path / "q2"
    code = main([*argv[:4], str(more), "--steps", "1", "--renderings", "5", "--init", str(out)])
    assert code == 0
    card = json.loads((more / "training.json").read_text())
    assert card["base_model"] == "q" and trained_against(more) == record["document_weights"]
