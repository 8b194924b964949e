"""Time an index build: wall time (median of runs), peak memory, size on disk, counts.

    python benchmarks/build_index.py --mathlib /tmp/mathlib4 --root /tmp/batteries \
        --runs 3 [--history]

Each run is a fresh `autoformalizer index` process; peak memory is the largest resident set of
the build process and of its parser workers (RUSAGE_CHILDREN of this script).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mathlib", required=True)
    ap.add_argument("--root", action="append", default=[])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--history", action="store_true", help="include the (cached) rename history")
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp()) / "index"
    walls = []
    summary: dict[str, object] = {}
    for _ in range(args.runs):
        cmd = [
            sys.executable,
            "-m",
            "autoformalizer",
            "index",
            "--mathlib",
            args.mathlib,
            "--out",
            str(out),
            "--quiet",
        ]
        for r in args.root:
            cmd += ["--root", r]
        if not args.history:
            cmd.append("--no-history")
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - t)
        summary = json.loads(proc.stdout)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    manifest = json.loads((out / "manifest.json").read_text())
    kinds = {k[5:]: v for k, v in manifest["counts"].items() if k.startswith("kind:")}
    report = {
        "runs": [round(w, 1) for w in walls],
        "median_wall_s": round(statistics.median(walls), 1),
        "peak_rss_mb": round(peak_mb),
        "size_on_disk_mb": round(size_mb),
        "declarations": summary.get("declarations"),
        "external": summary.get("external"),
        "files": summary.get("files"),
        "anonymous_instances_skipped": manifest["anonymous_instances"],
        "files_with_warnings": manifest["files_with_warnings"],
        "by_kind": kinds,
        "renames": manifest["renames"],
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
