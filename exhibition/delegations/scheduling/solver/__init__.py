"""The search: greedy insertion plus iterated local search, delegation by delegation.

See the scheduling package's docstring for the method. The public entry points are
:func:`plan` and :func:`replan_delegation`; the modules are the search's internals, in
layers: ``state`` (stand timelines and the search state), ``routes`` (route arithmetic with
one delegation detached), ``search`` (the heuristics for one delegation), ``fixed`` (pinned
and required visits), ``run`` (the time budget, the output, and the entry points)."""

from .run import Note, plan, replan_delegation
from .state import (
    GRASP_NOISES,
    INF,
    NOISES,
    REQUIRED_BONUS,
    RESTART_IDLE,
    TRAJECTORY_RESTARTS,
    Progress,
    ShouldStop,
)

__all__ = [
    "GRASP_NOISES",
    "INF",
    "NOISES",
    "REQUIRED_BONUS",
    "RESTART_IDLE",
    "TRAJECTORY_RESTARTS",
    "Note",
    "Progress",
    "ShouldStop",
    "plan",
    "replan_delegation",
]
