"""Writes for programmes: hand edits with instant validation, planning runs and their
write-back, publishing with notifications, and the "running late" re-plan. One module per
concept; import them from here."""

from .planning import (
    MAX_ATTEMPTS,
    QUEUE_TIMEOUT,
    RunStillBeating,
    cancel_planning,
    claim_planning,
    clock_time,
    current_plan,
    execute_planning,
    running_late,
    start_planning,
    sweep_planning_runs,
    write_back,
)
from .publishing import publish_all, publish_changes, publish_programme
from .visits import (
    DEFAULT_DURATION,
    Placement,
    add_visit,
    check_placement,
    duration_for,
    move_visit,
    pin_visit,
    remove_visit,
)

__all__ = [
    "DEFAULT_DURATION",
    "MAX_ATTEMPTS",
    "QUEUE_TIMEOUT",
    "Placement",
    "RunStillBeating",
    "add_visit",
    "cancel_planning",
    "check_placement",
    "claim_planning",
    "clock_time",
    "current_plan",
    "duration_for",
    "execute_planning",
    "move_visit",
    "pin_visit",
    "publish_all",
    "publish_changes",
    "publish_programme",
    "remove_visit",
    "running_late",
    "start_planning",
    "sweep_planning_runs",
    "write_back",
]
