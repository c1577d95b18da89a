"""Reading and writing `exhibition.meetings/v1` problems and schedules, exactly.

`read_problem` accepts what ``shared/formats/meetings-v1.md`` allows and rejects
the rest with a `ProblemError` that names the offending item. Unknown keys are
ignored, as the format says.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from .model import Assignment, Location, Meeting, Participant, Problem, ProblemError, Schedule, Slot

PROBLEM_FORMAT = "exhibition.meetings/v1"
SCHEDULE_FORMAT = "exhibition.meetings-schedule/v1"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _items(data: dict[str, Any], key: str, required: bool = True) -> list[dict[str, Any]]:
    if key not in data or data[key] is None:
        if required:
            raise ProblemError(f"'{key}' is missing")
        return []
    items = data[key]
    if not isinstance(items, list):
        raise ProblemError(f"'{key}' must be a list")
    seen: set[str] = set()
    for i, it in enumerate(items):
        if not isinstance(it, dict) or not isinstance(it.get("id"), str):
            raise ProblemError(f"{key}[{i}] needs a string 'id'")
        if it["id"] in seen:
            raise ProblemError(f"duplicate {key} id {it['id']!r}")
        seen.add(it["id"])
    return items


def _slot_ids(value: Any, slots: dict[str, Slot], what: str, key: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or any(not isinstance(s, str) or s not in slots for s in value):
        raise ProblemError(f"{what}: '{key}' must list slot ids")
    return frozenset(value)


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else None


def read_problem(data: Any) -> Problem:
    """Build a checked `Problem` from the decoded JSON of an `exhibition.meetings/v1` file."""
    if not isinstance(data, dict):
        raise ProblemError("the problem must be a JSON object")
    if data.get("format") != PROBLEM_FORMAT:
        raise ProblemError(f"'format' must be {PROBLEM_FORMAT!r}, got {data.get('format')!r}")

    slots: dict[str, Slot] = {}
    for s in _items(data, "slots"):
        start, end = _datetime(s.get("start")), _datetime(s.get("end"))
        if start is None or end is None:
            raise ProblemError(f"slot {s['id']!r} needs ISO 8601 'start' and 'end' with an offset")
        if not start < end:
            raise ProblemError(f"slot {s['id']!r}: 'start' must be before 'end'")
        slots[s["id"]] = Slot(s["id"], start, end)
    ordered = sorted(slots.values(), key=lambda x: (x.start, x.end))
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end:
            raise ProblemError(f"slots {a.id!r} and {b.id!r} overlap")

    participants = []
    for p in _items(data, "participants"):
        what = f"participant {p['id']!r}"
        kind = p.get("kind", "")
        if kind is None:
            kind = ""
        if not isinstance(kind, str):
            raise ProblemError(f"{what}: 'kind' must be a string")
        caps = {}
        for key in ("max_meetings", "max_breaks"):
            cap = p.get(key)
            if cap is not None and (not _is_int(cap) or cap < 0):
                raise ProblemError(f"{what}: '{key}' must be a non-negative integer or null, got {cap!r}")
            caps[key] = cap
        participants.append(
            Participant(p["id"], kind, _slot_ids(p.get("unavailable"), slots, what, "unavailable"), **caps)
        )
    known = {p.id for p in participants}

    locations = [
        Location(
            loc["id"], _slot_ids(loc.get("unavailable"), slots, f"location {loc['id']!r}", "unavailable")
        )
        for loc in _items(data, "locations", required=False)
    ]
    loc_ids = {loc.id for loc in locations}

    meetings = []
    for m in _items(data, "meetings"):
        what = f"meeting {m['id']!r}"
        ps = m.get("participants")
        if not isinstance(ps, list) or len(ps) < 2 or any(not isinstance(p, str) for p in ps):
            raise ProblemError(f"{what}: 'participants' must list two or more participant ids")
        if len(set(ps)) != len(ps):
            raise ProblemError(f"{what}: its participants must be distinct")
        unknown = [p for p in ps if p not in known]
        if unknown:
            raise ProblemError(f"{what}: unknown participant {unknown[0]!r}")
        priority = m.get("priority", 1)
        if priority is None:
            priority = 1
        if not _is_int(priority) or priority < 1:
            raise ProblemError(f"{what}: 'priority' must be a positive integer, got {priority!r}")
        allowed = None if m.get("slots") is None else _slot_ids(m["slots"], slots, what, "slots")
        fixed, loc = m.get("fixed_slot"), m.get("location")
        if fixed is not None and (not isinstance(fixed, str) or fixed not in slots):
            raise ProblemError(f"{what}: unknown fixed_slot {fixed!r}")
        if loc is not None and (not isinstance(loc, str) or loc not in loc_ids):
            raise ProblemError(f"{what}: unknown location {loc!r}")
        meetings.append(Meeting(m["id"], tuple(ps), priority, allowed, fixed, loc))

    name = data.get("name")
    return Problem(
        slots=tuple(ordered),
        participants=tuple(participants),
        meetings=tuple(meetings),
        locations=tuple(locations),
        name=name if isinstance(name, str) else "",
    )


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """The `exhibition.meetings/v1` JSON of a problem (read_problem's inverse)."""
    out: dict[str, Any] = {"format": PROBLEM_FORMAT}
    if problem.name:
        out["name"] = problem.name
    order = problem.slot_index

    def ids(slot_ids: frozenset[str]) -> list[str]:
        return sorted(slot_ids, key=order.__getitem__)

    out["slots"] = [
        {"id": s.id, "start": s.start.isoformat(), "end": s.end.isoformat()} for s in problem.slots
    ]
    out["participants"] = [
        {
            "id": p.id,
            "kind": p.kind,
            "unavailable": ids(p.unavailable),
            "max_meetings": p.max_meetings,
            "max_breaks": p.max_breaks,
        }
        for p in problem.participants
    ]
    out["locations"] = [{"id": loc.id, "unavailable": ids(loc.unavailable)} for loc in problem.locations]
    out["meetings"] = [
        {
            "id": m.id,
            "participants": list(m.participants),
            "priority": m.priority,
            "slots": None if m.slots is None else ids(m.slots),
            "fixed_slot": m.fixed_slot,
            "location": m.location,
        }
        for m in problem.meetings
    ]
    return out


def schedule_to_dict(schedule: Schedule) -> dict[str, Any]:
    """The `exhibition.meetings-schedule/v1` JSON of a schedule."""
    return {
        "format": SCHEDULE_FORMAT,
        "assignments": [
            {"meeting": a.meeting, "slot": a.slot, "location": a.location} for a in schedule.assignments
        ],
        "unscheduled": list(schedule.unscheduled),
    }


def read_schedule(data: Any) -> Schedule:
    """Parse the shape of an `exhibition.meetings-schedule/v1` document (not its validity:
    see `evaluate`)."""
    if not isinstance(data, dict) or data.get("format") != SCHEDULE_FORMAT:
        raise ProblemError(f"'format' must be {SCHEDULE_FORMAT!r}")
    assignments, unscheduled = data.get("assignments"), data.get("unscheduled")
    if not isinstance(assignments, list) or not isinstance(unscheduled, list):
        raise ProblemError("'assignments' and 'unscheduled' must be lists")
    out = []
    for i, a in enumerate(assignments):
        if (
            not isinstance(a, dict)
            or not isinstance(a.get("meeting"), str)
            or not isinstance(a.get("slot"), str)
            or not (a.get("location") is None or isinstance(a.get("location"), str))
        ):
            raise ProblemError(f"assignments[{i}] needs string 'meeting' and 'slot' and a location or null")
        out.append(Assignment(a["meeting"], a["slot"], a.get("location")))
    if any(not isinstance(m, str) for m in unscheduled):
        raise ProblemError("'unscheduled' must list meeting ids")
    return Schedule(out, list(unscheduled))
