"""The entry point :func:`solve`: pick the search by size, re-run from a draft moving as few
meetings as possible, and enforce the break caps."""

from __future__ import annotations

import random
from collections.abc import Callable

from ..cpsat import Window
from ..greedy import construct, default_order, repair
from ..instance import Instance, State
from ..model import Problem, ProblemError, Schedule
from .common import (
    LNS_DAY_SIZE,
    LNS_LIMIT,
    LNS_SIZE,
    SMALL_MEETINGS,
    WORKERS,
    Clock,
    Progress,
    place_pins,
    status_note,
)
from .large import day_neighbourhood, plan_days, random_neighbourhood, solve_large
from .small import solve_small


def _enforce_break_caps(state: State) -> None:
    """Pins alone may exceed a max_breaks that later meetings were meant to close; if the
    search could not close them, drop that participant's unpinned meetings until it fits."""
    inst = state.inst
    over = [p for p in range(inst.P) if state.nbreaks[p] > inst.max_breaks[p]]
    while over:
        p = over.pop()
        while state.nbreaks[p] > inst.max_breaks[p]:
            movable = [m for m in inst.meetings_of[p] if state.slot_of[m] >= 0 and not inst.pinned[m]]
            if not movable:
                raise ProblemError(
                    f"the pinned meetings of {inst.problem.participants[p].id!r} exceed its max_breaks"
                )
            s_of = state.slot_of
            m = min(movable, key=lambda m: (state.remove_delta(p, s_of[m]), inst.w[m], m))
            state.remove(m)
            over += [q for q in inst.parts[m] if state.nbreaks[q] > inst.max_breaks[q]]


def _initial_slots(inst: Instance, initial: Schedule) -> tuple[dict[int, int], dict[int, int]]:
    """The earlier schedule's slot (and table) per meeting, for the meetings, slots and
    tables that still exist and slots the meeting may still take on its own."""
    problem = inst.problem
    m_idx = {m.id: i for i, m in enumerate(problem.meetings)}
    l_idx = {loc.id: i for i, loc in enumerate(problem.locations)}
    slots: dict[int, int] = {}
    tables: dict[int, int] = {}
    for a in initial.assignments:
        m = m_idx.get(a.meeting)
        s = problem.slot_index.get(a.slot)
        if m is None or s is None or not inst.dom[m] >> s & 1:
            continue
        slots[m] = s
        if a.location is not None and a.location in l_idx:
            tables[m] = l_idx[a.location]
    return slots, tables


def _rerun(state: State, clock: Clock, rng: random.Random, seed: int, keep: dict[int, int]) -> str:
    """From an earlier schedule: keep its meetings where they are (those that still fit,
    most valuable first), add the others, then search windows that rank a schedule by
    priority sum, then by meetings kept in place, then by breaks."""
    inst = state.inst
    for m in sorted(keep, key=lambda m: (-inst.w[m], m)):
        if state.slot_of[m] < 0 and state.can_place(m, keep[m]):
            state.place(m, keep[m])
    construct(state, default_order(inst))
    repair(state, rng, clock.over, depth=1)

    def kept() -> int:
        return sum(1 for m, s in keep.items() if state.slot_of[m] == s)

    clock.report(status_note(state, clock, "earlier schedule kept", moved=len(keep) - kept()))
    rounds = 0
    while not clock.over() and clock.left() > 0.5:
        unsched = [m for m in range(inst.M) if state.slot_of[m] < 0 and state.free_slots(m)]
        if not unsched and state.breaks_total() == 0:
            break
        found = None if unsched and rng.random() < 0.7 else day_neighbourhood(state, rng, LNS_DAY_SIZE // 2)
        if found is None:
            if not unsched:
                break
            free, day = random_neighbourhood(state, rng, LNS_SIZE // 2), None
        else:
            day, free = found
        before = (state.value, kept(), -state.breaks_total())
        snapshot = {m: state.slot_of[m] for m in free}
        window = Window(
            state,
            free,
            breaks="all",
            slot_mask=None if day is None else inst.day_mask[day],
            keep={m: keep[m] for m in free if m in keep},
        )
        window.hint()
        ok, _ = window.solve(
            max(0.2, min(LNS_LIMIT, clock.left() - 0.3)),
            seed=seed + rounds,
            workers=WORKERS,
            should_stop=clock.stop_requested,
        )
        if ok and (state.value, kept(), -state.breaks_total()) < before:
            for m in free:
                if state.slot_of[m] >= 0:
                    state.remove(m)
            for m, s in snapshot.items():
                if s >= 0:
                    state.place(m, s)
        rounds += 1
        if rounds % 10 == 0:
            clock.report(status_note(state, clock, f"search ({rounds} windows)", moved=len(keep) - kept()))
    return f"re-run from an earlier schedule+lns({rounds})"


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    initial: Schedule | None = None,
) -> Schedule:
    """Schedule as many meetings as possible (by priority sum), then with fewest breaks.

    Returns within about `time_limit` seconds (or soon after `should_stop()` turns
    True) with the best schedule found. Raises `ProblemError` when the pinned meetings
    cannot all be placed. ``initial``: an earlier schedule (of this problem or of an
    earlier version of it) to resume from: its meetings stay where they are unless
    moving them lets more priority in; ``info["moved"]`` and ``info["dropped"]`` count
    those that moved and those no longer scheduled.
    """
    clock = Clock(time_limit, should_stop, progress)
    rng = random.Random(seed)  # noqa: S311 -- seeded for repeatable search, not for security
    inst = Instance(problem)
    state = State(inst)
    clock.report("placing pinned meetings")
    place_pins(state, clock, seed)
    keep, tables = _initial_slots(inst, initial) if initial is not None else ({}, {})
    plan = plan_days(state, clock)
    if initial is not None:
        method = _rerun(state, clock, rng, seed, keep)
    else:
        construct(state, default_order(inst))
        clock.report(status_note(state, clock, "greedy"))
        if clock.over():
            method = "greedy"
        elif inst.M * inst.S <= SMALL_MEETINGS * 30:
            method = solve_small(state, clock, rng, seed)
        else:
            method = solve_large(state, clock, rng, seed, plan)
    _enforce_break_caps(state)
    schedule = state.to_schedule(prefer=tables)
    schedule.info = {
        "method": method,
        "elapsed": round(clock.elapsed(), 3),
        "stopped": clock.stopped,
        "seed": seed,
        "bound": clock.bound,
        "best_at": round(clock.best_at if clock.best_at is not None else clock.elapsed(), 3),
    }
    if initial is not None:
        schedule.info["moved"], schedule.info["dropped"] = moved_meetings(initial, schedule)
    clock.report("done")
    return schedule


def moved_meetings(before: Schedule, after: Schedule) -> tuple[int, int]:
    """(moved, dropped): meetings scheduled in both that changed slot or table, and
    meetings scheduled before that are unscheduled now."""
    old = {a.meeting: (a.slot, a.location) for a in before.assignments}
    new = {a.meeting: (a.slot, a.location) for a in after.assignments}
    unscheduled = set(after.unscheduled)
    moved = sum(1 for m, place in old.items() if m in new and new[m] != place)
    return moved, sum(1 for m in old if m in unscheduled)
