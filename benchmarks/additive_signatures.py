"""How the signatures of `@[to_additive]` declarations read: pattern counts and a sample.

    python benchmarks/additive_signatures.py --index DIR [--sample 200 --seed 20261206 --out FILE]

Counts, over every generated declaration, the marks of a token-blind translation (`Type+`,
`range (n + 0)`) and the multiplicative operations still present (legitimately, on fixed types
such as ℕ or ℝ, or in signatures shown as their source with a note), and writes a random
sample with each source signature beside its translation, to read by hand.
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
from collections import Counter
from pathlib import Path


def _star(s: str) -> bool:
    return bool(
        re.search(r"(?<![A-Za-z→≃])\*(?![A-Za-z])", s.replace("Type*", "").replace("Sort*", ""))
    )


PATTERNS = {
    "Type+ / Sort+": lambda s: "Type+" in s or "Sort+" in s,
    "range (n + 0)": lambda s: "range (n + 0)" in s,
    "Fin 0": lambda s: "Fin 0" in s,
    "`^` present": lambda s: "^" in s,
    "`*` present": _star,
    "`∏` present": lambda s: "∏" in s,
    "`⁻¹` present": lambda s: "⁻¹" in s.replace("⁻¹'", ""),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True, help="a built index")
    ap.add_argument("--sample", type=int, default=200, help="signatures to write out")
    ap.add_argument("--seed", type=int, default=20261206, help="sample seed")
    ap.add_argument("--out", type=Path, help="write the sample here")
    args = ap.parse_args()
    con = sqlite3.connect(f"file:{Path(args.index) / 'kb.sqlite'}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT d.name, d.generated_from, d.signature, d.signature_note, s.signature "
        "FROM declarations d JOIN declarations s ON s.name = d.generated_from "
        "WHERE d.origin = 'to_additive' AND s.origin != 'to_additive' ORDER BY d.name"
    ).fetchall()
    noted = [r for r in rows if r[3]]
    print(f"{len(rows)} generated signatures; {len(noted)} shown as their source with a note")
    print("| pattern | all | translated ones |\n|---|---|---|")
    for label, test in PATTERNS.items():
        every = sum(test(r[2]) for r in rows)
        translated = sum(test(r[2]) for r in rows if not r[3])
        print(f"| {label} | {every} | {translated} |")
    why = Counter(re.sub(r"of \S+ ", "", r[3]).split("(", 1)[1].rsplit(")", 1)[0] for r in noted)
    for reason, n in why.most_common(6):
        print(f"  note: {n} {reason}")
    if args.out:
        random.seed(args.seed)
        with args.out.open("w", encoding="utf-8") as f:
            for i, (name, src_name, sig, note, src) in enumerate(random.sample(rows, args.sample)):
                f.write(f"#{i} {src_name} -> {name}\n  SRC {src}\n  OUT {sig}\n")
                if note:
                    f.write(f"  NOTE {note}\n")
        print(f"sample of {args.sample} written to {args.out}")


if __name__ == "__main__":
    main()
