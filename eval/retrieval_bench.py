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
from indexer.jsonl import iter_jsonl, split_half, stable_id, validated
from knowledge_base import KnowledgeBase
from retrieval.metrics import recall_at_k


@dataclass
class BenchItem:
    id: str
    query: str
    gold: list[str]
    exclude: list[str] = field(default_factory=list)  # e.g. the query's own theorem
    style: str = ""  # how the query is written (sentence, formula, lean, ...), when known
    group: str = ""  # items that share it fall in the same split half (default: the id)


class BenchFormatError(UserError, ValueError):
    """A benchmark file in none of the known formats."""


class _LookupRow(BaseModel):
    id: str | int | None = None
    query: str
    gold: list[str]
    exclude: list[str] = []
    style: str = ""
    group: str = ""


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
            items.append(BenchItem(ident, r.query, r.gold, r.exclude, r.style, r.group or ident))
        elif "informal_stmt" in row:
            d = validated(_DependencyRow, row, where, BenchFormatError)
            own = d.full_name
            ident = d.full_name or d.problem_name or stable_id(d.informal_stmt)
            items.append(
                BenchItem(
                    ident, d.informal_stmt, d.mathlib_dependencies, [own] if own else [], "", ident
                )
            )
        else:
            raise BenchFormatError(
                f"{where}: expected `query`/`gold` or `informal_stmt`/`mathlib_dependencies`"
            )
    if not items:
        raise BenchFormatError(f"benchmark {path} holds no rows")
    return items


def select_split(items: list[BenchItem], split: str) -> list[BenchItem]:
    """The `dev` or `held-out` half of a benchmark (by `group`, so all the styles of one
    theorem fall on the same side), or every item for `all`."""
    if split == "all":
        return items
    return [i for i in items if split_half(i.group or i.id) == split]


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
                cache[name] = res.current_name
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
    first_rank: dict[str, int] = {}
    for i, name in enumerate(ranked):
        first_rank.setdefault(name, i)
    ranks = [r for name, r in first_rank.items() if name in gold]
    for k in ks:
        out[f"R@{k}"] = recall_at_k(ranks, len(gold), k)
        out[f"P@{k}"] = out[f"R@{k}"] * len(gold) / k
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
        per_item.append(
            {"id": item.id, "style": item.style, **m, "top": ranked[:10], "gold": item.gold}
        )
    n = len(per_item)
    metrics = _mean(per_item)
    styles = sorted({p["style"] for p in per_item if p["style"]})
    by_style = {st: _mean([p for p in per_item if p["style"] == st]) for st in styles}
    lat = sorted(latencies)
    return {
        "metrics": metrics,
        "by_style": by_style,
        "latency_ms": {
            "p50": round(statistics.median(lat), 2) if lat else None,
            "p95": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 2) if lat else None,
        },
        "n": n,
        "items": per_item,
    }


_NOT_METRICS = ("id", "style", "top", "gold")


def _mean(rows: list[dict]) -> dict[str, float]:
    keys = [k for k in rows[0] if k not in _NOT_METRICS] if rows else []
    return {k: round(sum(r[k] for r in rows) / len(rows), 4) for k in keys}


def style_table(results: dict[str, dict[str, object]], ks: Sequence[int]) -> str:
    """R@k per query style (rows) and configuration (column groups)."""
    styles = sorted({st for res in results.values() for st in res.get("by_style", {})})  # type: ignore[attr-defined]
    if not styles:
        return ""
    head = [f"{name} R@{k}" for name in results for k in ks]
    lines = ["| style | n | " + " | ".join(head) + " |", "|---|---|" + "---|" * len(head)]
    items = next(iter(results.values()))["items"]  # every configuration ran the same items
    for st in styles:
        n = sum(1 for p in items if p["style"] == st)  # type: ignore[index, union-attr]
        cells = [
            f"{res['by_style'][st][f'R@{k}']:.3f}"  # type: ignore[index]
            for res in results.values()
            for k in ks
        ]
        lines.append(f"| {st} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot_styles(result: dict[str, object], ks: Sequence[int], path: Path, title: str) -> None:
    """Recall@k per query style of one configuration."""
    curves = {st: {"metrics": m} for st, m in result["by_style"].items()}  # type: ignore[attr-defined]
    plot_recall(curves, ks, path, title)


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
