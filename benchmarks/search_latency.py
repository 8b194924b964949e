"""Search latency with the model loaded, and the memory of the loaded index.

    python benchmarks/search_latency.py --index DIR --bench FILE [--corpus definitions]

Opens the retriever, warms it with one query, then times every benchmark query (full
configuration: all channels and the reranker). Memory is this process's resident set.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

from eval.retrieval_bench import read_bench
from retrieval.retriever import Retriever


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--bench", required=True)
    ap.add_argument("--corpus", default="definitions")
    args = ap.parse_args()
    queries = [i.query for i in read_bench(Path(args.bench))]
    before = rss_mb()
    t = time.perf_counter()
    r = Retriever.open(args.index)
    r.search(queries[0], corpus=args.corpus)
    opened = time.perf_counter() - t
    lat = []
    for q in queries[1:]:
        t = time.perf_counter()
        r.search(q, k=10, corpus=args.corpus)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    print(
        f"open + first query {opened:.1f}s; {len(lat)} queries: p50 "
        f"{statistics.median(lat):.1f} ms, p95 {lat[int(0.95 * len(lat))]:.1f} ms"
    )
    print(
        f"memory: {rss_mb():.0f} MB resident with the index and model loaded "
        f"({rss_mb() - before:.0f} MB more than before opening)"
    )


if __name__ == "__main__":
    main()
