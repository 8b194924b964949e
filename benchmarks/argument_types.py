"""The argument-type check (`formalizer/types.py`) over Mathlib's own theorem signatures.

    python benchmarks/argument_types.py --index DIR [--sample 20000] [--seed 0] [--show 20]

Every signature Mathlib states is valid Lean, so each flag is the check's mistake or an
artefact of reading a signature outside its file (a name the file does not import). Each
sampled theorem is read as Lean reads it: in its namespace (`theorem A.b` in `namespace X`
reads in `X.A`; `_root_.A.b` in `X`) with the `open`s in force where it was declared.
Prints the share flagged, the flags by function, and the first `--show` of them.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from formalizer.identifiers import IdentifierChecker
from formalizer.statement import StatementError, parse_statement, statement_tree
from formalizer.types import TypeChecker
from knowledge_base import KnowledgeBase


def reading_header(name: str, namespace: str, opens: list[str]) -> str:
    """The `open`s and namespace a declaration's signature is read in."""
    prefix = name.rpartition(".")[0]
    ns = prefix if not namespace or name.startswith(namespace + ".") else namespace
    return "".join(f"open {o}\n" for o in opens) + (f"namespace {ns}\n" if ns else "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index", required=True)
    ap.add_argument("--sample", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=20)
    args = ap.parse_args()
    kb = KnowledgeBase.open(args.index)
    rows = kb.con.execute(
        "SELECT name FROM declarations WHERE kind IN ('theorem', 'lemma') "
        "AND origin = 'source' AND root = 'Mathlib'"
    ).fetchall()
    names = [r[0] for r in random.Random(args.seed).sample(rows, min(args.sample, len(rows)))]
    idents = IdentifierChecker(kb)
    checker = TypeChecker(idents)
    flags: list[tuple[str, list[str]]] = []
    read = 0
    t0 = time.perf_counter()
    for name in names:
        decl = kb.get(name)
        if decl is None:
            continue
        try:
            stmt = parse_statement(
                f"theorem X {decl.signature} := sorry",
                reading_header(name, decl.namespace, decl.opens),
            )
        except StatementError:
            continue
        read += 1
        opens = tuple(stmt.opens)
        tree = statement_tree(stmt, idents.lexer_tokens(opens, stmt.namespace), kb.operators())
        problems = checker.problems(stmt, tree)
        if problems:
            flags.append((name, problems))
    seconds = time.perf_counter() - t0
    print(
        f"{read} signatures read, {len(flags)} flagged ({100 * len(flags) / max(read, 1):.3f}%) "
        f"in {seconds:.0f} s"
    )
    by_function = Counter(p.split(" ", 1)[0] for _, problems in flags for p in problems)
    print("by function:", ", ".join(f"{f} {n}" for f, n in by_function.most_common(10)))
    for name, problems in flags[: args.show]:
        print(f"  {name}: {'; '.join(problems)}")


if __name__ == "__main__":
    main()
