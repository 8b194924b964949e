"""Dependency/premise retrieval benchmark: R@k, P@k, MRR, nDCG@10, latency, coverage.

Metrics as `../shared/data/README.md` defines them: for one item, R@k = |top-k ∩ gold| / |gold|
and P@k = |top-k ∩ gold| / k, averaged over items with non-empty gold; MRR is the mean reciprocal
rank of the first gold hit (0 if none in the ranking); nDCG@10 uses binary relevance.
Gold names are resolved through the knowledge base (deprecated aliases, renames); gold names
the index does not contain stay misses, and the report counts them.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from indexer.errors import UserError
from indexer.jsonl import iter_jsonl, stable_id, validated
from knowledge_base import KnowledgeBase


@dataclass
class BenchItem:
    id: str
    query: str
    gold: list[str]
    exclude: list[str] = field(default_factory=list)  # e.g. the query's own theorem


class BenchFormatError(UserError, ValueError):
    """A benchmark file in none of the known formats."""


class _LookupRow(BaseModel):
    id: str | int | None = None
    query: str
    gold: list[str]
    exclude: list[str] = []


class _DependencyRow(BaseModel):
    informal_stmt: str
    mathlib_dependencies: list[str]
    full_name: str | None = None
    problem_name: str | None = None


def read_bench(path: Path) -> list[BenchItem]:
    """JSONL rows `{"id", "query", "gold"}`, or the ProofNet-deps / Con-NF benchmark rows
    (`informal_stmt`, `mathlib_dependencies`, `full_name`)."""
    items = []
    for lineno, row in iter_jsonl(path, BenchFormatError, "benchmark"):
        where = f"{path}:{lineno}"
        if "query" in row:
            r = validated(_LookupRow, row, where, BenchFormatError)
            ident = str(r.id) if r.id is not None else stable_id(r.query)
            items.append(BenchItem(ident, r.query, r.gold, r.exclude))
        elif "informal_stmt" in row:
            d = validated(_DependencyRow, row, where, BenchFormatError)
            own = d.full_name
            ident = d.full_name or d.problem_name or stable_id(d.informal_stmt)
            items.append(
                BenchItem(ident, d.informal_stmt, d.mathlib_dependencies, [own] if own else [])
            )
        else:
            raise BenchFormatError(
                f"{where}: expected `query`/`gold` or `informal_stmt`/`mathlib_dependencies`"
            )
    if not items:
        raise BenchFormatError(f"benchmark {path} holds no rows")
    return items


def resolve_gold(kb: KnowledgeBase, items: list[BenchItem]) -> dict[str, object]:
    """Map gold names to current names in place; return coverage figures."""
    total = found = 0
    missing: dict[str, str] = {}
    cache: dict[str, str | None] = {}
    for item in items:
        resolved = []
        for name in item.gold:
            if name not in cache:
                res = kb.resolve(name)
                ok = res.status in ("found", "deprecated", "renamed", "external") and res.name
                cache[name] = res.name if ok and not res.projection else None
                if cache[name] is None:
                    missing[name] = res.status
            total += 1
            now = cache[name]
            if now is not None:
                found += 1
                resolved.append(now)
            else:
                resolved.append(name)  # kept, so it counts as a miss
        item.gold = list(dict.fromkeys(resolved))
    renamed = {n: v for n, v in cache.items() if v is not None and v != n}
    return {
        "gold_names": total,
        "gold_in_index": found,
        "gold_missing": total - found,
        "missing_names": dict(sorted(missing.items())),
        "renamed": renamed,
    }


def metrics_for(ranked: list[str], gold: set[str], ks: Sequence[int]) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in ks:
        hit = len(set(ranked[:k]) & gold)
        out[f"R@{k}"] = hit / len(gold)
        out[f"P@{k}"] = hit / k
    first = next((i for i, n in enumerate(ranked, start=1) if n in gold), None)
    out["MRR"] = 1.0 / first if first else 0.0
    dcg = sum(1.0 / math.log2(i + 1) for i, n in enumerate(ranked[:10], start=1) if n in gold)
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(gold), 10) + 1))
    out["nDCG@10"] = dcg / idcg if idcg else 0.0
    return out


def evaluate(
    items: list[BenchItem],
    search: Callable[[BenchItem, int], list[str]],
    ks: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, object]:
    """Run `search` on each item and average the metrics over items with gold."""
    depth = max(max(ks), 10)
    per_item = []
    latencies = []
    for done, item in enumerate(items, start=1):
        if progress:
            progress(done, len(items))
        if not item.gold:
            continue
        t = time.perf_counter()
        ranked = search(item, depth)
        latencies.append((time.perf_counter() - t) * 1000)
        m = metrics_for(ranked, set(item.gold), ks)
        per_item.append({"id": item.id, **m, "top": ranked[:10], "gold": item.gold})
    n = len(per_item)
    keys = [k for k in per_item[0] if k not in ("id", "top", "gold")] if per_item else []
    metrics = {k: round(sum(p[k] for p in per_item) / n, 4) for k in keys}
    lat = sorted(latencies)
    return {
        "metrics": metrics,
        "latency_ms": {
            "p50": round(statistics.median(lat), 2) if lat else None,
            "p95": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 2) if lat else None,
        },
        "n": n,
        "items": per_item,
    }


def markdown_table(results: dict[str, dict[str, object]], ks: Sequence[int]) -> str:
    cols = [f"R@{k}" for k in ks] + [f"P@{k}" for k in ks if k == 5] + ["MRR", "nDCG@10"]
    lines = [
        "| configuration | " + " | ".join(cols) + " | p50 ms |",
        "|---|" + "---|" * (len(cols) + 1),
    ]
    for name, res in results.items():
        m = res["metrics"]
        lat = res["latency_ms"]["p50"]  # type: ignore[index]
        lines.append(
            f"| {name} | "
            + " | ".join(f"{m.get(c, 0):.3f}" for c in cols)  # type: ignore[union-attr]
            + f" | {lat} |"
        )
    return "\n".join(lines)


def plot_recall(
    results: dict[str, dict[str, object]], ks: Sequence[int], path: Path, title: str
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, res in results.items():
        m = res["metrics"]
        ax.plot(list(ks), [m[f"R@{k}"] for k in ks], marker="o", label=name)  # type: ignore[index]
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
