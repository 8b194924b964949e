"""The Lean term reader over every signature of an index: share read without `Raw`, speed.

    python benchmarks/term_reader.py --index DIR [--workers 2] [--show 20] [--operators]

Parses each declaration's signature with `indexer.lean_terms.parse_signature` in `--workers`
processes (one per core by default), prints each tree back with `to_lean` and reads it again;
reports the share that came back as a tree (not `Raw`), the share of trees that print back to
themselves, the wall seconds for both, then the commonest places where reading stopped. With
`--operators`, signatures are read with the operators the index's notation declares
(`KnowledgeBase.operators()`), and the trees whose shape that changes are counted and shown.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

from indexer.lean_terms import Raw, parse_signature
from indexer.lean_terms.lexer import tokenize
from indexer.lean_terms.parser import _Fail, _Parser
from indexer.lean_terms.printer import same_shape, to_lean
from indexer.lean_terms.syntax import INFIX, NO_OPERATORS, PREFIX, Operators
from knowledge_base import KnowledgeBase


def _unread(chunk: list[str], operators: Operators = NO_OPERATORS) -> list[str]:
    return [s for s in chunk if isinstance(parse_signature(s, operators=operators), Raw)]


def _changed_by_printing(chunk: list[str], operators: Operators = NO_OPERATORS) -> int:
    """How many trees do not read back as themselves from their printed text."""
    trees = [parse_signature(s, operators=operators) for s in chunk]
    return sum(
        not same_shape(parse_signature(to_lean(t), operators=operators), t)
        for t in trees
        if not isinstance(t, Raw)
    )


def _changed_by_operators(chunk: list[str], operators: Operators) -> list[str]:
    """Signatures whose tree the declared operators change (both readings trees)."""
    out = []
    for s in chunk:
        plain, declared = parse_signature(s), parse_signature(s, operators=operators)
        trees = not isinstance(plain, Raw) and not isinstance(declared, Raw)
        if trees and not same_shape(plain, declared):
            out.append(s)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True, help="a built index")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes")
    ap.add_argument("--show", type=int, default=20, help="failure kinds to list")
    ap.add_argument("--operators", action="store_true", help="read with the index's operators")
    args = ap.parse_args()
    ops = KnowledgeBase.open(Path(args.index)).operators() if args.operators else NO_OPERATORS
    con = sqlite3.connect(f"file:{Path(args.index) / 'kb.sqlite'}?mode=ro", uri=True)
    sigs = [
        r[0]
        for r in con.execute(
            "SELECT signature FROM declarations WHERE kind != 'external' AND signature != ''"
        )
    ]
    t = time.perf_counter()
    size = 2000
    chunks = [sigs[i : i + size] for i in range(0, len(sigs), size)]
    with ProcessPoolExecutor(args.workers) as pool:
        raw = [s for part in pool.map(partial(_unread, operators=ops), chunks) for s in part]
        seconds = time.perf_counter() - t
        changed = sum(pool.map(partial(_changed_by_printing, operators=ops), chunks))
        reshaped = (
            [
                s
                for part in pool.map(partial(_changed_by_operators, operators=ops), chunks)
                for s in part
            ]
            if args.operators
            else []
        )
    share = 1 - len(raw) / len(sigs)
    print(
        f"{len(sigs)} signatures in {seconds:.1f} s ({args.workers} processes): "
        f"{share:.2%} read without a Raw node; "
        f"{1 - changed / (len(sigs) - len(raw)):.2%} of the trees print back to the same tree"
    )
    if args.operators:
        print(
            f"{len(ops.infix)} infix, {len(ops.prefix)} prefix, {len(ops.postfix)} postfix "
            f"operators declared; {len(reshaped)} trees read differently with them, e.g.:"
        )
        for s in reshaped[: args.show]:
            print(f"  {s[:160]}")
        differ = {t: (INFIX[t], b) for t, b in ops.infix.items() if t in INFIX and INFIX[t] != b}
        differ |= {t: (PREFIX[t], q) for t, q in ops.prefix.items() if PREFIX.get(t, q) != q}
        print(f"built-in table entries the index declares otherwise: {differ or 'none'}")
    where: Counter[str] = Counter()
    example: dict[str, str] = {}
    for s in raw:
        p = _Parser(s, tokenize(s, notation=ops.tokens), ops)
        try:
            p.signature()
        except _Fail as exc:
            tok = p.peek()
            key = f"{exc} at {tok.text if tok else 'the end'}"
            where[key] += 1
            example.setdefault(key, s)
        except RecursionError:
            where["too deep"] += 1
    for key, n in where.most_common(args.show):
        print(f"{n:6} {key} | {example.get(key, '')[:140]}")


if __name__ == "__main__":
    main()
