"""Throughput of `formalize_batch` against a scripted OpenAI-compatible server.

    python benchmarks/formalize_batch.py --index DIR --bench minif2f.jsonl [--items 64]
        [--latency 1.0] [--concurrency 1 8 32]

The server (tests/formalizer/scripted_server.py, a real HTTP server) answers every request
after `--latency` seconds with `n` plausible statements, so the figures measure this project's
side: retrieval, example search, prompt, HTTP, extraction, Lean-free checks, selection, the
JSONL appends, and how well concurrency hides the model's latency. Each concurrency level runs
the same items into a fresh output file, side by side in one process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "formalizer"))
from scripted_server import ScriptedLLMServer

from formalizer import BatchItem, Settings, formalize_batch, open_resources
from formalizer.openai_backend import OpenAIBackend


def answers_for(rows: dict[str, str]):
    """The gold statement of the item named in the prompt, as a model might answer it."""

    def answer(body: dict) -> dict:
        prompt = body["messages"][-1]["content"]
        text = prompt.rsplit("Formalize this statement:\n", 1)[-1].strip()
        formal = rows.get(text, "theorem t : True := by sorry")
        return {"answers": [f"```lean\n{formal}\n```"] * body.get("n", 1)}

    return answer


def stage_medians(results: list) -> str:
    order = list(results[0].timings)
    parts = []
    for k in order:
        ms = 1000 * statistics.median(r.timings.get(k, 0.0) for r in results)
        parts.append(f"{k} {ms:.1f}")
    return ", ".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--index", required=True)
    ap.add_argument("--bench", required=True, type=Path, help="miniF2F-format JSONL")
    ap.add_argument("--items", type=int, default=64)
    ap.add_argument("--latency", type=float, default=1.0, help="server seconds per request")
    ap.add_argument("--n", type=int, default=8)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    args = ap.parse_args()

    rows = [json.loads(x) for x in args.bench.read_text().splitlines() if x.strip()]
    rows = [r for r in rows if r.get("split", "test") == "test"][: args.items]
    gold = {r["informal_statement"].strip(): r["formal_statement"] for r in rows}
    items = [
        BatchItem(id=r["name"], text=r["informal_statement"], header=r["header"]) for r in rows
    ]

    def respond(body: dict) -> dict:
        return {**answers_for(gold)(body), "delay": args.latency}

    settings = Settings(n=args.n, repair_rounds=0)
    with ScriptedLLMServer(default=respond) as srv:
        llm = OpenAIBackend(base_url=srv.url, model="scripted", concurrency=max(args.concurrency))
        t = time.perf_counter()
        res = open_resources(args.index, llm)
        res.retriever.search("warm up", k=5)  # load the embedder before timing
        print(f"open index + example bank + embedder: {time.perf_counter() - t:.1f} s")
        print(f"{len(items)} items, n={args.n}, server latency {args.latency:g} s per request")
        base = None
        for c in args.concurrency:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "out.jsonl"
                t = time.perf_counter()
                results = formalize_batch(items, res, out, concurrency=c, settings=settings)
                wall = time.perf_counter() - t
            ok = sum(r.ok for r in results)
            per_item = [r.timings.get("total", 0.0) for r in results]
            local = [r.timings.get("total", 0.0) - r.timings.get("generate", 0.0) for r in results]
            rate = len(results) / wall
            base = base or rate
            print(
                f"concurrency {c:3}: {wall:6.1f} s, {rate:6.2f} items/s ({rate / base:4.1f}x), "
                f"median item {statistics.median(per_item):.2f} s of which local work "
                f"{statistics.median(local) * 1000:.0f} ms; {ok}/{len(results)} passed checks; "
                f"server max in flight {srv.max_in_flight}"
            )
            srv.max_in_flight = 0
            if c == args.concurrency[0]:
                print("    median ms per stage: " + stage_medians(results))


if __name__ == "__main__":
    main()
