"""Command-line core shared by ``python -m exhibition.meetings.scheduling`` and the
``schedule_meetings`` management command."""

from __future__ import annotations

import json
from pathlib import Path

from . import evaluate, read_problem, schedule_to_dict, solve
from .model import ProblemError


class CommandFailed(Exception):
    pass


def run(problem_path: str, out_path: str, time_limit: float = 60.0, seed: int = 0) -> str:
    """Read, solve, write; return the one-line summary. Raises CommandFailed with a clear
    message for unreadable input."""
    try:
        with open(problem_path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise CommandFailed(f"cannot read {problem_path}: {e.strerror or e}") from None
    except ValueError as e:
        raise CommandFailed(f"{problem_path} is not valid JSON: {e}") from None
    try:
        problem = read_problem(data)
        schedule = solve(problem, time_limit=time_limit, seed=seed)
    except ProblemError as e:
        raise CommandFailed(f"{problem_path}: {e.message}") from None
    try:
        Path(out_path).write_text(json.dumps(schedule_to_dict(schedule), indent=1) + "\n", encoding="utf-8")
    except OSError as e:
        raise CommandFailed(f"cannot write {out_path}: {e.strerror or e}") from None
    ev = evaluate(problem, schedule)
    return (
        f"scheduled {ev.scheduled}/{ev.total} meetings, priority sum {ev.priority_sum}/{ev.priority_total}, "
        f"breaks {ev.breaks} ({schedule.info.get('method')}, {schedule.info.get('elapsed')} s)"
    )
