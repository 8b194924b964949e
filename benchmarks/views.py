"""Which document view suits which channel: R@5 of BM25-only and dense-only retrieval with
each view (formal, informal, combined), measured on one benchmark.

    python benchmarks/views.py --index DIR --bench FILE [--corpus definitions] [--dense]

`--dense` re-embeds the corpus once per view (slow on a CPU for Mathlib; quick for Con-NF).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eval.retrieval_bench import evaluate, read_bench, resolve_gold
from knowledge_base import KnowledgeBase
from retrieval.bm25_channel import BM25Channel
from retrieval.dense_channel import DenseChannel
from retrieval.documents import load_docs
from retrieval.embedder import Embedder
from retrieval.math_text import tokenize


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--corpus", default="definitions")
    ap.add_argument("--dense", action="store_true")
    args = ap.parse_args()
    items = read_bench(Path(args.bench))
    with KnowledgeBase.open(args.index) as kb:
        resolve_gold(kb, items)
        docs = [d for d in load_docs(kb) if args.corpus == "all" or d.corpus == args.corpus]
    names = [d.name for d in docs]
    embedder = Embedder() if args.dense else None
    for view in ("formal", "informal", "combined"):
        texts = [d.text(view) for d in docs]  # type: ignore[arg-type]
        bm25 = BM25Channel.build([tokenize(t) for t in texts])

        def bm25_search(item, depth, bm25=bm25):
            _, rows = bm25.search(tokenize(item.query), depth + len(item.exclude))
            return [names[r] for r in rows if names[r] not in item.exclude][:depth]

        r = evaluate(items, bm25_search, [5])["metrics"]["R@5"]
        line = f"{view:9} BM25 R@5 {r:.3f}"
        if embedder is not None:
            dense = DenseChannel.build(embedder.encode_documents(texts))

            def dense_search(item, depth, dense=dense):
                q = embedder.encode_queries([item.query])
                _, rows = dense.search(q, depth + len(item.exclude))
                return [names[r] for r in rows[0] if names[r] not in item.exclude][:depth]

            line += f"   dense R@5 {evaluate(items, dense_search, [5])['metrics']['R@5']:.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
