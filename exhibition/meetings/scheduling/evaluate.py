"""Scoring and checking a schedule against the rules of `exhibition.meetings/v1`.

The independent checker (``shared/tools/check_meetings.py``) is the referee; this is
the same arithmetic, for the solver's own reports and for the Django service.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable

from .model import Evaluation, Problem, Schedule


def breaks_of(positions: Iterable[tuple[int, int]]) -> int:
    """Breaks of one participant, given (day, position in day) of the slots it meets in:
    per day, the gaps between consecutive meeting positions that are more than one apart."""
    per_day: dict[int, list[int]] = defaultdict(list)
    for day, pos in positions:
        per_day[day].append(pos)
    n = 0
    for idx in per_day.values():
        idx.sort()
        n += sum(1 for a, b in itertools.pairwise(idx) if b > a + 1)
    return n


def evaluate(problem: Problem, schedule: Schedule) -> Evaluation:
    """Priority sum, breaks (total and per participant) and any rule violations."""
    errors: list[str] = []
    err = errors.append
    meetings, slot_index = problem.meeting_by_id, problem.slot_index
    participants, locations = problem.participant_by_id, problem.location_by_id
    day_pos = {}
    for d, idx in enumerate(problem.days):
        for pos, i in enumerate(idx):
            day_pos[problem.slots[i].id] = (d, pos)

    seen: set[str] = set()
    placed: dict[str, tuple[str, str | None]] = {}
    for a in schedule.assignments:
        m = meetings.get(a.meeting)
        if m is None:
            err(f"unknown meeting {a.meeting!r}")
            continue
        if a.meeting in seen:
            err(f"meeting {a.meeting!r} appears more than once")
            continue
        seen.add(a.meeting)
        if a.slot not in slot_index:
            err(f"meeting {m.id!r}: unknown slot {a.slot!r} (rule 1)")
            continue
        if locations:
            loc = locations.get(a.location) if a.location is not None else None
            if loc is None:
                err(f"meeting {m.id!r}: needs one of the problem's locations, got {a.location!r} (rule 1)")
            elif a.slot in loc.unavailable:
                err(f"meeting {m.id!r}: location {loc.id!r} is unavailable in {a.slot!r} (rule 3)")
        elif a.location is not None:
            err(f"meeting {m.id!r}: the problem has no locations, so location must be null (rule 1)")
        for p in m.participants:
            if a.slot in participants[p].unavailable:
                err(f"meeting {m.id!r}: participant {p!r} is unavailable in {a.slot!r} (rule 3)")
        if m.slots is not None and a.slot not in m.slots:
            err(f"meeting {m.id!r}: {a.slot!r} is not among its allowed slots (rule 6)")
        if m.fixed_slot is not None and a.slot != m.fixed_slot:
            err(f"meeting {m.id!r}: pinned to slot {m.fixed_slot!r}, scheduled in {a.slot!r} (rule 6)")
        if m.location is not None and a.location != m.location:
            err(f"meeting {m.id!r}: pinned to location {m.location!r}, scheduled at {a.location!r} (rule 6)")
        placed[m.id] = (a.slot, a.location if locations else None)
    for mid in schedule.unscheduled:
        m = meetings.get(mid)
        if m is None:
            err(f"unscheduled: unknown meeting {mid!r}")
        elif mid in seen:
            err(f"meeting {mid!r} appears more than once")
        else:
            seen.add(mid)
            if m.pinned:
                err(f"meeting {mid!r} is pinned but unscheduled (rule 6)")
    for m in problem.meetings:
        if m.id not in seen:
            err(f"meeting {m.id!r} is neither assigned nor unscheduled")

    busy: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    by_loc: dict[tuple[str, str], int] = defaultdict(int)
    for mid, (slot, where) in placed.items():
        for pid in meetings[mid].participants:
            if slot in busy[pid]:
                err(f"participant {pid!r} has two meetings in {slot!r} (rule 2)")
            busy[pid].add(slot)
            count[pid] += 1
        if where is not None:
            by_loc[where, slot] += 1
    for (where, slot), n in by_loc.items():
        if n > 1:
            err(f"location {where!r} hosts {n} meetings in {slot!r} (rule 4)")
    breaks = {}
    for pid, slots in busy.items():
        part = participants[pid]
        if part.max_meetings is not None and count[pid] > part.max_meetings:
            err(
                f"participant {pid!r} has {count[pid]} meetings, max_meetings is {part.max_meetings} (rule 5)"
            )
        breaks[pid] = breaks_of(day_pos[s] for s in slots)
        if part.max_breaks is not None and breaks[pid] > part.max_breaks:
            err(f"participant {pid!r} has {breaks[pid]} breaks, max_breaks is {part.max_breaks} (rule 5)")
    return Evaluation(
        scheduled=len(placed),
        total=len(problem.meetings),
        priority_sum=sum(meetings[m].priority for m in placed),
        priority_total=sum(m.priority for m in problem.meetings),
        breaks=sum(breaks.values()),
        breaks_by_participant=breaks,
        errors=tuple(errors),
    )
