"""Get a Mathlib checkout when the user has none: clone it with git at a pinned revision."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from indexer.errors import UserError

MATHLIB_URL = "https://github.com/leanprover-community/mathlib4"
# The Mathlib revision this release was developed and measured against (2026-08-03).
MATHLIB_REV = "93594942ef3b93fae5272d7bf368676ff40f8eb1"


class SourceError(UserError, RuntimeError):
    """Mathlib could not be obtained."""


def cache_dir() -> Path:
    base = os.environ.get("AUTOFORMALIZER_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "autoformalizer"


def clone_mathlib(url: str = MATHLIB_URL, rev: str = MATHLIB_REV, dest: Path | None = None) -> Path:
    """Clone `url` (full history, so renames can be read) and check out `rev`; reuse a clone."""
    dest = dest or cache_dir() / f"mathlib4-{rev[:12]}"
    if (dest / ".git").is_dir():
        head = _run(["git", "-C", str(dest), "rev-parse", "HEAD"]).strip()
        wanted = _run(["git", "-C", str(dest), "rev-parse", f"{rev}^{{commit}}"]).strip()
        if head == wanted:
            return dest
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".partial")
        if tmp.exists():
            _run(["rm", "-rf", str(tmp)])
        _run(["git", "clone", "--quiet", "--no-checkout", url, str(tmp)])
        tmp.rename(dest)
    _run(["git", "-C", str(dest), "checkout", "--quiet", rev])
    return dest


def _run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SourceError(f"cannot run {cmd[0]}: {exc}") from exc
    if out.returncode != 0:
        raise SourceError(f"{' '.join(cmd[:3])} ... failed: {out.stderr.strip() or out.stdout}")
    return out.stdout
