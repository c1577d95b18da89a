"""Heartbeats for long background runs (planning runs, meeting rounds).

A run records which worker process is on it and, every few seconds, that it is still alive.
A worker that dies (killed, out of memory, host lost) stops beating: the periodic sweep
then marks its run failed within a minute or two, and a redelivered task may take the run
over once the beat is stale. The beat comes from a thread of its own, so it keeps going
while the planner computes, reads or writes for long stretches without reporting progress.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Model, Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def interval() -> float:
    return float(getattr(settings, "RUN_HEARTBEAT_SECONDS", 5))


def stale_after() -> timedelta:
    """A beat older than this: the worker is presumed gone (a redelivered task may take over)."""
    return timedelta(seconds=float(getattr(settings, "RUN_STALE_SECONDS", 30)))


def dead_after() -> timedelta:
    """A beat older than this: the sweep marks the run failed."""
    return timedelta(seconds=float(getattr(settings, "RUN_DEAD_SECONDS", 90)))


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def stale_q(field: str = "heartbeat_at", *, older_than: timedelta | None = None) -> Q:
    """Runs whose last beat is older than ``older_than`` (never beaten counts as old)."""
    cutoff = timezone.now() - (older_than or stale_after())
    return Q(**{f"{field}__lt": cutoff}) | Q(**{f"{field}__isnull": True})


@contextmanager
def beating(
    model: type[Model], pk: int, *, field: str = "heartbeat_at", threaded: bool = True
) -> Iterator[None]:
    """Beat for the run ``model(pk)`` while the block runs. ``threaded=False`` (tasks run
    eagerly in the web process) beats once: the request itself is alive."""
    model.objects.filter(pk=pk).update(**{field: timezone.now()})
    if not threaded:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval()):
                try:
                    model.objects.filter(pk=pk).update(**{field: timezone.now()})
                except Exception:  # a missed beat is not fatal; the next one may pass
                    logger.warning("heartbeat of %s %s failed", model.__name__, pk, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval() + 5)
