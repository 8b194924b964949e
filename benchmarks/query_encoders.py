"""Query encoders for theorem lookup, side by side in one run: the dense channel alone over every
theorem vector the index stores, queries encoded by the theorem model itself (as indexes without
a query encoder search) and by the lookup query encoder (`retrieval.query_tuning`), each through
its int8 ONNX graph (what a search runs) and in fp32 PyTorch. Prints Recall@1/10 and the median
milliseconds per query.

    python benchmarks/query_encoders.py --index DIR --bench FILE.jsonl [--split dev|held-out|all]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from eval.retrieval_bench import read_bench, resolve_gold, select_split
from knowledge_base import KnowledgeBase
from retrieval.documents import load_docs
from retrieval.embedder import Embedder, view_function
from retrieval.onnx_encoder import query_encoder
from retrieval.query_tuning import dense_recall

Encode = Callable[[list[str]], np.ndarray]


def timed(encode_one: Callable[[str], np.ndarray]) -> tuple[Encode, list[float]]:
    """A batch encoder made of single-query calls (as searches make them), timing each."""
    times: list[float] = []

    def encode(texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            start = time.perf_counter()
            out.append(encode_one(t))
            times.append(time.perf_counter() - start)
        return np.stack(out)

    return encode, times


def encoders(settings: dict) -> dict[str, Callable[[str], np.ndarray]]:  # type: ignore[type-arg]
    """int8 ONNX (the graph the build exported) and fp32 PyTorch of one encoder record."""
    view = view_function(str(settings.get("text_view", "raw")))
    out = {}
    if settings.get("onnx"):
        out["int8 ONNX"] = query_encoder(Path(settings["onnx"]), view)
    torch = Embedder(settings.get("model"), text_view=str(settings.get("text_view", "raw")))
    out["fp32 torch"] = lambda text: torch.encode_queries([text])[0]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--split", default="all", choices=["dev", "held-out", "all"])
    args = ap.parse_args()
    index = Path(args.index)
    meta = json.loads((index / "retrieval" / "meta.json").read_text())
    info = meta["dense"]["theorems"]
    kb = KnowledgeBase.open(index)
    start, n = int(info["offset"]), int(info["n"])
    row_of = {d.name: i for i, d in enumerate(load_docs(kb)[start : start + n])}
    items = select_split(read_bench(Path(args.bench)), args.split)
    resolve_gold(kb, items)
    queries = [(it.query, {row_of[g] for g in it.gold if g in row_of}) for it in items]
    queries = [(q, gold) for q, gold in queries if gold]
    vectors = np.load(index / "retrieval" / "dense-theorems.npy", mmap_mode="r")
    rows = [("theorem model", info["embedder"])]
    if info.get("query_encoder"):
        rows.append(("lookup query encoder", info["query_encoder"]))
    print(f"{Path(args.bench).name} ({args.split}): {len(queries)} queries, {n} theorem vectors")
    print("| queries encoded by | path | R@1 | R@10 | ms/query (median) |")
    print("|---|---|---|---|---|")
    for label, settings in rows:
        for path, one in encoders(settings).items():
            one(queries[0][0])  # warm
            encode, times = timed(one)
            q = encode([text for text, _ in queries])
            r1, r10 = (dense_recall(lambda _t, q=q: q, vectors, queries, k=k) for k in (1, 10))
            ms = 1000 * float(np.median(times))
            print(f"| {label} | {path} | {r1:.3f} | {r10:.3f} | {ms:.1f} |")


if __name__ == "__main__":
    main()
