"""Parser worker processes that never outlive the command that started them.

A `SIGKILL` of `autoformalizer index` gives its pool no chance to stop its workers, which then
wait forever on a pipe nobody writes to. Each worker asks the kernel to end it when its parent
dies (`PR_SET_PDEATHSIG`, Linux) and, on any system, watches its parent's process id.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the watchdog below does the job
    if os.getppid() != parent:  # the parent died before the kernel was asked
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init(parent: int) -> None:
    # Workers make short-lived objects without cycles: the cyclic GC only costs time there.
    gc.disable()
    _die_with(parent)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers end when this process ends, however it ends."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(os.getpid(),))
