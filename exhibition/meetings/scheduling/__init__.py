"""Batch B2B meeting scheduler: pure Python (OR-Tools CP-SAT, and a SAT solver through
PySAT in a child process), no Django.

    problem = read_problem(json.load(f))             # ProblemError on malformed input
    schedule = solve(problem, time_limit=60, seed=0)   # progress / should_stop optional
    json.dump(schedule_to_dict(schedule), out)        # exhibition.meetings-schedule/v1
    evaluate(problem, schedule).priority_sum, .breaks

The format is ``shared/formats/meetings-v1.md``; how the solver works is in
`solver` (strategy), `cpsat` (the model), and for the B2B benchmark's problems
`blocks` (runs of meetings), `satblocks` (fewest extra breaks by SAT: the encoding)
and `satproc` (CaDiCaL on it, in a child process).
"""

from .evaluate import evaluate
from .io import problem_to_dict, read_problem, read_schedule, schedule_to_dict
from .model import (
    Assignment,
    Evaluation,
    Location,
    Meeting,
    Participant,
    Problem,
    ProblemError,
    Schedule,
    Slot,
)
from .solver import solve

__all__ = [
    "Assignment",
    "Evaluation",
    "Location",
    "Meeting",
    "Participant",
    "Problem",
    "ProblemError",
    "Schedule",
    "Slot",
    "evaluate",
    "problem_to_dict",
    "read_problem",
    "read_schedule",
    "schedule_to_dict",
    "solve",
]
