"""`formalize_batch`: many statements, bounded concurrency, results appended as they finish.

Each finished `Formalization` is appended to the output JSONL at once (one line, flushed), so
an interrupted run loses at most the items in flight; a rerun with the same output skips every
id already there.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from pydantic import BaseModel

from formalizer.models import Formalization
from formalizer.pipeline import Resources, Settings, _run
from formalizer.prompt import DEFAULT_HEADER
from indexer.errors import UserError


class BatchItem(BaseModel):
    id: str
    text: str
    header: str = DEFAULT_HEADER


class BatchInputError(UserError, ValueError):
    pass


class _InputRow(BaseModel):
    id: str | int | None = None
    name: str | None = None
    full_name: str | None = None
    text: str | None = None
    informal_statement: str | None = None
    informal_stmt: str | None = None
    header: str | None = None


def read_items(path: Path) -> list[BatchItem]:
    """Rows `{"id", "text"}` (or `informal_statement`/`informal_stmt`, `name`), optional
    header. A row without an id gets one from its text, so edits elsewhere in the file never
    change which results a resumed run considers done."""
    from indexer.jsonl import iter_jsonl, stable_id, validated

    items: list[BatchItem] = []
    seen: set[str] = set()
    for lineno, row in iter_jsonl(path, BatchInputError, "input"):
        r = validated(_InputRow, row, f"{path}:{lineno}", BatchInputError)
        text = r.text or r.informal_statement or r.informal_stmt
        if not text or not text.strip():
            raise BatchInputError(f"{path}:{lineno}: no `text` to formalize")
        given = r.id if r.id is not None else r.name or r.full_name
        ident = str(given) if given is not None else stable_id(text)
        if ident in seen:
            raise BatchInputError(f"{path}:{lineno}: duplicate id {ident!r}")
        seen.add(ident)
        items.append(BatchItem(id=ident, text=text, header=r.header or DEFAULT_HEADER))
    return items


def done_ids(output: Path) -> set[str]:
    """Ids already in `output` (a truncated last line from a crash is ignored)."""
    if not output.is_file():
        return set()
    ids = set()
    with output.open(encoding="utf-8") as f:
        for line in f:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and row.get("id") is not None:
                ids.add(str(row["id"]))
    return ids


def formalize_batch(
    items: Iterable[BatchItem],
    resources: Resources,
    output: Path,
    *,
    concurrency: int = 8,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Formalization]:
    """Formalize every item not yet in `output`; returns the new results (in finishing order)."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    cfg = settings or Settings()
    skip = done_ids(output)
    todo = [it for it in items if it.id not in skip]
    output.parent.mkdir(parents=True, exist_ok=True)
    _repair_tail(output)
    lock = threading.Lock()
    results: list[Formalization] = []

    def one(item: BatchItem) -> Formalization:
        try:
            return _run(item.text.strip(), resources, cfg, item.header, item.id)
        except Exception as e:  # one bad item must not stop the batch
            return Formalization(
                id=item.id,
                input=item.text,
                header=item.header,
                error=f"{type(e).__name__}: {e}",
            )

    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="formalize")
    try:
        with output.open("a", encoding="utf-8") as f:
            pending: set[Future[Formalization]] = set()
            queue = iter(todo)
            for item in queue:  # keep at most `concurrency` in flight: lose little on a crash
                pending.add(pool.submit(one, item))
                if len(pending) >= concurrency:
                    break
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    result = fut.result()
                    with lock:
                        f.write(result.model_dump_json() + "\n")
                        f.flush()
                        results.append(result)
                        if progress:
                            progress(len(results), len(todo))
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.add(pool.submit(one, nxt))
    except KeyboardInterrupt:
        # Stop at once: queued items are cancelled and requests in flight abandoned (their
        # threads end with the process); every finished result is already in `output`.
        pool.shutdown(wait=False, cancel_futures=True)
        raise KeyboardInterrupt(
            f"{len(results)} of {len(todo)} items finished and kept in {output}; "
            "run the same command again to resume"
        ) from None
    pool.shutdown(wait=True)
    return results


def _repair_tail(output: Path) -> None:
    """Drop a half-written last line left by a crash, so appends start on a fresh line."""
    if not output.is_file() or output.stat().st_size == 0:
        return
    data = output.read_bytes()
    if data.endswith(b"\n"):
        return
    cut = data.rfind(b"\n") + 1
    with output.open("r+b") as f:
        f.truncate(cut)
