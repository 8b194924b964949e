from pathlib import Path

import numpy as np
import pytest

from retrieval.embedder import Embedder


def test_offline_default_model_cache_and_query_path(tmp_path: Path) -> None:
    e = Embedder(cache_dir=tmp_path)
    texts = ["a group is a monoid with inverses", "open sets of a topological space"]
    first = e.encode_documents(texts)
    assert first.shape == (2, 384) and np.allclose(np.linalg.norm(first, axis=1), 1, atol=1e-5)
    calls = []
    e._chunks = lambda t, p: calls.append(t) or iter(())  # type: ignore[method-assign]
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


def test_auto_backend_prefers_native_bf16_then_int8(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import retrieval.embedder as emb

    monkeypatch.setattr(emb, "native_bf16", lambda: True)
    assert emb.auto_backend("cpu", True) == "torch-bf16"
    assert emb.auto_backend("cuda", True) == "torch"  # a GPU runs PyTorch as it is
    monkeypatch.setattr(emb, "native_bf16", lambda: False)
    assert emb.auto_backend("cpu", True) == "onnx-int8"
    assert emb.auto_backend("cpu", False) == "torch"  # nowhere to export a graph to


def test_bf16_is_refused_where_the_cpu_only_emulates_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    import retrieval.embedder as emb

    monkeypatch.setattr(emb, "native_bf16", lambda: False)
    with pytest.raises(emb.EmbedderError, match="AMX or AVX512-BF16"):
        emb.Embedder(backend="torch-bf16", device="cpu")


def test_bf16_vectors_match_fp32_and_keep_their_own_cache(tmp_path: Path) -> None:
    import pytest

    from retrieval.embedder import native_bf16

    if not native_bf16():
        pytest.skip("this CPU has no bf16 matrix units (AMX / AVX512-BF16)")
    texts = [
        "a finite group of prime order is cyclic",
        "∀ x : ℝ, 0 ≤ x ^ 2",
        "the union of two open sets of a topological space is open, and so is any union",
    ]
    fp32 = Embedder(cache_dir=tmp_path).encode_documents(texts)
    e = Embedder(cache_dir=tmp_path, backend="torch-bf16", device="cpu")
    bf16 = e.encode_documents(texts)
    assert e.identity.endswith("|bf16") and e.batch_size == 32
    assert np.allclose(np.linalg.norm(bf16, axis=1), 1, atol=1e-5)  # unit norm after rounding
    assert float(np.min(np.sum(bf16 * fp32, axis=1))) > 0.999
    assert float(e.encode_queries([texts[1]])[0] @ bf16[1]) > 0.999  # single-query path
    # texts of any lengths come back in their own order (they are encoded sorted by length)
    shuffled = e.encode_documents([texts[2], texts[0]])
    assert float(shuffled[0] @ bf16[2]) > 0.9999 and float(shuffled[1] @ bf16[0]) > 0.9999


def test_an_interrupted_encoding_keeps_its_finished_chunks(tmp_path: Path) -> None:
    """A build killed midway through embedding resumes from the chunks it stored."""
    texts = [f"lemma number {i} about groups" for i in range(7)]
    e = Embedder(cache_dir=tmp_path)
    e.chunk_size = 3
    real = e.model.encode
    seen: list[int] = []

    def dies_on_the_third_chunk(batch, **kw):  # type: ignore[no-untyped-def]
        seen.append(len(batch))
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(batch, **kw)

    e.model.encode = dies_on_the_third_chunk
    with pytest.raises(KeyboardInterrupt):
        e.encode_documents(texts)
    assert seen == [3, 3, 1]
    again = Embedder(cache_dir=tmp_path)
    again.chunk_size = 3
    asked: list[str] = []
    again_real = again.model.encode
    again.model.encode = lambda batch, **kw: asked.extend(batch) or again_real(batch, **kw)
    vecs = again.encode_documents(texts)
    assert len(asked) == 1  # only the chunk that never finished
    assert np.allclose(vecs, Embedder().encode_documents(texts), atol=1e-5)
