"""Static document encoders: token pairs, the tables' arithmetic, distillation from stored
vectors, the shipped tables, and their use by a build (`--encoder-backend static`)."""

import itertools
import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tokenizers import Tokenizer

from retrieval.embedder import Embedder, EmbedderError, default_model_path, weights_fingerprint
from retrieval.joint_embedding import JOINT_MODEL_DIR
from retrieval.static_distill import StaticConfig, distill, save_static
from retrieval.static_encoder import (
    STATIC_MODELS_DIR,
    StaticEncoder,
    StaticModelError,
    find_static,
    pair_buckets,
    read_card,
    token_ids,
)

TOKENIZER = Path(default_model_path()) / "tokenizer.json"
WORDS = "group ring field prime order cyclic finite continuous compact sum product limit".split()


def _tokenizer(max_len: int = 128) -> Tokenizer:
    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_padding()
    tok.enable_truncation(max_len)
    return tok


def test_token_ids_drop_special_tokens_and_truncate_as_the_teacher() -> None:
    ids, offsets = token_ids(_tokenizer(6), ["group ring", "", "a b c d e f g h"])
    assert list(np.diff(offsets)) == [2, 0, 4]  # 6 tokens with [CLS] and [SEP]
    assert _tokenizer().decode(ids[:2].tolist()) == "group ring"


@given(st.lists(st.lists(st.integers(0, 30_000), max_size=6), min_size=1, max_size=8))
def test_pairs_are_adjacent_tokens_of_one_text(texts: list[list[int]]) -> None:
    ids = np.array([i for t in texts for i in t], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum([len(t) for t in texts])]).astype(np.int64)
    buckets, pair_offsets = pair_buckets(ids, offsets, 1000)
    expected = [(a * 1_000_003 + b) % 1000 for t in texts for a, b in itertools.pairwise(t)]
    assert buckets.tolist() == expected
    assert np.diff(pair_offsets).tolist() == [max(len(t) - 1, 0) for t in texts]


def _write(folder: Path, tables: dict[str, np.ndarray], weights: str = "sha256:x") -> Path:
    save_static(folder, tables, TOKENIZER, {"teacher_weights": weights, "max_seq_length": 128})
    return folder


def test_a_document_is_the_normalised_sum_of_its_tokens_and_pairs(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    tables = {
        "tokens": rng.normal(size=(30522, 8)).astype(np.float16),
        "pairs": rng.normal(size=(64, 3)).astype(np.float16),
        "pairs_projection": rng.normal(size=(3, 8)).astype(np.float16),
    }
    enc = StaticEncoder(_write(tmp_path / "s", tables))
    texts = ["prime order group", "", "ring"]
    got = enc.encode(texts)
    ids, offsets = token_ids(_tokenizer(), texts)
    t, p, proj = (tables[k].astype(np.float32) for k in ("tokens", "pairs", "pairs_projection"))
    first = ids[offsets[0] : offsets[1]]
    pairs = pair_buckets(first, np.array([0, len(first)]), 64)[0]
    want = t[first].sum(0) + p[pairs].sum(0) @ proj
    assert np.allclose(got[0], want / np.linalg.norm(want), atol=1e-3)
    assert not got[1].any()  # no tokens: a zero row, not NaN
    last = ids[offsets[2] : offsets[3]]
    assert len(last) == 1 and np.allclose(
        got[2], t[last[0]] / np.linalg.norm(t[last[0]]), atol=1e-3
    )
    # batching never changes a vector
    assert np.allclose(enc.encode(texts, batch_size=1), got, atol=1e-6)


def _bag_teacher(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Texts of known words, and teacher vectors that are sums of hidden word vectors."""
    rng = np.random.default_rng(seed)
    hidden = {w: rng.normal(size=16) for w in WORDS}
    pick = random.Random(seed)
    texts = [" ".join(pick.choices(WORDS, k=pick.randint(2, 6))) for _ in range(n)]
    teacher = np.stack([sum(hidden[w] for w in t.split()) for t in texts])
    return texts, teacher / np.linalg.norm(teacher, axis=1, keepdims=True)


def test_distillation_recovers_a_bag_of_words_teacher(tmp_path: Path) -> None:
    """Teacher vectors that are themselves sums of hidden token vectors: the fitted table
    reproduces them on texts it never trained on."""
    texts, teacher = _bag_teacher(3000, 1)
    cfg = StaticConfig(epochs=30, batch_size=256, lr=0.05, buckets=0, validation=300)
    tables, record = distill(texts, teacher, _tokenizer(), cfg, exclude={0, 1})
    assert record["trained_on"] + record["validation_texts"] + record["excluded"] == 3000
    assert record["validation_cosine"] > 0.98
    # tokens no training text holds are zero rows: an unseen token adds nothing
    unseen = _tokenizer().token_to_id("zebra")
    assert not tables["tokens"][unseen].any()
    enc = StaticEncoder(_write(tmp_path / "s", tables))
    assert np.mean(np.sum(enc.encode(texts[:2]) * teacher[:2], axis=1)) > 0.98  # excluded ones


def test_mined_queries_train_beside_the_cosine_but_never_on_held_rows() -> None:
    texts, teacher = _bag_teacher(1500, 2)
    rng = np.random.default_rng(3)
    rows = np.arange(0, 1500, 2)
    queries = (teacher[rows] + rng.normal(scale=0.05, size=(len(rows), 16)), rows)
    cfg = StaticConfig(
        epochs=20, batch_size=128, lr=0.05, buckets=0, validation=150, query_batch=32
    )
    record = distill(texts, teacher, _tokenizer(), cfg, {0, 2, 4}, queries=queries)[1]
    assert 0 < record["query_pairs"] < len(rows) - 3  # the excluded and validation rows left out
    assert record["validation_cosine"] > 0.95
    none = distill(texts, teacher, _tokenizer(), cfg, {0, 2, 4})[1]
    assert none["query_pairs"] == 0


def test_distillation_refuses_mismatched_inputs() -> None:
    from indexer.errors import UserError

    with pytest.raises(UserError, match="2 texts but 1 vectors"):
        distill(["a", "b"], np.zeros((1, 4)), _tokenizer(), StaticConfig())


def test_a_table_is_found_by_the_weights_it_imitates(tmp_path: Path) -> None:
    tables = {"tokens": np.zeros((30522, 4), dtype=np.float16)}
    mine = _write(tmp_path / "mine", tables, "sha256:mine")
    assert find_static("sha256:mine", [mine]) == mine
    assert find_static("sha256:other", [mine]) is None
    assert find_static(None, [mine]) is None
    (tmp_path / "empty").mkdir()
    with pytest.raises(StaticModelError, match="not a static encoder"):
        find_static("sha256:mine", [tmp_path / "empty"])
    with pytest.raises(StaticModelError, match="not a static encoder"):
        read_card(tmp_path / "missing")


def test_shipped_tables_imitate_the_shipped_models() -> None:
    """A retrained model without a re-distilled table would be served a stale space."""
    shipped = {read_card(p)["teacher_weights"]: p for p in STATIC_MODELS_DIR.iterdir()}
    assert weights_fingerprint(default_model_path()) in shipped
    assert weights_fingerprint(str(JOINT_MODEL_DIR)) in shipped
    for folder in shipped.values():
        card = read_card(folder)
        assert card["validation_cosine"] > 0.9 and card["excluded"] > 0
        assert (folder / "model.safetensors").stat().st_size < 50_000_000


def test_static_backend_embeds_documents_with_the_table(tmp_path: Path) -> None:
    emb = Embedder(None, backend="static", onnx_dir=tmp_path / "onnx", cache_dir=tmp_path / "c")
    texts = ["The sum of two even numbers is even.", "Every finite group of prime order"]
    want = StaticEncoder(find_static(weights_fingerprint(default_model_path()))).encode(texts)
    assert np.allclose(emb.encode_documents(texts), want, atol=1e-6)
    assert emb.backend_dir() is None and "|static" in emb.identity


def test_static_backend_without_a_table_says_how_to_make_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("retrieval.static_encoder.STATIC_MODELS_DIR", tmp_path / "none")
    emb = Embedder(None, backend="static", onnx_dir=tmp_path / "onnx")
    with pytest.raises(EmbedderError, match="train-static"):
        emb.encode_documents(["x"])


def test_train_static_command_and_a_static_build(
    retrieval_index: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    from autoformalizer.cli import main
    from knowledge_base import KnowledgeBase
    from retrieval.documents import load_docs
    from retrieval.retriever import Retriever

    monkeypatch.setenv("AUTOFORMALIZER_CACHE", str(tmp_path / "cache"))
    theorems = [
        d.name for d in load_docs(KnowledgeBase.open(retrieval_index)) if d.corpus == "theorems"
    ]
    bench = tmp_path / "bench.jsonl"
    bench.write_text(json.dumps({"id": "a", "query": "anything", "gold": theorems[:1]}) + "\n")
    out = tmp_path / "s"
    argv = ["train-static", "--index", str(retrieval_index), "--out", str(out), "--epochs", "2"]
    assert main([*argv, "--buckets", "512", "--exclude-bench", str(bench), "--json"]) == 0
    card = json.loads(capsys.readouterr().out)
    assert card["teacher_weights"] == weights_fingerprint(default_model_path())
    assert card["excluded"] == 1 and card["corpus"] == "theorems"
    assert read_card(out) == card

    idx = tmp_path / "idx"
    code = main(
        [
            "index",
            "--from-index",
            str(retrieval_index),
            "--out",
            str(idx),
            "--encoder-backend",
            "static",
            "--static-model",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    meta = json.loads((idx / "retrieval" / "meta.json").read_text())
    # definitions by MiniLM: the table just made; theorems by the joint model: the shipped one
    shipped = find_static(weights_fingerprint(str(JOINT_MODEL_DIR)))
    assert meta["dense"]["definitions"]["embedder"]["static"] == str(out)
    assert meta["dense"]["theorems"]["embedder"]["static"] == str(shipped)
    for corpus in ("definitions", "theorems"):  # queries through the teacher's int8 graph
        assert meta["dense"][corpus]["embedder"]["onnx"].endswith("-int8")
    docs = load_docs(KnowledgeBase.open(idx))
    info = meta["dense"]["definitions"]
    stored = np.load(idx / "retrieval" / "dense-definitions.npy")
    texts = [d.text(info["view"]) for d in docs[info["offset"] : info["offset"] + info["n"]]]
    assert np.allclose(stored, StaticEncoder(out).encode(texts), atol=1e-6)
    assert Retriever.open(idx).search("continuous maps", k=3, corpus="all")
