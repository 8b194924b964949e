"""The ONNX export of the encoder: the same vectors as PyTorch, without importing torch."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from retrieval.embedder import Embedder
from retrieval.onnx_encoder import OnnxEncoder
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


def test_the_index_searches_with_onnx_and_without_torch(retrieval_index: Path) -> None:
    meta = json.loads((retrieval_index / "retrieval" / "meta.json").read_text())
    assert meta["embedder"]["onnx"]
    r = Retriever.open(retrieval_index)
    assert r._onnx_query is not None
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
