"""Differential check: the tree normal form (`formalizer.normal_form`) against the token judge
(`eval.structural`) on labelled equivalence pairs, and its soundness probe on Mathlib.

    python benchmarks/normal_form_diff.py --pairs pairs.jsonl human.jsonl pnv.jsonl \
        [--index DIR] [--rows 50:100] [--probe --mathlib 20000 --seed 0] [--show 10]

For each pair file: accuracy, precision and recall of each judge (a pair is called equivalent
when both statements have the same form), how often they agree, and every pair the tree form
calls equivalent against its label (a soundness failure, or a label that is wrong). With
`--index`, global names are first written in full under each pair's header, as
`autoformalizer eval equivalence --index` does; `--rows` scores a slice (a held-out part).
With `--probe`, a sample of the index's Mathlib theorems is normalised and the groups of
distinct theorems that share a tree form are counted and shown (each a restatement or a bug).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm

from eval.equivalence import EquivalencePair
from eval.statement_names import qualify_names
from eval.structural import structurally_equal
from formalizer.identifiers import IdentifierChecker
from formalizer.normal_form import normal_form
from formalizer.statement import StatementError
from indexer.jsonl import iter_jsonl
from knowledge_base import KnowledgeBase


def _scores(calls: list[bool], labels: list[bool]) -> str:
    tp = sum(c and y for c, y in zip(calls, labels, strict=True))
    fp = sum(c and not y for c, y in zip(calls, labels, strict=True))
    fn = sum(not c and y for c, y in zip(calls, labels, strict=True))
    right = sum(c == y for c, y in zip(calls, labels, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"accuracy {right / len(labels):.3f} precision {precision:.3f} recall {recall:.3f}"


def _qualified(statement: str, header: str, names: IdentifierChecker | None) -> str:
    if names is None:
        return header + "\n" + statement
    try:
        return header + "\n" + qualify_names(statement, header, names)
    except StatementError:
        return header + "\n" + statement


def compare(path: Path, show: int, names: IdentifierChecker | None, rows: slice) -> None:
    pairs = [EquivalencePair(**row) for _, row in iter_jsonl(path, ValueError, "pairs")][rows]
    labels = [p.label for p in pairs]
    tree, token = [], []
    start = time.perf_counter()
    for p in tqdm(pairs, desc=path.stem, leave=False):
        ref = _qualified(p.reference, p.header, names)
        cand = _qualified(p.candidate, p.header, names)
        tree.append(normal_form(ref) == normal_form(cand))
        token.append(structurally_equal(ref, cand))
    seconds = time.perf_counter() - start
    agree = sum(a == b for a, b in zip(tree, token, strict=True))
    where = (
        f"rows {rows.start or 0}-{(rows.start or 0) + len(pairs) - 1} of "
        if rows != slice(None)
        else ""
    )
    print(
        f"{where}{path.name}: {len(pairs)} pairs ({sum(labels)} equivalent), "
        f"{seconds:.1f} s for both{' (names qualified)' if names else ''}"
    )
    print(f"  tree form   {_scores(tree, labels)}")
    print(f"  token judge {_scores(token, labels)}")
    only_tree = sum(a and not b for a, b in zip(tree, token, strict=True))
    only_token = sum(b and not a for a, b in zip(tree, token, strict=True))
    print(
        f"  agree on {agree}; equal by the tree form only {only_tree}, "
        f"by the token judge only {only_token}"
    )
    wrong = [p for p, call in zip(pairs, tree, strict=True) if call and not p.label]
    for p in wrong[:show]:
        print(f"  ! tree form calls {p.id} equivalent, labelled not:")
        print(f"      {' '.join(p.reference.split())[:200]}")
        print(f"      {' '.join(p.candidate.split())[:200]}")


def mathlib_probe(index: Path, sample: int, seed: int, show: int) -> None:
    """Distinct Mathlib theorems that share a tree form: each a restatement, or a bug."""
    con = sqlite3.connect(f"file:{index / 'kb.sqlite'}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT name, signature FROM declarations WHERE kind = 'theorem' AND signature != ''"
    ).fetchall()
    random.Random(seed).shuffle(rows)
    rows = rows[:sample]
    start = time.perf_counter()
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name, sig in tqdm(rows, desc="mathlib", leave=False):
        groups[normal_form(f"theorem x {sig}")].append((name, sig))
    seconds = time.perf_counter() - start
    shared = [g for g in groups.values() if len(g) > 1]
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
        compare(path, args.show, names, rows)
    if args.index and args.probe:
        mathlib_probe(args.index, args.mathlib, args.seed, args.show)


if __name__ == "__main__":
    main()
