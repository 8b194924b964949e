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


def test_text_view_comes_from_the_model_card_and_reaches_both_sides(tmp_path: Path) -> None:
    """A model trained on spelled symbols is scored on spelled symbols: its card says so, and
    the cache keys on the text the model actually read."""
    import json
    import shutil

    import pytest

    from retrieval.embedder import EmbedderError, default_model_path
    from retrieval.symbols import spell_symbols

    model = tmp_path / "model"
    shutil.copytree(default_model_path(), model)
    (model / "training.json").write_text(json.dumps({"text_view": "latex-symbols"}))
    spelled = Embedder(str(model), cache_dir=tmp_path / "cache")
    assert spelled.text_view == "latex-symbols" and Embedder().text_view == "raw"
    text = "theorem t : ∀ n : ℕ, n ≠ 0 → 0 < n"
    raw = Embedder()
    doc = spelled.encode_documents([text])[0]
    assert np.allclose(doc, raw.encode_documents([spell_symbols(text)])[0], atol=1e-5)
    assert not np.allclose(doc, raw.encode_documents([text])[0], atol=1e-3)
    assert np.allclose(spelled.encode_queries([text])[0], doc, atol=1e-5)
    # an explicit view overrides the card
    assert Embedder(str(model), text_view="raw").text_view == "raw"
    with pytest.raises(EmbedderError, match="unknown text view 'ascii'"):
        Embedder(text_view="ascii")
    # a card naming a view this version does not know is an error, not a silent raw reading
    (model / "training.json").write_text(json.dumps({"text_view": "ascii-words"}))
    with pytest.raises(EmbedderError, match=r"model '.*model'.*unknown text view 'ascii-words'"):
        Embedder(str(model))


def test_shipped_joint_model_declares_the_view_it_is_scored_with() -> None:
    """Losing `text_view` from the shipped card would silently score the model on raw Lean
    symbols, which it reads worse (README: cross-modal figures)."""
    import json

    from retrieval.joint_embedding import JOINT_MODEL_DIR

    card = json.loads((JOINT_MODEL_DIR / "training.json").read_text())
    assert card["text_view"] == "latex-symbols"
