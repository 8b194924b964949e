"""Soundness probe for the structural judge: statements of *distinct* problems that reach the
same normal form. Each group printed is either a genuine restatement (a duplicate, a symmetric
equation, an explicit vs implicit binder) or a bug, to be read by hand.

    python benchmarks/structural_collisions.py ../shared/data/benchmarks/minif2f_lean4.jsonl \
        ../shared/data/benchmarks/proofnet_deps_dev.jsonl \
        ../shared/data/benchmarks/connf/benchmark.jsonl [--index DIR --mathlib 20000]
        [--save groups.json] [--since OLD.json]

To probe a change to the normal form, `--save` the groups before it (e.g. from a `git
worktree` of the previous commit), then run the changed code with `--since` that file: only the
groups that are new (not inside an old group) and the old groups that came apart are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from eval.structural import shared_normal_forms
from indexer.jsonl import iter_jsonl


def benchmark_statements(path: Path) -> list[tuple[str, str]]:
    """(id, formal statement) from miniF2F, ProofNet/Con-NF or `{id, formal}` rows."""
    out = []
    for lineno, row in iter_jsonl(path, ValueError, "benchmark"):
        statement = row.get("formal_statement") or row.get("formal_stmt") or row.get("formal")
        ident = row.get("name") or row.get("full_name") or row.get("id") or str(lineno)
        if statement:
            out.append((f"{path.stem}/{ident}", statement))
    return out


def mathlib_statements(index: str, sample: int, seed: int) -> list[tuple[str, str]]:
    """A sample of the index's public, current theorems as `theorem NAME SIGNATURE`."""
    from knowledge_base import KnowledgeBase

    with KnowledgeBase.open(index) as kb:
        rows = kb.con.execute(
            "SELECT name, signature FROM declarations WHERE kind IN ('theorem', 'lemma') "
            "AND is_private = 0 AND deprecated = 0 AND origin = 'source'"
        ).fetchall()
    rows = random.Random(seed).sample(rows, min(sample, len(rows)))
    return [(f"mathlib/{name}", f"theorem {name} {sig}") for name, sig in rows]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--index", help="also sample theorems from this index")
    ap.add_argument("--mathlib", type=int, default=20000, help="how many (with --index)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=50, help="groups to print")
    ap.add_argument("--save", type=Path, help="write the groups here (JSON)")
    ap.add_argument("--since", type=Path, help="print only what changed since this --save")
    args = ap.parse_args()
    items = [it for f in args.files for it in benchmark_statements(f)]
    if args.index:
        items += mathlib_statements(args.index, args.mathlib, args.seed)
    start = time.perf_counter()
    shared, unread = shared_normal_forms(items)
    seconds = time.perf_counter() - start
    print(
        f"{len(items)} statements, {unread} unread, {len(shared)} groups of distinct items "
        f"sharing a normal form ({seconds:.1f} s)"
    )
    if args.save:
        args.save.write_text(json.dumps([[list(it) for it in g] for g in shared]), "utf-8")
    shown, split = shared, []
    if args.since:
        try:
            old = [[tuple(it) for it in g] for g in json.loads(args.since.read_text("utf-8"))]
        except (OSError, ValueError, TypeError) as e:
            raise SystemExit(f"--since {args.since}: not a file written by --save ({e})") from e
        shown, split = changed_groups(old, shared)
        print(f"since {args.since}: {len(shown)} new groups, {len(split)} old groups split")
    for title, groups in (("----", shown), ("---- split", split)):
        for group in groups[: args.show]:
            print(title)
            for ident, statement in group:
                print(f"  {ident}: {' '.join(statement.split())[:200]}")


Group = list[tuple[str, str]]


def changed_groups(old: list[Group], new: list[Group]) -> tuple[list[Group], list[Group]]:
    """Groups of `new` inside no group of `old` (new merges), and groups of `old` inside no
    group of `new` (merges undone)."""

    def inside(group: Group, groups: list[Group]) -> bool:
        ids = {i for i, _ in group}
        return any(ids <= {i for i, _ in g} for g in groups)

    return [g for g in new if not inside(g, old)], [g for g in old if not inside(g, new)]


if __name__ == "__main__":
    main()
