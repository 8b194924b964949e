"""How much of what users and benchmarks name does the knowledge base resolve?

    python -m eval.kb_coverage --index DIR --mathlib PATH \
        [--proofnet ../shared/data/benchmarks/proofnet_deps_dev.jsonl] [--json OUT]

Reports: declarations by kind, the share of the names cited by Mathlib's `docs/*.yaml` that
`resolve` finds (each miss with its reason), and the share of ProofNet gold dependencies it finds
(through deprecations and renames), with the misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from knowledge_base import KnowledgeBase
from knowledge_base.concepts import curated_names
from knowledge_base.resolve import Resolution

FOUND = ("found", "deprecated", "renamed")


def _reason(kb: KnowledgeBase, name: str, res: Resolution) -> str:
    if res.status == "external":
        return "external: exists upstream (Lean core), not indexed"
    if res.status == "removed":
        return res.note
    if res.status == "ambiguous":
        return f"ambiguous: {', '.join(res.candidates)}"
    last = name.rpartition(".")[2]
    if last.startswith("inst"):
        return "auto-generated name of an anonymous instance (not derived)"
    hints = kb.suggestions(name, 3)
    return "unknown" + (f" (same last component: {', '.join(hints)})" if hints else "")


def curated_coverage(kb: KnowledgeBase, mathlib: Path) -> dict[str, object]:
    rows = curated_names(mathlib)
    by_file: Counter[str] = Counter()
    found_by_file: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    misses = []
    for source, title, name in rows:
        res = kb.resolve(name)
        by_file[source] += 1
        statuses[res.status] += 1
        if res.status in FOUND:
            found_by_file[source] += 1
        else:
            misses.append(
                {
                    "file": f"{source}.yaml",
                    "concept": title,
                    "name": name,
                    "reason": _reason(kb, name, res),
                }
            )
    total = sum(by_file.values())
    return {
        "names": total,
        "found": total - len(misses),
        "share": round((total - len(misses)) / total, 4) if total else 0.0,
        "by_file": {f: f"{found_by_file[f]}/{by_file[f]}" for f in by_file},
        "statuses": dict(statuses),
        "misses": misses,
    }


def proofnet_coverage(kb: KnowledgeBase, path: Path) -> dict[str, object]:
    names: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        if line.strip():
            names.update(json.loads(line).get("mathlib_dependencies", []))
    statuses: Counter[str] = Counter()
    misses = []
    via = []
    for name, count in sorted(names.items()):
        res = kb.resolve(name)
        statuses[res.status] += count
        if res.status in FOUND:
            if res.status != "found":
                via.append({"name": name, "status": res.status, "now": res.name})
        else:
            misses.append(
                {
                    "name": name,
                    "occurrences": count,
                    "status": res.status,
                    "reason": _reason(kb, name, res),
                }
            )
    total = sum(names.values())
    found = sum(c for n, c in names.items() if n not in {m["name"] for m in misses})
    return {
        "distinct_names": len(names),
        "distinct_found": len(names) - len(misses),
        "occurrences": total,
        "occurrences_found": found,
        "share_distinct": round((len(names) - len(misses)) / len(names), 4),
        "share_occurrences": round(found / total, 4),
        "statuses": dict(statuses),
        "through_deprecation_or_rename": via,
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--mathlib", help="Mathlib checkout, for docs/*.yaml")
    ap.add_argument("--proofnet", help="proofnet_deps_dev.jsonl")
    ap.add_argument("--json", help="write the full report here")
    args = ap.parse_args(argv)
    kb = KnowledgeBase.open(args.index)
    report: dict[str, object] = {"stats": kb.stats()}
    if args.mathlib:
        report["curated"] = curated_coverage(kb, Path(args.mathlib))
    if args.proofnet:
        report["proofnet"] = proofnet_coverage(kb, Path(args.proofnet))
    stats = report["stats"]
    print(f"declarations: {stats['declarations']} (+{stats['external']} external)")  # type: ignore[index]
    for section in ("curated", "proofnet"):
        part = report.get(section)
        if not isinstance(part, dict):
            continue
        keys = [k for k in part if k not in ("misses", "through_deprecation_or_rename")]
        print(f"{section}: " + ", ".join(f"{k}={part[k]}" for k in keys))
        for m in part["misses"]:
            print(f"  miss: {m}")
        for v in part.get("through_deprecation_or_rename", []):
            print(f"  via: {v}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
