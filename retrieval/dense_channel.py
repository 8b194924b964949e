"""Dense retrieval: FAISS inner-product search over normalised document embeddings.

Exact search (`faiss.knn`, as `IndexFlatIP`) for corpora up to `AUTO_HNSW_ABOVE` vectors,
HNSW above that (`kind="auto"`); either can be forced. On Mathlib's 51k definitions on 2 CPU
cores, exact search takes about 11 ms a query and HNSW 0.5 ms, finding 98% of the exact top 100.
Vectors are stored as a `.npy` file in the index directory and memory-mapped when opened.
"""

from __future__ import annotations

import json
from pathlib import Path

import faiss
import numpy as np

AUTO_HNSW_ABOVE = 20_000


class DenseChannel:
    def __init__(self, vectors: np.ndarray, index: faiss.Index) -> None:
        self.vectors = vectors
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, kind: str = "auto", hnsw_m: int = 32) -> DenseChannel:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        dim = vectors.shape[1]
        if kind == "auto":
            kind = "hnsw" if len(vectors) > AUTO_HNSW_ABOVE else "flat"
        if kind == "hnsw":
            index = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = 128
        elif kind == "flat":
            index = faiss.IndexFlatIP(dim)
        else:
            raise ValueError(f"unknown dense index kind {kind!r} (auto, flat or hnsw)")
        if len(vectors):
            index.add(vectors)
        return cls(vectors, index)

    def save(self, directory: Path, name: str) -> None:
        np.save(directory / f"{name}.npy", self.vectors)
        kind = "hnsw" if isinstance(self.index, faiss.IndexHNSWFlat) else "flat"
        if kind == "hnsw":
            faiss.write_index(self.index, str(directory / f"{name}.faiss"))
        (directory / f"{name}.json").write_text(json.dumps({"kind": kind, "n": len(self.vectors)}))

    @classmethod
    def load(cls, directory: Path, name: str) -> DenseChannel:
        meta = json.loads((directory / f"{name}.json").read_text())
        vectors = np.load(directory / f"{name}.npy", mmap_mode="r")
        if meta["kind"] == "hnsw":
            index = faiss.read_index(str(directory / f"{name}.faiss"), faiss.IO_FLAG_MMAP)
            return cls(vectors, index)
        return cls(vectors, _MmapFlatIP(vectors))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, row indices), each of shape (n_queries, k); -1 pads short results."""
        k = min(k, len(self.vectors))
        if k == 0:
            n = len(queries)
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        return self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


class _MmapFlatIP:
    """Exact inner-product search (`faiss.knn`) straight over the memory-mapped vectors: the same
    answers as `faiss.IndexFlatIP`, without first copying the vectors into memory."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return faiss.knn(queries, self.vectors, k, metric=faiss.METRIC_INNER_PRODUCT)
