"""Embedding throughput (documents/s) per corpus on this machine, without the cache.

    python benchmarks/embed_throughput.py --index DIR [--sample 3000] [--device cpu]

Encodes a seeded sample of each corpus's documents (the dense view) and extrapolates the time
for the whole corpus.
"""

from __future__ import annotations

import argparse
import random
import time

from knowledge_base import KnowledgeBase
from retrieval.documents import load_docs
from retrieval.embedder import Embedder


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--sample", type=int, default=3000)
    ap.add_argument("--device", default=None)
    ap.add_argument("--view", default="informal")
    args = ap.parse_args()
    with KnowledgeBase.open(args.index) as kb:
        docs = load_docs(kb)
    e = Embedder(device=args.device)
    for corpus in ("definitions", "theorems"):
        texts = [d.text(args.view) for d in docs if d.corpus == corpus]
        sample = random.Random(0).sample(texts, min(args.sample, len(texts)))
        t = time.perf_counter()
        e.encode_documents(sample)
        rate = len(sample) / (time.perf_counter() - t)
        print(
            f"{corpus}: {rate:.1f} docs/s on {e.device}; {len(texts)} documents -> "
            f"about {len(texts) / rate / 60:.1f} min"
        )


if __name__ == "__main__":
    main()
