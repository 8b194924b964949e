"""Reading JSON-lines inputs with errors that name the file and line, and writing them.

Every input row a user hands the tool passes through here: bytes that are not UTF-8, a line
that is not a JSON object, or a field of the wrong type (checked against a pydantic model)
is an error naming `path:line` and the field, never a traceback from deep inside a command.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def iter_jsonl(
    path: Path, error: type[Exception], what: str
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; `error` names `path:line` otherwise."""
    path = Path(path).expanduser()
    if not path.exists():
        raise error(f"{what} {path} does not exist")
    if not path.is_file():
        raise error(f"{what} {path} is not a file")
    try:
        f = path.open("rb")
    except OSError as exc:
        raise error(f"{what} {path}: {exc.strerror or exc}") from None
    with f:
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise error(f"{path}:{lineno}: not UTF-8 text") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise error(f"{path}:{lineno}: not a {what} line ({exc})") from None
            if not isinstance(row, dict):
                raise error(f"{path}:{lineno}: not a {what} line (expected an object)")
            yield lineno, row


def validated(model: type[M], row: dict[str, Any], where: str, error: type[Exception]) -> M:
    """`row` as `model`; a field of the wrong type is `error` naming `where` and the field."""
    try:
        return model.model_validate(row)
    except ValidationError as exc:
        problems = []
        for e in exc.errors()[:3]:
            field = ".".join(map(str, e["loc"])) or "row"
            problems.append(f"`{field}`: {e['msg'].lower()}")
        raise error(f"{where}: " + "; ".join(problems)) from None


def stable_id(text: str) -> str:
    """An id for a row that has none, derived from its text (not its line number), so that
    editing an input file never mismatches the results a resumed run already has."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    return f"t{digest[:12]}"


def split_half(item_id: str) -> str:
    """`dev` or `held-out`, fixed by an item's id alone: the half of a benchmark that may be
    read while tuning, and the half that is only measured."""
    return "dev" if hashlib.sha1(item_id.encode()).digest()[0] % 2 == 0 else "held-out"


def write_jsonl(path: Path | str, rows: Iterable[dict[str, Any]]) -> None:
    """One object per line, UTF-8, non-ASCII kept as written (Lean's symbols stay readable)."""
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
