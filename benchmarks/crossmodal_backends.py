"""NL -> Lean R@k of the joint model through each encoder backend, in one run, on a seeded
subsample of the crossmodal pool (the full ~71,500-text pool takes tens of minutes per backend
on 2 cores).

    python benchmarks/crossmodal_backends.py --index DIR --pairs FILE.jsonl [--distractors 5000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

from eval.crossmodal import dense_scores, distractor_texts, pool_of, read_pairs, recall
from indexer.mathlib_source import cache_dir
from knowledge_base import KnowledgeBase
from retrieval.embedder import BACKENDS, Embedder, native_bf16
from retrieval.joint_embedding import JOINT_MODEL_DIR


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--pairs", required=True, type=Path)
    ap.add_argument("--distractors", type=int, default=5000)
    args = ap.parse_args()
    rows = read_pairs(args.pairs)
    with KnowledgeBase.open(args.index) as kb:
        distractors = distractor_texts(kb)
    sample = random.Random(0).sample(distractors, min(args.distractors, len(distractors)))
    pool, targets = pool_of(rows, sample)
    print(f"{len(rows)} pairs, pool {len(pool)}")
    with tempfile.TemporaryDirectory() as fresh:  # no vector from an earlier run's cache
        for backend in BACKENDS:
            if backend == "torch-bf16" and not native_bf16():
                print(f"{backend}: skipped, this CPU has no bf16 matrix units")
                continue
            emb = Embedder(
                str(JOINT_MODEL_DIR),
                cache_dir=Path(fresh) / backend,
                backend=backend,
                onnx_dir=cache_dir() / "onnx",
            )
            m = recall(dense_scores(emb, rows, pool), targets)
            print(f"{backend}: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items() if "@" in k))


if __name__ == "__main__":
    main()
