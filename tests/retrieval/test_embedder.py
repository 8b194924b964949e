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
