"""Stopping a native solver from Python while it searches."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def interrupt_when(stop: Callable[[], bool], interrupt: Callable[[], None], every: float) -> Iterator[None]:
    """While the block runs, a watcher thread polls ``stop()`` every ``every`` seconds and
    calls ``interrupt()`` once when it turns True. The solver called inside the block must
    release the GIL while it searches (CP-SAT does)."""
    done = threading.Event()

    def watch() -> None:
        while not done.wait(every):
            if stop():
                interrupt()
                return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
