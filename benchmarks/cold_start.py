"""Cold-start time of each CLI command: a fresh process per run, median of several.

    python benchmarks/cold_start.py --index DIR [--runs 5]

Each command runs as a user runs it (`python -m autoformalizer ...`), so the figure includes
interpreter start-up, imports, opening the index and, for `search`, encoding the query. The
page cache is warm after the first run; the first run's time is printed too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def commands(index: str, check_input: str) -> dict[str, list[str]]:
    i = ["--index", index]
    return {
        "--help": ["--help"],
        "kb stats": ["kb", "stats", *i],
        "kb show": ["kb", "show", "Subgroup.Normal", *i],
        "kb resolve": ["kb", "resolve", "finrank", "--open", "Module", *i],
        "search (all)": ["search", "Every finite integral domain is a field", *i],
        "search (definitions)": [
            "search",
            "a finite group of prime order",
            "--corpus",
            "definitions",
            *i,
        ],
        "search (a name)": ["search", "Matrix.det_mul", *i],
        "check (1 statement)": ["check", "--input", check_input, *i],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True, help="a built index")
    ap.add_argument("--runs", type=int, default=5, help="runs per command (default 5)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        check_input = Path(tmp) / "one.jsonl"
        statement = "theorem t (p : ℕ) (hp : p.Prime) (h : 2 < p) : Odd p := sorry"
        check_input.write_text(json.dumps({"id": "one", "formal_statement": statement}) + "\n")
        rows = {}
        for name, argv in commands(args.index, str(check_input)).items():
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "autoformalizer", *argv],
                    capture_output=True,
                    check=False,
                )
                times.append(time.perf_counter() - t)
                if proc.returncode not in (0, 1):
                    sys.exit(f"{name} failed: {proc.stderr.decode()[-300:]}")
            rows[name] = {
                "first_s": round(times[0], 2),
                "median_s": round(statistics.median(times), 2),
            }
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"| command | first run (s) | median of {args.runs} (s) |")
    print("|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {r['first_s']} | {r['median_s']} |")


if __name__ == "__main__":
    main()
