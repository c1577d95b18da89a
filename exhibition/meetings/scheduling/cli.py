"""Command-line core shared by ``python -m exhibition.meetings.scheduling`` and the
``schedule_meetings`` management command.

The run is anytime: progress lines (with the priority sum, the bound and the gap)
go to ``report`` as the search goes, and an interrupt (Ctrl-C, SIGTERM) stops the
search, after which the best valid schedule found so far is written as usual.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from . import evaluate, read_problem, schedule_to_dict, solve
from .model import ProblemError


class CommandFailed(Exception):
    pass


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGINT or SIGTERM while the block runs (in the main thread only;
    elsewhere the event is never set), with the previous handlers restored after."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    old = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, h in old.items():
            signal.signal(sig, h)


def run(
    problem_path: str,
    out_path: str,
    time_limit: float = 60.0,
    seed: int = 0,
    report: Callable[[str], None] | None = None,
) -> str:
    """Read, solve, write; return the one-line summary. Raises CommandFailed with a clear
    message for unreadable input."""
    try:
        with open(problem_path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise CommandFailed(f"cannot read {problem_path}: {e.strerror or e}") from None
    except ValueError as e:
        raise CommandFailed(f"{problem_path} is not valid JSON: {e}") from None
    started = time.monotonic()

    def progress(fraction: float, message: str) -> None:
        if report is not None:
            report(f"[{time.monotonic() - started:6.1f} s] {message}")

    try:
        problem = read_problem(data)
        with stop_on_signals() as stop:
            schedule = solve(
                problem, time_limit=time_limit, seed=seed, progress=progress, should_stop=stop.is_set
            )
    except ProblemError as e:
        raise CommandFailed(f"{problem_path}: {e.message}") from None
    try:
        Path(out_path).write_text(json.dumps(schedule_to_dict(schedule), indent=1) + "\n", encoding="utf-8")
    except OSError as e:
        raise CommandFailed(f"cannot write {out_path}: {e.strerror or e}") from None
    ev = evaluate(problem, schedule)
    bound = schedule.info.get("bound")
    gap = ""
    if bound:
        gap = f" (bound {bound}, gap {100.0 * (bound - ev.priority_sum) / bound:.2f} %)"
    stopped = ", stopped early: best so far" if schedule.info.get("stopped") else ""
    return (
        f"scheduled {ev.scheduled}/{ev.total} meetings, priority sum {ev.priority_sum}/{ev.priority_total}{gap}, "
        f"breaks {ev.breaks} ({schedule.info.get('method')}, {schedule.info.get('elapsed')} s{stopped})"
    )
