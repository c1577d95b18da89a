"""Show-sized rounds: the day relaxation, the schedule it plans day by day, and the
large-neighbourhood search by windows of meetings and of days, then fewer breaks."""

from __future__ import annotations

import random
import time

from .. import days
from ..cpsat import Window
from ..greedy import compact, construct, default_order, repair, swap_pass
from ..instance import State
from .common import (
    BREAK_WINDOWS,
    DAY_PRIORITY_WINDOWS,
    LNS_BREAKS,
    LNS_DAY_SIZE,
    LNS_LIMIT,
    LNS_SIZE,
    PLAN_SHARE,
    REPAIR_SHARE,
    WORKERS,
    Clock,
    status_note,
)


def plan_days(state: State, clock: Clock) -> days.DayPlan | None:
    """Solve the day relaxation (`days.day_plan`) with the pins' days fixed, and record
    its bound on the priority sum on the clock."""
    inst = state.inst
    pins = {m: inst.day[state.slot_of[m]] for m in range(inst.M) if inst.pinned[m] and state.slot_of[m] >= 0}
    limit = max(1.0, min(PLAN_SHARE * (clock.end - clock.start), clock.left() - 1.0))
    plan = days.day_plan(inst, limit, pins)
    if plan is not None and plan.bound is not None:
        clock.bound = plan.bound
    return plan


def _day_planned(state: State, clock: Clock, rng: random.Random, plan: days.DayPlan) -> State:
    """A schedule built day by day from the day plan: each meeting's domain narrowed to
    its planned day, then the greedy construction and a short repair."""
    inst = state.inst
    pins = {m: state.slot_of[m] for m in range(inst.M) if inst.pinned[m] and state.slot_of[m] >= 0}
    total = clock.end - clock.start
    clock.report(f"day plan: {plan.value} priority planned")
    planned = State(inst)
    for m, s in pins.items():
        planned.place(m, s)
    saved = list(inst.dom)
    try:
        for m in range(inst.M):
            if m not in pins:
                d = plan.day_of[m]
                inst.dom[m] = inst.dom[m] & inst.day_mask[d] if d >= 0 else 0
        construct(planned, default_order(inst))
        end = time.monotonic() + 0.05 * total
        repair(planned, rng, lambda: time.monotonic() > end or clock.over(), rounds=2)
    finally:
        inst.dom[:] = saved
    return planned


PROMISING = 0.8  # share of the windows started from a meeting that could pay its way in


def seed_meeting(state: State, rng: random.Random) -> int | None:
    """A valuable unscheduled meeting to start a priority window from (None: all are
    scheduled). Mostly one that could pay its way in: worth more than the least valuable
    meetings its participants who are at their max_meetings would have to give up (a
    meeting worth less cannot enter without a loss, save by a longer chain of changes)."""
    inst = state.inst
    unsched = [m for m in range(inst.M) if state.slot_of[m] < 0 and inst.dom[m]]
    if not unsched:
        return None
    if rng.random() < PROMISING:
        cost = {}
        for m in unsched:
            for p in inst.parts[m]:
                if p not in cost:
                    full = state.count[p] >= inst.cap[p]
                    ws = [inst.w[b] for b in state.at[p].values() if not inst.pinned[b]] if full else [0]
                    cost[p] = min(ws, default=1 << 30)
        margin = {m: inst.w[m] - sum(cost[p] for p in inst.parts[m]) for m in unsched}
        promising = [m for m in unsched if margin[m] > 0]
        if promising:
            return max(rng.sample(promising, min(8, len(promising))), key=lambda m: (margin[m], inst.w[m]))
    return max(rng.sample(unsched, min(8, len(unsched))), key=lambda m: inst.w[m])


def random_neighbourhood(state: State, rng: random.Random, size: int) -> set[int]:
    """Priority window: the meetings around a valuable unscheduled meeting (or around a
    random participant): its participants' meetings, some of their partners' ..."""
    inst = state.inst
    m0 = seed_meeting(state, rng) if rng.random() < 0.8 else None
    people = list(inst.parts[m0]) if m0 is not None else [rng.randrange(inst.P)]
    chosen = set(people)
    free: set[int] = set()
    frontier = list(people)
    while frontier and len(free) < size:
        p = frontier.pop(0)
        for m in inst.meetings_of[p]:
            if inst.dom[m] and len(free) < size:
                free.add(m)
                for q in inst.parts[m]:
                    if q not in chosen and rng.random() < 0.35:
                        chosen.add(q)
                        frontier.append(q)
    return free


def _day_closure(
    state: State, rng: random.Random, d: int, people: list[int], free: set[int], size: int
) -> set[int]:
    """Adds to ``free`` the day-``d`` meetings of ``people``, of their partners, theirs ...
    (breadth first, each person's meetings in random order) and the unscheduled meetings
    among them that could take day ``d``, until ``size`` meetings."""
    inst = state.inst
    dm = inst.day_mask[d]
    seen, i = set(people), 0
    while i < len(people) and len(free) < size:
        q = people[i]
        i += 1
        ms = list(inst.meetings_of[q])
        rng.shuffle(ms)
        for m in ms:
            s = state.slot_of[m]
            if (s >= 0 and inst.day[s] == d) or (s < 0 and inst.dom[m] & dm):
                free.add(m)
                for r in inst.parts[m]:
                    if r not in seen:
                        seen.add(r)
                        people.append(r)
    return free


def day_neighbourhood(state: State, rng: random.Random, size: int) -> tuple[int, set[int]] | None:
    """Breaks window: a participant with a break on some day, its meetings that day,
    its partners' meetings that day, theirs ... (breadth first), plus the unscheduled
    meetings among them that could take that day."""
    inst = state.inst
    broken = [p for p in range(inst.P) if state.nbreaks[p] > 0]
    if not broken:
        return None
    p = rng.choice(broken)
    ds = [d for d, dm in enumerate(inst.day_mask) if inst.breaks_of_mask(state.busy[p] & dm) > 0]
    if not ds:
        return None
    d = rng.choice(ds)
    return d, _day_closure(state, rng, d, [p], set(), size)


def day_priority_neighbourhood(
    state: State, rng: random.Random, size: int, plan: days.DayPlan | None
) -> tuple[int, set[int]] | None:
    """Priority window on one day: a valuable unscheduled meeting, the day it could take
    (mostly the one the day plan gave it), and that day's meetings of its participants, of
    their partners, theirs ... (breadth first), with the unscheduled meetings among them that
    could take that day. One day deep rather than four days shallow: room for the meeting
    is usually made by moving a chain of meetings within the same day."""
    inst = state.inst
    m0 = seed_meeting(state, rng)
    if m0 is None:
        return None
    open_days = [d for d, dm in enumerate(inst.day_mask) if inst.dom[m0] & dm]
    if not open_days:
        return None
    planned = plan.day_of[m0] if plan is not None else -1
    d = planned if planned in open_days and rng.random() < 0.7 else rng.choice(open_days)
    return d, _day_closure(state, rng, d, list(inst.parts[m0]), {m0}, size)


def solve_large(state: State, clock: Clock, rng: random.Random, seed: int, plan: days.DayPlan | None) -> str:
    inst = state.inst
    total = clock.end - clock.start
    method = "greedy"
    planned = _day_planned(state, clock, rng, plan) if plan is not None and not clock.over() else None
    if planned is not None and (planned.value, -planned.breaks_total()) > (
        state.value,
        -state.breaks_total(),
    ):
        state.load_assignment(planned.slot_of)
        method = "day plan"
    repair_end = time.monotonic() + REPAIR_SHARE * total
    repair(state, rng, lambda: time.monotonic() > repair_end or clock.over(), full_slots=True)
    clock.report(status_note(state, clock, "repaired"))
    _fewer_breaks(state, clock)
    clock.report(status_note(state, clock, "breaks reduced"))
    method += "+repair"
    # large-neighbourhood search with CP-SAT windows: for priority (everything may move,
    # breaks only capped) and for breaks (one day of a participant with breaks and of
    # its partners; more priority is still welcome)
    reserve = min(8.0, 0.1 * total)
    lns_end = clock.end - reserve
    rounds = 0
    while time.monotonic() < lns_end - 0.5 and not clock.over():
        if clock.bound is not None and state.value >= clock.bound and state.breaks_total() == 0:
            break
        gap_open = clock.bound is None or state.value < clock.bound
        day = None
        for_priority = True
        if not gap_open or rng.random() < BREAK_WINDOWS:
            found = day_neighbourhood(state, rng, LNS_DAY_SIZE)
            if found is not None:
                (day, free), for_priority = found, False
        elif rng.random() < DAY_PRIORITY_WINDOWS:
            found = day_priority_neighbourhood(state, rng, LNS_SIZE, plan)
            if found is not None:
                day, free = found
        if day is None:
            free = random_neighbourhood(state, rng, LNS_SIZE)
        if not free:
            rounds += 1
            continue
        before = (state.value, -state.breaks_total())
        snapshot = {m: state.slot_of[m] for m in free}
        if day is None:
            window = Window(state, free, breaks=LNS_BREAKS)
        else:
            window = Window(
                state, free, breaks=LNS_BREAKS if for_priority else "all", slot_mask=inst.day_mask[day]
            )
        window.hint()
        limit = min(LNS_LIMIT, lns_end - time.monotonic())
        ok, _ = window.solve(
            max(0.2, limit), seed=seed + rounds, workers=WORKERS, should_stop=clock.stop_requested
        )
        if ok and (state.value, -state.breaks_total()) < before:
            for m in free:
                if state.slot_of[m] >= 0:
                    state.remove(m)
            for m, s in snapshot.items():
                if s >= 0:
                    state.place(m, s)
        rounds += 1
        if rounds % 10 == 0:
            clock.report(status_note(state, clock, f"search ({rounds} windows)"))
    if rounds:
        method += f"+lns({rounds})"
    repair_end = time.monotonic() + reserve / 3
    repair(state, rng, lambda: time.monotonic() > repair_end or clock.over(), rounds=1, full_slots=True)
    _fewer_breaks(state, clock, final=True)
    return method


def _fewer_breaks(state: State, clock: Clock, final: bool = False) -> None:
    """Single-meeting moves and swaps of two meetings of one participant's day, while
    they save breaks (a few seconds at show scale)."""
    if final:

        def over() -> bool:
            return clock.left() < 0 or clock.stop_requested()
    else:
        over = clock.over
    before = state.breaks_total() + 1
    while state.breaks_total() < before and not over():
        before = state.breaks_total()
        compact(state, over)
        if swap_pass(state, over) < max(1, before // 1000):
            compact(state, over)
            break
