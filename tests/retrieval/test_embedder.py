from pathlib import Path

import numpy as np

from retrieval.embedder import Embedder


def test_offline_default_model_cache_and_query_path(tmp_path: Path) -> None:
    e = Embedder(cache_dir=tmp_path)
    texts = ["a group is a monoid with inverses", "open sets of a topological space"]
    first = e.encode_documents(texts)
    assert first.shape == (2, 384) and np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)
    calls = []
    e._encode = lambda t, p: calls.append(t) or np.zeros((len(t), 384), np.float32)  # type: ignore[method-assign]
    again = e.encode_documents(texts)
    assert calls == [] and np.allclose(again, first)  # served from the cache
    q = Embedder().encode_queries([texts[0]])
    assert float(q[0] @ first[0]) > 0.999  # the single-query path gives the same vector


def test_cache_identity_follows_the_weights_not_the_path(tmp_path: Path) -> None:
    """A copy of a model shares its cached vectors; a model retrained into the same directory
    does not read the old ones."""
    import shutil

    from retrieval.embedder import default_model_path, weights_fingerprint

    copy = tmp_path / "model"
    shutil.copytree(default_model_path(), copy)
    assert weights_fingerprint(str(copy)) == weights_fingerprint(default_model_path())
    assert Embedder(str(copy)).identity == Embedder().identity
    weights = copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 1  # one changed bit in the last tensor: a different model
    weights.write_bytes(bytes(data))
    assert weights_fingerprint(str(copy)) != weights_fingerprint(default_model_path())
    assert weights_fingerprint("sentence-transformers/all-MiniLM-L6-v2") is None  # a hub id
