"""bm25s against rank-bm25 (the test oracle) on the same corpus and queries: median time per
query and the ratio, measured side by side in one run.

    python benchmarks/bm25_speed.py --index DIR \
        --bench ../shared/data/benchmarks/proofnet_deps_dev.jsonl
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rank_bm25 import BM25Okapi

from eval.retrieval_bench import read_bench
from knowledge_base import KnowledgeBase
from retrieval.bm25_channel import BM25Channel
from retrieval.documents import load_docs
from retrieval.math_text import tokenize


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--corpus", default="definitions")
    args = ap.parse_args()
    with KnowledgeBase.open(args.index) as kb:
        docs = [d for d in load_docs(kb) if d.corpus == args.corpus]
    tokens = [tokenize(d.text("combined")) or ["∅"] for d in docs]
    queries = [tokenize(i.query) for i in read_bench(Path(args.bench))]
    t = time.perf_counter()
    ours = BM25Channel.build(tokens, k1=1.5, b=0.75, method="robertson")
    build_ours = time.perf_counter() - t
    t = time.perf_counter()
    oracle = BM25Okapi(tokens, k1=1.5, b=0.75)
    build_oracle = time.perf_counter() - t
    a, b = [], []
    for q in queries:
        t = time.perf_counter()
        ours.search(q, 20)
        a.append(time.perf_counter() - t)
        t = time.perf_counter()
        scores = oracle.get_scores(q)
        scores.argsort()[-20:]
        b.append(time.perf_counter() - t)
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    print(f"corpus {len(docs)} documents, {len(queries)} queries")
    print(f"index build: bm25s {build_ours:.2f}s, rank-bm25 {build_oracle:.2f}s")
    print(f"median per query: bm25s {ma:.2f} ms, rank-bm25 {mb:.2f} ms, ratio {mb / ma:.1f}x")


if __name__ == "__main__":
    main()
