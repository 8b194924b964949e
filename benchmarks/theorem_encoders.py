"""Theorem encoders compared on a proxy pool: lookup queries against their gold theorems plus
20,000 random theorems, dense R@10. Rows: the index's stored vectors, ONNX fp32 and int8 and
PyTorch bf16 (where the CPU has bf16 matrix units) re-encoded in the same run (texts/s), and a
static token table distilled from the same model
(model2vec-style: each vocabulary token encoded alone, a document the SIF-weighted mean of its
tokens' vectors), which would embed every declaration in seconds.

    python benchmarks/theorem_encoders.py --index DIR --queries FILE.jsonl [--pool 20000]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from knowledge_base import KnowledgeBase
from retrieval.documents import load_docs
from retrieval.embedder import Embedder, native_bf16, view_function
from retrieval.onnx_encoder import OnnxEncoder, quantized
from retrieval.query_tuning import dense_recall


def timed(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def recall_at_10(q: np.ndarray, d: np.ndarray, gold: list[set[int]]) -> float:
    """Mean Recall@10 of query vectors `q` against document vectors `d`."""
    return dense_recall(lambda _texts: q, d, [("", g) for g in gold], k=10)


def static_encoder(
    enc: OnnxEncoder, corpus: list[str], a: float
) -> Callable[[list[str]], np.ndarray]:
    """Token vectors from the encoder one token at a time; SIF weights a/(a+p) from `corpus`."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(enc.tokenizer.to_str())  # a copy: `enc` keeps its own settings
    vocab = tok.get_vocab()
    words = [w for w, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    table = enc.encode([w.removeprefix("##") for w in words])
    tok.no_padding()
    tok.no_truncation()
    freq = Counter(i for e in tok.encode_batch(corpus) for i in e.ids[1:-1])
    total = sum(freq.values())
    weight = np.array([a / (a + freq.get(i, 0) / total) for i in range(len(words))], np.float32)

    def encode(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
        for j, e in enumerate(tok.encode_batch(texts)):
            ids = e.ids[1:-1]
            if ids:
                out[j] = (table[ids] * weight[ids, None]).sum(0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

    return encode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True, type=Path)
    ap.add_argument("--queries", required=True, type=Path, help="JSONL {query, gold: [names]}")
    ap.add_argument("--pool", type=int, default=20000, help="random theorems beside the gold")
    args = ap.parse_args()
    meta = json.loads((args.index / "retrieval/meta.json").read_text())["dense"]["theorems"]
    with KnowledgeBase.open(args.index) as kb:
        docs = load_docs(kb)[meta["offset"] :]
    row = {d.name: i for i, d in enumerate(docs)}
    rows = [json.loads(line) for line in args.queries.read_text().splitlines() if line.strip()]
    rows = [r for r in rows if any(g in row for g in r["gold"])]
    gold_rows = {row[g] for r in rows for g in r["gold"] if g in row}
    sample = random.Random(0).sample(range(len(docs)), min(args.pool, len(docs)))
    pool = sorted(gold_rows | set(sample))
    pos = {p: i for i, p in enumerate(pool)}
    gold = [{pos[row[g]] for g in r["gold"] if g in row} for r in rows]
    view = view_function(meta["embedder"]["text_view"])  # as the stored vectors were made
    texts = [view(docs[p].text(meta["view"])) for p in pool]
    queries = [view(r["query"]) for r in rows]

    stored = np.asarray(np.load(args.index / "retrieval/dense-theorems.npy", mmap_mode="r")[pool])
    fp32_dir = Path(meta["embedder"]["onnx"].removesuffix("-int8"))  # int8 or bf16 index
    int8, fp32 = OnnxEncoder(quantized(fp32_dir)), OnnxEncoder(fp32_dir)
    q8, q32 = int8.encode(queries), fp32.encode(queries)
    backend = meta["embedder"]["backend"]
    print(f"{len(rows)} queries, pool {len(pool)} theorems of {args.index}")
    # queries as a search on this index encodes them: on the graph its build recorded
    q_stored = q8 if meta["embedder"]["onnx"].endswith("-int8") else q32
    print(f"stored vectors ({backend}): R@10 {recall_at_10(q_stored, stored, gold):.3f}")
    d32, t32 = timed(lambda: fp32.encode(texts))
    d8, t8 = timed(lambda: int8.encode(texts))
    print(f"onnx fp32: R@10 {recall_at_10(q32, d32, gold):.3f}, {len(texts) / t32:.0f} texts/s")
    print(
        f"onnx int8: R@10 {recall_at_10(q8, d8, gold):.3f}, {len(texts) / t8:.0f} texts/s, "
        f"mean cosine to fp32 {np.mean(np.sum(d8 * d32, axis=1)):.4f}"
    )
    if native_bf16():  # bf16 documents against the fp32 row's queries: the documents differ
        bf16 = Embedder(meta["embedder"]["model"], device="cpu", backend="torch-bf16")
        db, tb = timed(lambda: bf16._encode(texts, None))
        print(
            f"torch bf16: R@10 {recall_at_10(q32, db, gold):.3f}, {len(texts) / tb:.0f} "
            f"texts/s, mean cosine to fp32 {np.mean(np.sum(db * d32, axis=1)):.4f}"
        )
    for a in (1e-3, 1e-4):
        static = static_encoder(int8, texts, a)
        ds, ts = timed(lambda static=static: static(texts))
        print(
            f"static table (SIF a={a}): {len(texts) / ts:.0f} texts/s; R@10 with static "
            f"queries {recall_at_10(static(queries), ds, gold):.3f}, with encoder queries "
            f"{recall_at_10(q8, ds, gold):.3f}"
        )


if __name__ == "__main__":
    main()
