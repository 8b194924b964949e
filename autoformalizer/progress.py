"""A tqdm bar driven by `(done, total)` callbacks, as the indexer and batch jobs report."""

from __future__ import annotations

import sys
from collections.abc import Callable


def progress_bar(desc: str, unit: str = "file") -> Callable[[int, int], None]:
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not bar or bar[0].total != total:
            if bar:
                bar[0].close()
                bar.clear()
            bar.append(
                tqdm(
                    total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, mininterval=1.0
                )
            )
        bar[0].update(done - bar[0].n)
        if done >= total:
            bar[0].close()

    return update
