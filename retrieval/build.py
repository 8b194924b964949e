"""Build the retrieval channels of an index directory (after its knowledge base)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge_base import KnowledgeBase
from knowledge_base.concepts import curated_concepts
from retrieval.augment import DomainModel, Lexicon
from retrieval.bm25_channel import BM25Channel
from retrieval.dense_channel import DenseChannel
from retrieval.documents import CORPORA, DOCS_FILE, View, load_docs, save_table
from retrieval.embedder import Embedder
from retrieval.math_text import tokenize
from retrieval.retriever import RETRIEVAL_DIR

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
    dense_corpora: tuple[str, ...] = ("definitions",)
    dense_view: View = "informal"
    bm25_view: View = "informal"
    dense_index: str = "auto"  # exact up to 20k vectors, HNSW above; or "flat" / "hnsw"
    embed: bool = True
    cache_dir: Path | None = None
    onnx_dir: Path | None = None  # where the ONNX query encoder is exported (None: not)
    curated_from: list[Path] = field(default_factory=list)  # Mathlib checkouts with docs/*.yaml


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
    save_table(docs, out / DOCS_FILE)
    counts = {c: sum(1 for d in docs if d.corpus == c) for c in CORPORA}
    log(
        f"retrieval: {len(docs)} documents ({counts['definitions']} definitions, "
        f"{counts['theorems']} theorems)"
    )

    t = time.time()
    BM25Channel.build([tokenize(d.text(settings.bm25_view)) for d in docs]).save(out / "bm25")
    bm25_s = time.time() - t
    log(f"retrieval: BM25 over {len(docs)} documents ({bm25_s:.1f}s)")

    curated = [
        (c.title, n)
        for root in settings.curated_from
        for c in curated_concepts(root)
        for n in c.members
    ]
    Lexicon.build(docs, curated).save(out / "lexicon.json")
    DomainModel.build(docs).save(out)

    dense_meta: dict[str, object] = {}
    embed_s = 0.0
    text_view = None
    if settings.embed and settings.dense_corpora:
        embedder = Embedder(
            settings.model,
            device=settings.device,
            query_prefix=settings.query_prefix,
            document_prefix=settings.document_prefix,
            max_seq_length=settings.max_seq_length,
            cache_dir=settings.cache_dir,
        )
        text_view = embedder.text_view
        for corpus in settings.dense_corpora:
            rows = [i for i, d in enumerate(docs) if d.corpus == corpus]
            if not rows:
                continue
            if rows != list(range(rows[0], rows[0] + len(rows))):
                raise AssertionError("documents of a corpus must be contiguous")
            t = time.time()
            vecs = embedder.encode_documents(
                [docs[i].text(settings.dense_view) for i in rows], progress=progress
            )
            took = time.time() - t
            embed_s += took
            DenseChannel.build(vecs, settings.dense_index).save(out, f"dense-{corpus}")
            dense_meta[corpus] = {
                "offset": rows[0],
                "n": len(rows),
                "seconds": round(took, 1),
                "docs_per_s": round(len(rows) / took, 1) if took else None,
            }
            log(f"retrieval: embedded {len(rows)} {corpus} on {embedder.device} ({took:.1f}s)")
    onnx = None
    if settings.embed and settings.dense_corpora and settings.onnx_dir is not None:
        from retrieval.onnx_encoder import OnnxExportError

        try:
            onnx = str(embedder.export_onnx(settings.onnx_dir))
        except OnnxExportError as exc:
            log(f"retrieval: {exc}; queries will be encoded with PyTorch")
    meta = {
        "documents": len(docs),
        "corpora": counts,
        "dense": dense_meta,
        "embedder": {
            "model": settings.model,
            "query_prefix": settings.query_prefix,
            "document_prefix": settings.document_prefix,
            "max_seq_length": settings.max_seq_length,
            # the vectors' view of the texts (the model card's): queries must be read alike
            "text_view": text_view,
            # the same model as ONNX, for queries without torch (see retrieval.onnx_encoder)
            "onnx": onnx,
        },
        "views": {"dense": settings.dense_view, "bm25": settings.bm25_view},
        "seconds": {
            "bm25": round(bm25_s, 1),
            "embedding": round(embed_s, 1),
            "total": round(time.time() - t0, 1),
        },
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=2))
    return meta
