"""The ONNX export of the encoder: the same vectors as PyTorch, without importing torch."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.embedder import Embedder, EmbedderError
from retrieval.onnx_encoder import OnnxEncoder, quantized
from retrieval.retriever import Retriever

QUERIES = [
    "a finite group of prime order is cyclic",
    "∀ x : ℝ, x ^ 2 ≥ 0",
    "gcd a b = gcd b a",
    " ".join(["Let $f$ be continuous on $[a, b]$ and differentiable on $(a, b)$."] * 20),
]


def test_onnx_vectors_match_pytorch(tmp_path: Path) -> None:
    torch_encoder = Embedder(text_view="latex-symbols")
    directory = torch_encoder.export_onnx(tmp_path)
    onnx = OnnxEncoder(directory)
    view = [torch_encoder._view(q) for q in QUERIES]
    got = np.vstack([onnx.encode([q]) for q in view])  # one at a time, as a search does
    want = torch_encoder.encode_queries(QUERIES)
    assert np.abs(got - want).max() < 1e-4  # the long one is truncated alike (128 tokens)
    batched = onnx.encode(view)  # padded batches give the same vectors
    assert np.abs(batched - want).max() < 1e-4
    # exported once per weights: a second call reuses the file
    stamp = (directory / "model.onnx").stat().st_mtime_ns
    assert torch_encoder.export_onnx(tmp_path) == directory
    assert (directory / "model.onnx").stat().st_mtime_ns == stamp


def test_int8_copy_is_close_to_fp32_and_made_once(tmp_path: Path) -> None:
    torch_encoder = Embedder(text_view="latex-symbols")
    directory = torch_encoder.export_onnx(tmp_path)
    int8 = quantized(directory)
    size = (directory / "model.onnx").stat().st_size
    # int8 MatMul weights (the word-embedding table stays fp32): about two thirds of the file
    assert int8 != directory and (int8 / "model.onnx").stat().st_size < 0.7 * size
    view = [torch_encoder._view(q) for q in QUERIES]
    fp32 = OnnxEncoder(directory).encode(view)
    got = OnnxEncoder(int8).encode(view)
    cos = np.sum(fp32 * got, axis=1)
    assert cos.min() > 0.97 and not np.allclose(fp32, got, atol=1e-4)  # close, not the same
    stamp = (int8 / "model.onnx").stat().st_mtime_ns
    assert quantized(directory) == int8 and (int8 / "model.onnx").stat().st_mtime_ns == stamp


def test_backends_share_a_cache_only_when_their_vectors_agree(tmp_path: Path) -> None:
    torch_e = Embedder(cache_dir=tmp_path / "c")
    onnx_e = Embedder(cache_dir=tmp_path / "c", backend="onnx", onnx_dir=tmp_path / "x")
    int8_e = Embedder(cache_dir=tmp_path / "c", backend="onnx-int8", onnx_dir=tmp_path / "x")
    assert torch_e.identity == onnx_e.identity != int8_e.identity
    texts = ["the sum of two even numbers is even", "Nat.add_comm (a b : ℕ) : a + b = b + a"]
    want = torch_e.encode_documents(texts)
    assert np.abs(onnx_e.encode_documents(texts) - want).max() < 1e-4
    assert np.sum(int8_e.encode_documents(texts) * want, axis=1).min() > 0.97
    assert np.sum(int8_e.encode_queries(texts[:1]) * want[:1], axis=1).min() > 0.97


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(EmbedderError, match="unknown encoder backend 'fp8'"):
        Embedder(backend="fp8")
    with pytest.raises(EmbedderError, match="needs a folder"):
        Embedder(backend="onnx-int8")


def test_the_index_searches_with_onnx_and_without_torch(retrieval_index: Path) -> None:
    meta = json.loads((retrieval_index / "retrieval" / "meta.json").read_text())
    assert meta["embedder"]["onnx"] and meta["embedder"]["backend"] == "onnx"
    for corpus in ("definitions", "theorems"):  # every declaration has a vector
        assert meta["dense"][corpus]["n"] == meta["corpora"][corpus]
    r = Retriever.open(retrieval_index)
    assert json.loads(r._encoder_keys["definitions"])["onnx"] == meta["embedder"]["onnx"]
    onnx_hits = [h.name for h in r.search("continuous maps between topological spaces", k=5)]
    torch_hits = [
        h.name
        for h in Retriever.open(retrieval_index, model="all-MiniLM-L6-v2").search(
            "continuous maps between topological spaces", k=5
        )
    ]
    assert onnx_hits == torch_hits
    code = (
        "import sys; from retrieval.retriever import Retriever; "
        f"r = Retriever.open({str(retrieval_index)!r}); "
        "r.search('continuous maps', k=3, corpus='definitions'); "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"  # a search never imports torch


def test_a_bf16_embedder_exports_its_graphs_from_the_fp32_weights(tmp_path: Path) -> None:
    """The graphs a bf16 embedder exports for queries are made from the weights read again,
    not from the rounded copy its documents were encoded with."""
    from retrieval.embedder import native_bf16

    if not native_bf16():
        pytest.skip("this CPU has no bf16 matrix units (AMX / AVX512-BF16)")
    bf16 = Embedder(backend="torch-bf16", device="cpu", onnx_dir=tmp_path / "x")
    assert bf16.backend_dir() is None  # documents run on PyTorch
    directory = bf16.export_onnx(tmp_path / "x")
    fp32 = Embedder().encode_documents(QUERIES)
    got = OnnxEncoder(directory).encode(QUERIES)
    assert np.abs(got - fp32).max() < 1e-4
    assert directory == Embedder().export_onnx(tmp_path / "x")  # one graph per weights
    # a search encodes the queries of bf16 documents on the int8 graph (fastest on a CPU)
    assert bf16.query_graph(tmp_path / "x") == quantized(directory)
    assert Embedder(onnx_dir=tmp_path / "x").query_graph(tmp_path / "x") == directory
