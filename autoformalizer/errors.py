"""The command line's one error class, and the checks every command runs on its paths first.

A `UsageError` is anything the user can fix (a bad path, a missing index, a bad argument); the
entry point prints it as one line and exits with status 2. Output paths are checked before any
work starts, so a long run never ends in a `FileNotFoundError` at its last step.
"""

from __future__ import annotations

import os
from pathlib import Path

from indexer.errors import UserError


class UsageError(UserError):
    """A problem with the command line's arguments, reported as one line (exit status 2)."""


def writable_file(path: str | Path | None, option: str) -> Path | None:
    """`path` as a file this process may create or replace; a `UsageError` naming `option`
    otherwise (missing folder, a folder in its place, no write permission)."""
    if path is None:
        return None
    out = Path(path).expanduser()
    if str(path).strip() == "":
        raise UsageError(f"{option}: empty path")
    if out.is_dir():
        raise UsageError(f"{option} {out} is a directory: name a file")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{option} {out}: the folder {parent} does not exist")
    if out.exists() and not os.access(out, os.W_OK):
        raise UsageError(f"{option} {out} is not writable")
    if not out.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{option} {out}: cannot write in {parent}")
    return out


def readable_text(path: str | Path, what: str) -> str:
    """The UTF-8 text of `path`, or a `UsageError` saying why it cannot be read."""
    p = Path(path).expanduser()
    if not p.exists():
        raise UsageError(f"{what} {p} does not exist")
    if not p.is_file():
        raise UsageError(f"{what} {p} is not a file")
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise UsageError(f"{what} {p}:{line}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"{what} {p}: {exc.strerror or exc}") from None


def check_arguments(argv: list[str]) -> None:
    """Arguments a shell passed that are not UTF-8 (Python keeps their bytes as surrogates,
    which no later step can encode) are refused up front."""
    for i, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise UsageError(f"argument {i} ({shown!r}) is not valid UTF-8") from None
