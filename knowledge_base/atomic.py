"""Build an index directory elsewhere and swap it into place, so a killed build never leaves a
half-written index where the previous good one was; and never replace anything but an index."""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
from pathlib import Path

from indexer.errors import UserError
from knowledge_base.schema import MANIFEST_FILE


class OutputPathError(UserError):
    """An index would be written over something that is not an earlier index."""


def is_index(path: Path) -> bool:
    """Whether `path` is a directory holding an index's manifest (ours, not any manifest.json)."""
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and {"schema_version", "created_at"} <= manifest.keys()


def check_replaceable(out: Path, force: bool = False) -> None:
    """Refuse an output path whose replacement would lose something: anything but a missing
    path, an empty directory or an earlier index, unless `force`; and never the current
    directory, one above it, the home directory or a filesystem root (they cannot be swapped)."""
    out = out.expanduser()
    where = out.resolve()
    here = Path.cwd().resolve()
    if where == here or where in here.parents or where in (Path.home().resolve(), Path("/")):
        what = "the current directory" if where == here else "a directory that holds your work"
        raise OutputPathError(f"--out {out} is {what}: name a new directory for the index")
    if out.is_symlink() and not force:
        raise OutputPathError(
            f"--out {out} is a symbolic link: name the directory itself, or add --force"
        )
    if not out.exists() or force:
        return
    if out.is_dir() and (is_index(out) or not any(out.iterdir())):
        return
    what = "a file" if not out.is_dir() else "a directory that is not an index (no manifest)"
    raise OutputPathError(
        f"--out {out} exists and is {what}: refusing to replace it; "
        "name a new directory, or add --force to replace it"
    )


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_dir(out: Path) -> Path:
    """A fresh temporary directory beside `out` (same filesystem, so renames are atomic)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    return tmp


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return rc == 0


def swap_into_place(tmp: Path, out: Path) -> None:
    """Make `tmp` the directory at `out`; the previous `out` (if any) is removed afterwards."""
    if not out.exists():
        os.replace(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # `tmp` now holds the previous index
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, old)
    os.replace(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def recover(out: Path) -> None:
    """If a non-atomic swap was interrupted between its two renames, put the old index back."""
    if out.exists():
        return
    olds = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds:
        os.replace(olds[-1], out)
