"""What both searches share: the time shares and window sizes, the clock that divides the
time limit, placing the pinned meetings first, and the progress notes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NotRequired, TypedDict

from ..cpsat import Window
from ..greedy import construct
from ..instance import NO_CAP, State
from ..model import ProblemError

LNS_BREAKS = "caps"  # LNS windows: priority only, max_breaks enforced (breaks: `compact`)
LNS_LIMIT = 1.0  # seconds per window
LNS_SIZE = 200  # meetings per window
LNS_DAY_SIZE = 150  # meetings per breaks window (one day)
BREAK_WINDOWS = 0.25  # share of the windows spent on breaks while priority can still grow
DAY_PRIORITY_WINDOWS = 0.8  # share of the priority windows taken on one day (the rest: all days)
PLAN_SHARE = 0.15  # of the time, at most: the day relaxation
REPAIR_SHARE = 0.08  # of the time: ejection chains after the day plan
LNS_FULL_LIMIT = 2.0  # seconds per window of the small-problem search
FEASIBLE_SHARE = 0.4  # of the time, at most: the search for any complete schedule
DECISION_SHARE = 0.8  # of the time, in all: ... and for one at the lower bound
DECISION_SLICE = 4.0  # seconds per restart of that search
WORKERS = 2  # CP-SAT workers (the target machine has two cores)
SMALL_MEETINGS = 1500  # at most this many meetings (x slots / 30): the exact model

Progress = Callable[[float, str], None]


class Clock:
    def __init__(self, time_limit: float, should_stop: Callable[[], bool] | None, progress: Progress | None):
        self.start = time.monotonic()
        self.end = self.start + max(0.0, time_limit)
        self.should_stop = should_stop
        self.progress = progress
        self.stopped = False
        self._last_check = 0.0
        self.bound: int | None = None  # proved upper bound on the priority sum, if any
        self.best_at: float | None = None  # seconds until the final best schedule (small problems)

    def left(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def over(self) -> bool:
        now = time.monotonic()
        if now >= self.end:
            return True
        if self.should_stop is not None and now - self._last_check > 0.05:
            self._last_check = now
            if self.should_stop():
                self.stopped = True
        return self.stopped

    def stop_requested(self) -> bool:
        if self.should_stop is not None and not self.stopped and self.should_stop():
            self.stopped = True
        return self.stopped

    def report(self, message: str) -> None:
        if self.progress is not None:
            total = self.end - self.start
            self.progress(min(1.0, self.elapsed() / total) if total > 0 else 1.0, message)


def place_pins(state: State, clock: Clock, seed: int) -> None:
    inst = state.inst
    pins = [m for m in range(inst.M) if inst.pinned[m]]
    if not pins:
        return
    for m in pins:
        if not inst.dom[m]:
            raise ProblemError(
                f"pinned meeting {inst.problem.meetings[m].id!r} has no slot where it can take place"
            )
    # max_breaks is left out here: meetings placed later between pins can remove breaks
    caps, inst.max_breaks = inst.max_breaks, [NO_CAP] * inst.P
    try:
        construct(state, sorted(pins, key=lambda m: (inst.dom[m].bit_count(), m)), use_demand=False)
        if all(state.slot_of[m] >= 0 for m in pins):
            return
        for m in pins:
            if state.slot_of[m] >= 0:
                state.remove(m)
        window = Window(state, pins, must=pins, breaks="caps")
        ok, status = window.solve(max(1.0, min(30.0, clock.left())), seed=seed)
    finally:
        inst.max_breaks = caps
    if not ok:
        if status == "INFEASIBLE":
            raise ProblemError("the pinned meetings cannot all be placed together")
        raise ProblemError("no placement of the pinned meetings was found in the time allowed")


class NoteFacts(TypedDict):
    priority: int
    bound: int | None
    gap: float | None  # in %, once there is a bound
    breaks: int
    moved: NotRequired[int]


class Note(str):
    """A progress message that also carries its figures in ``facts`` (priority, bound,
    gap in %, breaks; moved on a re-run), for callers that word their own message."""

    facts: NoteFacts


def status_note(state: State, clock: Clock, what: str, moved: int | None = None) -> Note:
    """'what: priority V of at most B (gap G %), N breaks' for progress reports."""
    facts: NoteFacts = {
        "priority": state.value,
        "bound": clock.bound,
        "gap": None,
        "breaks": state.breaks_total(),
    }
    text = f"{what}: priority {state.value}"
    if clock.bound:
        facts["gap"] = 100.0 * (clock.bound - state.value) / clock.bound
        text += f" of at most {clock.bound} (gap {facts['gap']:.2f} %)"
    text += f", {facts['breaks']} breaks"
    if moved is not None:
        facts["moved"] = moved
        text += f", {moved} moved"
    note = Note(text)
    note.facts = facts
    return note
