"""Start long work after the transaction commits, without holding the request.

With a broker, :func:`dispatch` queues the task after commit, as ``task.delay`` would. With
Celery eager (the embedded demo: SQLite, no Redis) ``delay`` would run a 20-second planner
inside the request that started it; here the task runs in a background thread instead, so
the page that started it returns at once and polls the progress like it does with a worker.

``BACKGROUND_THREADS = False`` (the test settings) keeps eager tasks in the caller's thread,
so a test sees the finished work when its request returns; a browser test that wants the
real behaviour sets it back and waits with :func:`wait_for_background`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

_threads: list[threading.Thread] = []
_lock = threading.Lock()
_local = threading.local()


def in_background() -> bool:
    """True inside a task that :func:`dispatch` runs in a thread: it outlives the request, so
    it beats its heartbeat from a thread as a worker would."""
    return getattr(_local, "active", False)


def runs_in_thread() -> bool:
    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)) and bool(
        getattr(settings, "BACKGROUND_THREADS", True)
    )


def _run(task: Any, kwargs: dict[str, Any]) -> None:
    close_old_connections()
    _local.active = True
    try:
        task.apply(kwargs=kwargs)
    except Exception:  # the task records its own failure on its row; this thread must not die loudly
        logger.exception("Background task %s failed", task.name)
    finally:
        _local.active = False
        connections.close_all()


def dispatch(task: Any, **kwargs: Any) -> None:
    """Queue ``task`` with keyword arguments once the current transaction commits."""

    def send() -> None:
        if not runs_in_thread():
            try:
                task.delay(**kwargs)
            except Exception:  # broker down: the work stays queued on its row, which says so
                logger.warning("Could not queue %s %s", task.name, kwargs, exc_info=True)
            return
        thread = threading.Thread(
            target=_run, args=(task, kwargs), name=f"background:{task.name}", daemon=True
        )
        with _lock:
            _threads[:] = [t for t in _threads if t.is_alive()]
            _threads.append(thread)
        thread.start()

    transaction.on_commit(send)


def wait_for_background(timeout: float = 60.0) -> bool:
    """Wait for the background threads started so far (tests, management commands). True when all ended."""
    with _lock:
        pending = list(_threads)
    for thread in pending:
        thread.join(timeout)
    return not any(t.is_alive() for t in pending)
