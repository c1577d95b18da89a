"""Programme rules a protocol officer expects, written into the problem itself.

A programme that goes to a minister's office has a lunch break, visits that start on
the quarter-hour grid of a paper agenda (every 5 minutes here), and a few minutes of
slack between two stands besides the walk. The format (``exhibition.itineraries/v1``)
has no field for any of that, so :func:`with_rules` rewrites a problem into another
problem *of the same format* whose every valid plan keeps these rules, and which the
shared checker therefore verifies:

- **Grid.** Stand and delegation windows are cut inwards to the grid, visit durations
  rounded up to it, and every travel time rounded up to it (the travel becomes a
  matrix). Every time the planner derives is then a sum or maximum of grid multiples:
  earliest-start scheduling puts every visit on the grid (visits pinned off the grid by
  hand are kept where they are).
- **Buffer.** Between two stands the travel time is the walk plus ``buffer`` minutes
  (then rounded up to the grid): time to shake hands, leave, and regroup. Walks from the
  start point and back to the end point are not padded.
- **Lunch.** For each day whose window spans the whole lunch period, the delegation gets
  a *required* visit of ``lunch_minutes`` to a lunch place: a pseudo-stand
  ``LUNCH:<day>:<place>`` at the position of a real place (a restaurant, a lounge or
  the start point; its travel row is the place's), open only from ``lunch_from`` to
  ``lunch_until`` that day, hosting everyone who lunches there. The checker then
  verifies that the lunch lies within the lunch period, lasts its full length, and
  that the walks to and from it fit.

Unknown keys are ignored by the format, so the rules are also recorded in the
problem under ``"rules"`` and each lunch visit carries ``"kind": "lunch"``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

from .model import read_problem

LUNCH_PREFIX = "LUNCH:"
LUNCH_SCORE = 0.001  # the format wants a positive score; a lunch is required, not scored


@dataclass(frozen=True)
class Rules:
    """Minutes throughout: ``lunch_from``/``lunch_until`` after local midnight."""

    grid: int = 5
    buffer: int = 5
    lunch_minutes: int = 45  # 0: no lunch break
    lunch_from: int = 12 * 60
    lunch_until: int = 14 * 60


def lunch_stand_id(day: str, place: str) -> str:
    return f"{LUNCH_PREFIX}{day}:{place}"


def is_lunch(stand_id: str) -> bool:
    return stand_id.startswith(LUNCH_PREFIX)


def lunch_place(stand_id: str) -> str:
    """The real place a lunch pseudo-stand stands for."""
    return stand_id[len(LUNCH_PREFIX) :].split(":", 1)[1]


def up(value: float, grid: int) -> float:
    if grid <= 1:
        return float(value)
    return float(math.ceil(value / grid - 1e-9) * grid)


def down(value: float, grid: int) -> float:
    if grid <= 1:
        return float(value)
    return float(math.floor(value / grid + 1e-9) * grid)


def with_rules(
    data: dict[str, Any],
    rules: Rules,
    *,
    lunch_at: dict[tuple[str, str], str] | None = None,
    lunch_minutes: dict[str, int] | None = None,
    no_lunch: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
    keep_durations: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
    fixed: list[dict[str, Any]] | None = None,
    exact: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The problem ``data`` with the programme rules written in (see the module docstring).

    ``lunch_at``: (delegation id, day) -> place id (a point or a stand of the problem)
    where that delegation lunches that day; by default the day's start point.
    ``lunch_minutes``: per delegation id, overriding ``rules.lunch_minutes`` (0: none).
    ``no_lunch``: (delegation id, day) pairs that get no lunch visit (e.g. visits fixed
    over the lunch period). ``keep_durations``: (delegation id, stand id) pairs whose
    duration stays exact (visits pinned by hand). ``fixed``: the visits the planner will
    be told to keep (``{"delegation", "day", "stand", "start"}``); a day whose fixed visits
    leave no room for lunch in the lunch period gets none (rather than an unplannable
    problem). ``exact``: delegation ids whose windows and durations are kept as they are, with
    no lunch (stand-ins for other delegations' visits in a one-day re-plan). Raises ``ProblemError`` for a problem
    that cannot be read."""
    problem = read_problem(data)
    grid = max(1, int(rules.grid))
    lunch_at = lunch_at or {}
    lunch_minutes = lunch_minutes or {}
    stand_ids = {s["id"] for s in data.get("stands", [])}

    # lunch visits: which (day, place) pseudo-stands, who lunches there
    lunch_hosts: dict[str, tuple[str, str, int]] = {}  # lunch stand id -> (day, place, guests)
    lunches: dict[str, list[dict[str, Any]]] = {}
    for d in data.get("delegations", []):
        minutes = int(lunch_minutes.get(d["id"], rules.lunch_minutes))
        if d["id"] in exact or minutes <= 0 or rules.lunch_until - rules.lunch_from < minutes:
            continue
        for w in d.get("windows", []):
            if (d["id"], w["day"]) in no_lunch:
                continue
            if not (w["start"] <= rules.lunch_from + 1e-9 and w["end"] >= rules.lunch_until - 1e-9):
                continue
            place = lunch_at.get((d["id"], w["day"]), w["from"])
            if place not in problem.place_index:
                place = w["from"]
            sid = lunch_stand_id(w["day"], place)
            day, at, guests = lunch_hosts.get(sid, (w["day"], place, 0))
            lunch_hosts[sid] = (day, at, guests + 1)
            lunches.setdefault(d["id"], []).append(
                {
                    "stand": sid,
                    "score": LUNCH_SCORE,
                    "duration": up(minutes, grid),
                    "required": True,
                    "kind": "lunch",
                }
            )

    # travel: the real places' walks, lunch stands where their place is, padded and rounded
    places = list(problem.places) + list(lunch_hosts)
    base = [
        problem.place_index[p] if p in problem.place_index else problem.place_index[lunch_hosts[p][1]]
        for p in places
    ]
    is_stand = [p in stand_ids or p in lunch_hosts for p in places]
    T = problem.travel
    matrix: dict[str, dict[str, float]] = {}
    for i, a in enumerate(places):
        row: dict[str, float] = {}
        for j, b in enumerate(places):
            if i == j:
                row[b] = 0.0
                continue
            walk = T[base[i]][base[j]]
            if is_stand[i] and is_stand[j]:
                walk += rules.buffer
            row[b] = up(walk, grid)
        matrix[a] = row

    # a lunch must fit between the visits that are fixed that day, or that day has none
    if fixed:
        durations = {
            (d["id"], v["stand"]): v["duration"]
            for d in data.get("delegations", [])
            for v in d.get("visits", [])
        }
        by_day: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
        for f in fixed:
            key = (f["delegation"], f["day"])
            dur = durations.get((f["delegation"], f["stand"]), 0.0)
            if (f["delegation"], f["stand"]) not in keep_durations:
                dur = up(dur, grid)
            by_day.setdefault(key, []).append((float(f["start"]), float(f["start"]) + dur, f["stand"]))
        windows_of = {
            (d["id"], w["day"]): w for d in data.get("delegations", []) for w in d.get("windows", [])
        }
        for did, items in list(lunches.items()):
            kept = []
            for item in items:
                day, place, _guests = lunch_hosts[item["stand"]]
                w = windows_of[did, day]
                fixed_visits = sorted(by_day.get((did, day), []))
                if fixed_visits and not _lunch_fits(
                    matrix, item["stand"], item["duration"], rules, grid, w, fixed_visits
                ):
                    lunch_hosts[item["stand"]] = (day, place, lunch_hosts[item["stand"]][2] - 1)
                    continue
                kept.append(item)
            lunches[did] = kept

    stands = []
    for s in data.get("stands", []):
        windows = []
        for w in s.get("windows", []):
            o, c = up(w["open"], grid), down(w["close"], grid)
            if c > o:
                windows.append({"day": w["day"], "open": o, "close": c})
        stands.append({**s, "windows": windows})
    for sid, (day, place, guests) in lunch_hosts.items():
        stands.append(
            {
                "id": sid,
                "kind": "lunch",
                "place": place,
                "capacity": max(1, guests),
                "windows": [{"day": day, "open": float(rules.lunch_from), "close": float(rules.lunch_until)}],
            }
        )

    delegations = []
    for d in data.get("delegations", []):
        if d["id"] in exact:
            delegations.append(d)
            continue
        windows = [
            {**w, "start": up(w["start"], grid), "end": down(w["end"], grid)} for w in d.get("windows", [])
        ]
        visits = [
            v if (d["id"], v["stand"]) in keep_durations else {**v, "duration": up(v["duration"], grid)}
            for v in d.get("visits", [])
        ]
        delegations.append({**d, "windows": windows, "visits": visits + lunches.get(d["id"], [])})

    out = {key: value for key, value in data.items() if key not in ("travel", "stands", "delegations")}
    out.update(
        {
            "travel": {"kind": "matrix", "minutes": matrix},
            "stands": stands,
            "delegations": delegations,
            "rules": {
                "grid_minutes": grid,
                "buffer_minutes": rules.buffer,
                "lunch_minutes": rules.lunch_minutes,
                "lunch_from": rules.lunch_from,
                "lunch_until": rules.lunch_until,
            },
        }
    )
    return out


def _lunch_fits(
    matrix: dict[str, dict[str, float]],
    lunch: str,
    duration: float,
    rules: Rules,
    grid: int,
    window: dict[str, Any],
    visits: list[tuple[float, float, str]],
) -> bool:
    """Whether a lunch at ``lunch`` fits in one of the gaps the day's fixed ``visits`` leave."""
    # (arrival, departure, place): the day's start has no arrival, its end no departure
    stops: list[tuple[float | None, float | None, str]] = (
        [(None, up(window["start"], grid), window["from"])]
        + [(a, b, s) for a, b, s in visits]
        + [(down(window["end"], grid), None, window["to"])]
    )
    for (_a, prev_end, prev), (next_start, _b, nxt) in itertools.pairwise(stops):
        # only the last stop lacks a departure, only the first an arrival
        assert prev_end is not None and next_start is not None
        start = up(max(prev_end + matrix[prev][lunch], rules.lunch_from), grid)
        end = start + duration
        if end <= rules.lunch_until + 1e-9 and end + matrix[lunch][nxt] <= next_start + 1e-9:
            return True
    return False
