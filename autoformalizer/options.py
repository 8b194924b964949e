"""Options every subcommand spells the same way, and the one way results are written.

`--index DIR` (default `$AUTOFORMALIZER_INDEX`, else `./index`), `--json` (machine output on
stdout), `--report PATH` (a report file, with its `.md` table and `.png` plot beside it),
`--out PATH` (what a command builds or appends to). JSON is always standard JSON: a NaN or an
infinity becomes `null`, never the `NaN`/`Infinity` that other JSON readers reject.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from pathlib import Path
from typing import Any

INDEX_ENV = "AUTOFORMALIZER_INDEX"


def default_index() -> str:
    return os.environ.get(INDEX_ENV) or "index"


def add_index(parser: argparse.ArgumentParser, what: str = "index directory") -> None:
    parser.add_argument(
        "--index",
        default=default_index(),
        help=f"{what} (default: ${INDEX_ENV}, else ./index)",
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON on stdout")


def add_report(parser: argparse.ArgumentParser, extras: str | None = None) -> None:
    beside = f" (+ {extras} beside it)" if extras else ""
    parser.add_argument(
        "--report", metavar="PATH", help=f"write the full report as JSON here{beside}"
    )


def positive_int(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {value}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def k_list(text: str) -> list[int]:
    """`1,5,10` -> [1, 5, 10]: cut-offs of at least 1, in increasing order."""
    try:
        ks = [positive_int(part.strip()) for part in text.split(",") if part.strip()]
    except argparse.ArgumentTypeError as exc:
        raise argparse.ArgumentTypeError(f"cut-offs {text!r}: {exc}") from None
    if not ks:
        raise argparse.ArgumentTypeError(f"no cut-offs in {text!r}")
    return sorted(set(ks))


def finite(obj: Any) -> Any:
    """`obj` with every NaN or infinite float replaced by None (standard JSON has neither)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    return obj


def dumps(obj: Any, indent: int | None = 2) -> str:
    """Standard JSON text, Lean's symbols kept as written."""
    return json.dumps(finite(obj), indent=indent, ensure_ascii=False, allow_nan=False)


def write_json(path: Path, obj: Any) -> None:
    path.write_text(dumps(obj, indent=1) + "\n", encoding="utf-8")
