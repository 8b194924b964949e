"""Build the retrieval channels of an index directory (after its knowledge base)."""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge_base import KnowledgeBase
from knowledge_base.concepts import curated_titles
from retrieval.augment import DomainModel, Lexicon
from retrieval.bm25_channel import BM25Channel
from retrieval.dense_channel import DenseChannel
from retrieval.documents import (
    CORPORA,
    DOCS_FILE,
    View,
    add_renderings,
    load_docs,
    save_table,
)
from retrieval.embedder import Embedder
from retrieval.math_text import tokenize
from retrieval.retriever import RETRIEVAL_DIR
from retrieval.token_sets import TOKEN_SETS_FILE, TokenSets

Log = Callable[[str], None]
Progress = Callable[[int, int], None]


@dataclass
class RetrievalSettings:
    model: str | None = None  # embedding model: None = packaged all-MiniLM-L6-v2
    device: str | None = None
    query_prefix: str = ""
    document_prefix: str = ""
    max_seq_length: int = 128
    # Corpora that get dense vectors; ("definitions", "theorems") embeds everything.
    dense_corpora: tuple[str, ...] = ("definitions", "theorems")
    dense_view: View = "informal"
    # Theorems are looked up by their statement: by default the joint NL/Lean model reads
    # name + signature (FormL4 lookup; `docs/results.md`). None: `model` and `dense_view`.
    theorem_model: str | None = None
    theorem_view: View = "formal"
    # A query encoder tuned for lookup against the theorem vectors (`retrieval.query_tuning`):
    # used for theorem queries when its card says it was trained against vectors of the
    # theorem model's weights, else left out with a log line. None: queries use the theorem model.
    theorem_query_model: str | None = None
    # "auto": PyTorch on a GPU; on a CPU bf16 PyTorch where the hardware has it, else the int8
    # ONNX graph (`retrieval.embedder.auto_backend`)
    encoder_backend: str = "auto"
    # static encoders (`autoformalizer train-static`) searched before the shipped ones
    static_models: tuple[Path, ...] = ()
    bm25_view: View = "informal"
    # Theorems are found by their statement too (formula and Lean queries): name words,
    # docstring and signature (`docs/results.md`, lookup by query style). "english" adds the
    # statement rendered in English: BM25 alone finds more, the full system is mixed and the
    # shared word statistics cost definitions a little (measured there), so it is an option.
    bm25_theorem_view: View = "combined"
    dense_index: str = "auto"  # exact up to 20k vectors, HNSW above; or "flat" / "hnsw"
    embed: bool = True
    cache_dir: Path | None = None
    onnx_dir: Path | None = None  # where the ONNX query encoder is exported (None: not)


def build_retrieval(
    index_dir: Path,
    settings: RetrievalSettings,
    log: Log | None = None,
    progress: Progress | None = None,
) -> dict[str, object]:
    """Write `index_dir/retrieval/`: BM25 over every document, dense vectors for the chosen
    corpora, the concept lexicon and the domain model."""
    log = log or (lambda _m: None)
    t0 = time.time()
    out = index_dir / RETRIEVAL_DIR
    out.mkdir(exist_ok=True)
    with KnowledgeBase.open(index_dir) as kb:
        docs = load_docs(kb)
        curated = curated_titles(kb.con)
        if "english" in _views(settings):
            t = time.time()
            add_renderings(kb, docs)
            log(f"retrieval: statements rendered in English ({time.time() - t:.1f}s)")
    save_table(docs, out / DOCS_FILE)
    counts = {c: sum(1 for d in docs if d.corpus == c) for c in CORPORA}
    log(
        f"retrieval: {len(docs)} documents ({counts['definitions']} definitions, "
        f"{counts['theorems']} theorems)"
    )

    def side_tables() -> None:
        TokenSets.build(docs).save(out / TOKEN_SETS_FILE)
        Lexicon.build(docs, curated).save(out / "lexicon.json")
        DomainModel.build(docs).save(out)

    t = time.time()
    wait = beside(side_tables, "the token sets, lexicon and domain model")
    BM25Channel.build([tokenize(d.text(_bm25_view(settings, d.corpus))) for d in docs]).save(
        out / "bm25"
    )
    bm25_s = time.time() - t
    log(f"retrieval: BM25 over {len(docs)} documents ({bm25_s:.1f}s)")
    wait()
    tokens_s = time.time() - t
    log(f"retrieval: token sets, lexicon and domain model, beside BM25 ({tokens_s:.1f}s)")

    dense_meta: dict[str, object] = {}
    embed_s = 0.0
    encoders: dict[tuple[str | None, str], dict[str, object]] = {}
    loaded: dict[str | None, Embedder] = {}
    if settings.embed:
        for corpus in settings.dense_corpora:
            rows = [i for i, d in enumerate(docs) if d.corpus == corpus]
            if not rows:
                continue
            if rows != list(range(rows[0], rows[0] + len(rows))):
                raise AssertionError("documents of a corpus must be contiguous")
            model, view = _corpus_encoder(settings, corpus)
            embedder = _embedder(settings, model, loaded)
            t = time.time()
            vecs = embedder.encode_documents([docs[i].text(view) for i in rows], progress=progress)
            took = time.time() - t
            embed_s += took
            DenseChannel.build(vecs, settings.dense_index).save(out, f"dense-{corpus}")
            key = (model, view)
            if key not in encoders:
                encoders[key] = _encoder_record(settings, embedder, model, log)
                if embedder.backend == "static":  # the table the documents were made with
                    encoders[key]["static"] = str(embedder.static_dir)
            dense_meta[corpus] = {
                "offset": rows[0],
                "n": len(rows),
                "seconds": round(took, 1),
                "docs_per_s": round(len(rows) / took, 1) if took else None,
                "view": view,
                "embedder": encoders[key],
            }
            log(
                f"retrieval: embedded {len(rows)} {corpus} ({view} view, "
                f"{embedder.backend} on {embedder.device}, {took:.1f}s)"
            )
            if corpus == "theorems" and settings.theorem_query_model:
                query = _query_encoder_record(settings, model, loaded, log)
                if query is not None:
                    dense_meta[corpus]["query_encoder"] = query
    first = next(iter(dense_meta.values()), None)
    top_encoder = first["embedder"] if isinstance(first, dict) else {}
    meta = {
        "documents": len(docs),
        "corpora": counts,
        "dense": dense_meta,
        # the first dense corpus's encoder (indexes before per-corpus encoders had only one)
        "embedder": top_encoder,
        "views": {
            "dense": settings.dense_view,
            "bm25": settings.bm25_view,
            "bm25_theorems": settings.bm25_theorem_view,
        },
        "seconds": {
            "bm25": round(bm25_s, 1),
            "token_sets": round(tokens_s, 1),
            "embedding": round(embed_s, 1),
            "total": round(time.time() - t0, 1),
        },
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta


def beside(job: Callable[[], None], what: str) -> Callable[[], None]:
    """Start `job` in a forked process and return the wait for it. The child shares this
    process's memory copy-on-write (nothing is pickled), so two single-threaded Python jobs
    (BM25 and the token sets) take a core each. Where fork is unsafe or missing (not Linux)
    the job runs here, now."""
    if sys.platform != "linux":
        job()
        return lambda: None
    child = multiprocessing.get_context("fork").Process(target=job, daemon=True)
    child.start()

    def wait() -> None:
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"building {what} failed (exit status {child.exitcode})")

    return wait


def _views(settings: RetrievalSettings) -> set[str]:
    return {settings.bm25_view, settings.bm25_theorem_view, settings.dense_view}.union(
        {settings.theorem_view} if settings.theorem_model is not None else set()
    )


def _bm25_view(settings: RetrievalSettings, corpus: str) -> View:
    return settings.bm25_theorem_view if corpus == "theorems" else settings.bm25_view


def _corpus_encoder(settings: RetrievalSettings, corpus: str) -> tuple[str | None, View]:
    """(model, document view) of a corpus's dense vectors."""
    if corpus == "theorems" and settings.theorem_model is not None:
        return settings.theorem_model, settings.theorem_view
    return settings.model, settings.dense_view


def _embedder(
    settings: RetrievalSettings, model: str | None, loaded: dict[str | None, Embedder]
) -> Embedder:
    if model not in loaded:
        loaded.clear()  # one model in memory at a time
        loaded[model] = Embedder(
            model,
            device=settings.device,
            query_prefix=settings.query_prefix,
            document_prefix=settings.document_prefix,
            max_seq_length=settings.max_seq_length,
            cache_dir=settings.cache_dir,
            backend=settings.encoder_backend,
            onnx_dir=settings.onnx_dir,
            static_dirs=settings.static_models,
        )
    return loaded[model]


def _query_encoder_record(
    settings: RetrievalSettings,
    document_model: str | None,
    loaded: dict[str | None, Embedder],
    log: Log,
) -> dict[str, object] | None:
    """How theorem queries are encoded when the lookup query encoder fits the stored vectors:
    it was tuned against vectors of exactly these weights, or it would search another space."""
    from retrieval.embedder import resolve_model, weights_fingerprint
    from retrieval.query_tuning import trained_against

    path = str(settings.theorem_query_model)
    wanted = trained_against(Path(path))
    if wanted is None or wanted != weights_fingerprint(resolve_model(document_model)):
        log(
            f"retrieval: the query encoder {path} was not tuned against this index's theorem "
            "vectors; theorem queries use the theorem model"
        )
        return None
    embedder = _embedder(settings, path, loaded)
    log(f"retrieval: theorem queries are encoded by the lookup query encoder {path}")
    return _encoder_record(settings, embedder, path, log)


def _encoder_record(
    settings: RetrievalSettings, embedder: Embedder, model: str | None, log: Log
) -> dict[str, object]:
    """What a search needs to encode queries the way these vectors were made."""
    from retrieval.onnx_encoder import OnnxExportError

    onnx = None
    if settings.onnx_dir is not None:
        try:
            onnx = str(embedder.query_graph(settings.onnx_dir))
        except OnnxExportError as exc:
            log(f"retrieval: {exc}; queries will be encoded with PyTorch")
    return {
        "model": model,
        "query_prefix": settings.query_prefix,
        "document_prefix": settings.document_prefix,
        "max_seq_length": settings.max_seq_length,
        # the vectors' view of the texts (the model card's): queries must be read alike
        "text_view": embedder.text_view,
        "backend": embedder.backend,
        # the graph queries run on without torch (see retrieval.onnx_encoder)
        "onnx": onnx,
    }
