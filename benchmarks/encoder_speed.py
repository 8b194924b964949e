"""The document encoder's backends side by side: texts/s, agreement with PyTorch fp32, and
single-query latency, on one seeded sample of an index's theorems.

    python benchmarks/encoder_speed.py --index DIR [--model DIR] [--sample 2000]
        [--queries FILE.jsonl] [--view formal]

Backends: PyTorch fp32 (sentence-transformers), PyTorch bf16 (where the CPU has bf16 matrix
units; what `--encoder-backend auto` picks there), the same graph on ONNX Runtime, its int8 copy
with per-channel weights (what `--encoder-backend onnx-int8` builds), a per-tensor int8 copy,
and each ONNX graph with texts cut at 64 tokens. Agreement: the mean and least cosine between
a backend's vector and fp32's for the same text, and the share of each query's fp32 top-10
among the sample that the backend's top-10 keeps (queries: `--queries`, default the FormL4
lookup dev set in ../shared/data).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from knowledge_base import KnowledgeBase
from retrieval.documents import load_docs
from retrieval.embedder import Embedder, native_bf16
from retrieval.onnx_encoder import OnnxEncoder, quantized

QUERIES = Path(__file__).resolve().parents[1] / "../shared/data/benchmarks/forml4_lookup_dev.jsonl"


def per_tensor_copy(directory: Path, out: Path) -> Path:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    for name in ("tokenizer.json", "encoder.json"):
        shutil.copy2(directory / name, out / name)
    logging.getLogger().setLevel(logging.ERROR)
    quantize_dynamic(
        str(directory / "model.onnx"),
        str(out / "model.onnx"),
        per_channel=False,
        weight_type=QuantType.QInt8,
        op_types_to_quantize=["MatMul"],
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    return out


def top10_kept(ref_d: np.ndarray, ref_q: np.ndarray, d: np.ndarray, q: np.ndarray) -> float:
    a = np.argsort(-(ref_q @ ref_d.T), axis=1)[:, :10]
    b = np.argsort(-(q @ d.T), axis=1)[:, :10]
    return float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(a, b, strict=True)]))


def timed(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--model", default="retrieval/joint_model")
    ap.add_argument("--sample", type=int, default=2000)
    ap.add_argument("--queries", type=Path, default=QUERIES)
    ap.add_argument("--view", default="formal")
    args = ap.parse_args()
    with KnowledgeBase.open(args.index) as kb:
        docs = [d for d in load_docs(kb) if d.corpus == "theorems"]
    sample = random.Random(0).sample(docs, min(args.sample, len(docs)))
    work = Path(tempfile.mkdtemp(prefix="encoder-speed-"))
    e = Embedder(args.model, device="cpu")
    texts = [e._view(d.text(args.view)) for d in sample]
    rows = [json.loads(line) for line in args.queries.read_text().splitlines() if line.strip()]
    queries = [e._view(r["query"]) for r in rows[:300]]
    fp32_dir = e.export_onnx(work)
    graphs = {
        "onnx fp32": fp32_dir,
        "onnx int8 per-channel": quantized(fp32_dir),
        "onnx int8 per-tensor": per_tensor_copy(fp32_dir, work / "per-tensor"),
    }
    # texts are viewed already: `_encode` is the backends' own batching, without the view
    ref, took = timed(lambda: e._encode(texts, None))
    ref_q = e._encode(queries, None)
    print(f"{len(texts)} theorem texts ({args.view} view) of {args.index}, model {args.model}")
    print(f"{'backend':<32} {'texts/s':>8} {'cos mean':>9} {'cos min':>8} {'top-10':>7} "
          f"{'query p50':>10} {'p95':>7}")  # fmt: skip
    print(f"{'torch fp32':<32} {len(texts) / took:8.1f} {1:9.4f} {1:8.4f} {1:7.3f}")
    if native_bf16():
        b = Embedder(args.model, device="cpu", backend="torch-bf16")
        vecs, took = timed(lambda: b._encode(texts, None))
        q = b._encode(queries, None)
        latency = [1000 * timed(lambda t=t: b._encode([t], None))[1] for t in queries[:100]]
        cos = np.sum(vecs * ref, axis=1)
        print(
            f"{'torch bf16':<32} {len(texts) / took:8.1f} {cos.mean():9.4f} {cos.min():8.4f} "
            f"{top10_kept(ref, ref_q, vecs, q):7.3f} {np.median(latency):8.1f}ms "
            f"{np.percentile(latency, 95):5.1f}ms"
        )
    for name, directory in graphs.items():
        for max_len in (None, 64):
            enc = OnnxEncoder(directory)
            if max_len:
                enc.tokenizer.enable_truncation(max_len)
            vecs, took = timed(lambda enc=enc: enc.encode(texts))
            q = enc.encode(queries)
            latency = []
            for text in queries[:100]:
                _, t = timed(lambda text=text, enc=enc: enc.encode([text]))
                latency.append(1000 * t)
            cos = np.sum(vecs * ref, axis=1)
            label = name + (f", {max_len} tokens" if max_len else "")
            print(
                f"{label:<32} {len(texts) / took:8.1f} {cos.mean():9.4f} {cos.min():8.4f} "
                f"{top10_kept(ref, ref_q, vecs, q):7.3f} {np.median(latency):8.1f}ms "
                f"{np.percentile(latency, 95):5.1f}ms"
            )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
