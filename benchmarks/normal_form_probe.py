"""The equivalence normal form (`formalizer.normal_form`) as a judge: its scores on labelled
pairs, and its soundness probe on Mathlib.

    python benchmarks/normal_form_probe.py --pairs pairs.jsonl human.jsonl pnv.jsonl \\
        [--index DIR] [--rows 50:100] [--probe --mathlib 20000 --seed 0] [--show 10]

For each pair file: accuracy, precision and recall (a pair is called equivalent when both
statements have one normal form), and every pair called equivalent against its label (a
soundness failure, or a wrong label). With `--index`, global names are first written in full
under each pair's header, as `autoformalizer eval equivalence --index` does; `--rows` scores a
slice (a held-out part). With `--probe`, a sample of the index's theorems is normalised and the
groups of distinct theorems that share a form are counted and shown: each is a restatement or
a judge error, to be read by hand.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

from eval.equivalence import EquivalencePair, StructuralJudge
from formalizer.identifiers import IdentifierChecker
from formalizer.normal_form import normal_form
from indexer.jsonl import iter_jsonl
from knowledge_base import KnowledgeBase


def scores(calls: list[bool], labels: list[bool]) -> dict[str, float]:
    pairs = list(zip(calls, labels, strict=True))
    tp = sum(c and y for c, y in pairs)
    fp = sum(c and not y for c, y in pairs)
    fn = sum(y and not c for c, y in pairs)
    return {
        "accuracy": sum(c == y for c, y in pairs) / max(len(pairs), 1),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def score_file(path: Path, judge: StructuralJudge, rows: slice, show: int) -> None:
    pairs = [EquivalencePair(**row) for _, row in iter_jsonl(path, ValueError, "pairs")][rows]
    start = time.perf_counter()
    calls = [
        bool(judge.judge(p.reference, p.candidate, p.header).equivalent)
        for p in tqdm(pairs, desc=path.stem, leave=False)
    ]
    seconds = time.perf_counter() - start
    s = scores(calls, [p.label for p in pairs])
    first = rows.start or 0
    where = f"rows {first}-{first + len(pairs) - 1} of " if rows != slice(None) else ""
    print(
        f"{where}{path.name}: {len(pairs)} pairs ({sum(p.label for p in pairs)} equivalent), "
        f"{seconds:.1f} s: accuracy {s['accuracy']:.3f} precision {s['precision']:.3f} "
        f"recall {s['recall']:.3f}"
    )
    for p, call in zip(pairs, calls, strict=True):
        if call and not p.label and show > 0:
            show -= 1
            print(f"  ! called equivalent, labelled not: {p.id}")


def shared_forms(rows: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Groups of (name, signature) of distinct theorems with one normal form."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, sig in tqdm(rows, desc="mathlib", leave=False):
        groups[normal_form(f"theorem x {sig}")].append((name, sig))
    return [g for g in groups.values() if len(g) > 1]


def rule_counts(statements: list[str]) -> dict[str, int]:
    """For each rule, how many of `statements` it changed (it fired at least once)."""
    from dataclasses import replace

    from formalizer.normal_form import rule as registry

    fired: dict[str, int] = dict.fromkeys((r.name for r in registry.RULES), 0)
    hit: set[str] = set()

    def counting(r: registry.Rule) -> registry.Rule:
        def rewrite(*args: object) -> object:
            out = r.rewrite(*args)
            if out is not None:
                hit.add(r.name)
            return out

        return replace(r, rewrite=rewrite)

    original = list(registry.RULES)
    registry.RULES[:] = [counting(r) for r in original]
    try:
        for text in tqdm(statements, desc="rules", leave=False):
            hit.clear()
            normal_form(text)
            for name in hit:
                fired[name] += 1
    finally:
        registry.RULES[:] = original
    return fired


def mathlib_probe(index: Path, sample: int, seed: int, show: int) -> None:
    con = sqlite3.connect(f"file:{index / 'kb.sqlite'}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT name, signature FROM declarations WHERE kind = 'theorem' AND signature != ''"
    ).fetchall()
    random.Random(seed).shuffle(rows)
    rows = rows[:sample]
    start = time.perf_counter()
    shared = shared_forms(rows)
    seconds = time.perf_counter() - start
    differing = [g for g in shared if len({" ".join(s.split()) for _, s in g}) > 1]
    print(
        f"mathlib: {len(rows)} theorems normalised in {seconds:.1f} s "
        f"({1000 * seconds / max(len(rows), 1):.2f} ms each); {len(shared)} groups share a form, "
        f"{len(differing)} of them with different texts"
    )
    for g in differing[:show]:
        print("  group:")
        for name, sig in g[:4]:
            print(f"    {name}: {' '.join(sig.split())[:160]}")
    counts = rule_counts([f"theorem x {sig}" for _, sig in rows])
    print("statements each rule changed:")
    for name, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {n:7} {n / max(len(rows), 1):6.1%}  {name}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", nargs="*", type=Path, default=[], help="EquivalencePair JSONL files")
    ap.add_argument("--index", type=Path, help="an index: names qualified as `eval` does")
    ap.add_argument("--rows", default="", help="START:END of each pair file (a held-out part)")
    ap.add_argument("--probe", action="store_true", help="with --index: the Mathlib probe")
    ap.add_argument("--mathlib", type=int, default=20000, help="theorems to sample")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=10, help="examples to print")
    args = ap.parse_args()
    names = None
    if args.index and args.pairs:
        names = IdentifierChecker(KnowledgeBase.open(args.index), auto_implicit=True)
    start, _, end = args.rows.partition(":")
    rows = slice(int(start) if start else None, int(end) if end else None)
    for path in args.pairs:
        score_file(path, StructuralJudge(names), rows, args.show)
    if args.index and args.probe:
        mathlib_probe(args.index, args.mathlib, args.seed, args.show)


if __name__ == "__main__":
    main()
