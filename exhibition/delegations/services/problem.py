"""Build the planner's problem (``exhibition.itineraries/v1``) from the database.

Stands are those some delegation may visit, with their hosting capacity and their
hosting windows intersected with the show day's opening hours (an exhibitor that gave
no hosting window hosts during opening hours). Travel is the floor plan's stored
walking matrix restricted to the places used, or straight lines at the event's walking
speed when the matrix is stale. Candidate visits never include an excluded pairing.
Pinned and published visits are returned as ``fixed`` for the planner.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from exhibition.events.models import Event, ShowDay
from exhibition.floorplans.models import Feature, Stand
from exhibition.floorplans.selectors import walking_minutes

from ..models import CandidateVisit, Delegation, DelegationDay, Exclusion, HostingWindow, StandHosting, Visit
from ..scheduling.rules import lunch_stand_id, with_rules
from .common import minutes_of, minutes_of_time, place_coordinates, programme_rules

PROBLEM_FORMAT = "exhibition.itineraries/v1"

# (delegation id, company id) and (delegation id, country code) pairs that must never be planned
ExcludedPairs = tuple[set[tuple[int, int]], set[tuple[int, str]]]


def delegation_key(delegation_id: int) -> str:
    return f"D{delegation_id}"


def delegation_pk(key: str) -> int:
    return int(key[1:])


@dataclass
class BuiltProblem:
    data: dict[str, Any]
    fixed: list[dict[str, Any]] = field(default_factory=list)
    travel_kind: str = "matrix"
    delegation_ids: list[int] = field(default_factory=list)


def excluded_pairs(event: Event) -> ExcludedPairs:
    """(delegation id, company id) and (delegation id, country code) pairs that must never be planned."""
    companies: set[tuple[int, int]] = set()
    countries: set[tuple[int, str]] = set()
    for d_id, c_id, country in Exclusion.objects.filter(delegation__organisation__event=event).values_list(
        "delegation_id", "company_id", "country"
    ):
        if c_id:
            companies.add((d_id, c_id))
        elif country:
            countries.add((d_id, str(country)))
    return companies, countries


def is_excluded(pairs: ExcludedPairs, delegation_id: int, company_id: int | None, country: str) -> bool:
    companies, countries = pairs
    return (delegation_id, company_id) in companies or (delegation_id, str(country)) in countries


def stand_windows(event: Event, stand_ids: set[int]) -> dict[int, dict[str, list[tuple[float, float]]]]:
    """Hosting windows (minutes) per stand id and ISO day, cut to opening hours."""
    days = {d.date: d for d in ShowDay.objects.filter(event=event)}
    stands = list(Stand.objects.filter(pk__in=stand_ids).values_list("pk", "exhibitor_id"))
    org_ids = {o for _s, o in stands if o}
    by_org: dict[int, list[HostingWindow]] = defaultdict(list)
    by_stand: dict[int, list[HostingWindow]] = defaultdict(list)
    for w in HostingWindow.objects.filter(event=event, organisation_id__in=org_ids):
        (by_stand[w.stand_id] if w.stand_id else by_org[w.organisation_id]).append(w)
    out: dict[int, dict[str, list[tuple[float, float]]]] = {}
    for stand_id, org_id in stands:
        own = by_stand.get(stand_id) or by_org.get(org_id)
        windows: dict[str, list[tuple[float, float]]] = defaultdict(list)
        if own:
            for w in own:
                day = days.get(w.date)
                if day is None:
                    continue
                a = max(minutes_of_time(w.start), minutes_of_time(day.opens_at))
                b = min(minutes_of_time(w.end), minutes_of_time(day.closes_at))
                if b > a:
                    windows[w.date.isoformat()].append((a, b))
        else:
            for d, day in days.items():
                windows[d.isoformat()].append((minutes_of_time(day.opens_at), minutes_of_time(day.closes_at)))
        out[stand_id] = {d: _merge(ws) for d, ws in windows.items()}
    return out


def _merge(ws: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(ws):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def build_problem(event: Event, *, only: Delegation | None = None, name: str = "") -> BuiltProblem:
    """The whole event's problem. ``only``: the run re-plans that delegation alone, so every
    other delegation's visits (drafts too) are fixed; otherwise pinned and published visits are."""
    show_days = sorted(ShowDay.objects.filter(event=event).values_list("date", flat=True))
    day_strs = [d.isoformat() for d in show_days]
    pairs = excluded_pairs(event)

    del_days: dict[int, list[DelegationDay]] = defaultdict(list)
    for dd in DelegationDay.objects.filter(delegation__organisation__event=event, date__in=show_days):
        del_days[dd.delegation_id].append(dd)
    delegation_ids = sorted(del_days)

    cands: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    stand_rows: dict[int, tuple[str, int]] = {}
    q = CandidateVisit.objects.filter(
        delegation_id__in=delegation_ids, stand__exhibitor__isnull=False
    ).values_list(
        "delegation_id",
        "stand_id",
        "stand__number",
        "stand__exhibitor_id",
        "stand__exhibitor__country",
        "score",
        "duration",
        "required",
    )
    for d_id, s_id, number, org_id, country, score, duration, required in q:
        if is_excluded(pairs, d_id, org_id, country):
            continue
        cands[d_id][s_id] = {
            "stand": number,
            "score": float(score),
            "duration": int(duration),
            "required": bool(required),
        }
        stand_rows[s_id] = (number, org_id)

    fixed: list[dict[str, Any]] = []
    visited: dict[int, set[int]] = defaultdict(set)
    visits = Visit.objects.filter(delegation_id__in=delegation_ids).values_list(
        "delegation_id",
        "stand_id",
        "stand__number",
        "stand__exhibitor_id",
        "date",
        "start",
        "end",
        "status",
        "pinned",
    )
    for d_id, s_id, number, org_id, day, start, end, status, pinned in visits:
        keep = (only is not None and d_id != only.pk) or pinned or status == Visit.Status.PUBLISHED
        if not keep:
            continue
        minutes = (end - start).total_seconds() / 60
        c = cands[d_id].get(s_id)
        if c is None:
            c = cands[d_id][s_id] = {"stand": number, "score": 1.0, "duration": minutes, "required": False}
        c["duration"] = minutes
        stand_rows[s_id] = (number, org_id)
        visited[d_id].add(s_id)
        fixed.append(
            {
                "delegation": delegation_key(d_id),
                "day": day.isoformat(),
                "stand": number,
                "start": minutes_of(event, start),
            }
        )

    if only is not None:
        # the others keep exactly what they have: their only candidates are their visits
        for d_id in delegation_ids:
            if d_id != only.pk:
                cands[d_id] = {s: c for s, c in cands[d_id].items() if s in visited[d_id]}
    used = {s for d_id in delegation_ids for s in cands[d_id]}
    stand_rows = {s: row for s, row in stand_rows.items() if s in used}
    windows = stand_windows(event, set(stand_rows))
    capacity = dict(StandHosting.objects.filter(stand_id__in=stand_rows).values_list("stand_id", "capacity"))
    point_codes = {dd.start_point for dds in del_days.values() for dd in dds} | {
        dd.end_point for dds in del_days.values() for dd in dds
    }
    dining = lunch_places(event)
    coords = place_coordinates(event, point_codes | set(dining) | {n for n, _o in stand_rows.values()})
    lunch_at = choose_lunch_places(
        dining,
        coords,
        {
            (delegation_key(d_id), dd.date.isoformat()): [
                (c["stand"], c["score"]) for c in cands[d_id].values()
            ]
            for d_id, dds in del_days.items()
            for dd in dds
        },
    )
    point_codes |= set(lunch_at.values())
    # place ids of stands are their numbers; a stand number equal to a door code would clash
    stands_json: list[dict[str, Any]] = []
    for s_id, (number, _org) in sorted(stand_rows.items(), key=lambda kv: kv[1][0]):
        x, y = coords.get(number, (0.0, 0.0))
        stands_json.append(
            {
                "id": number,
                "x": round(x, 2),
                "y": round(y, 2),
                "capacity": capacity.get(s_id, 1),
                "windows": [
                    {"day": d, "open": a, "close": b}
                    for d in day_strs
                    for a, b in windows.get(s_id, {}).get(d, [])
                ],
            }
        )
    points_json: list[dict[str, Any]] = [
        {"id": c, "x": round(coords[c][0], 2), "y": round(coords[c][1], 2)}
        for c in sorted(point_codes)
        if c in coords
    ]
    delegations_json = [
        {
            "id": delegation_key(d_id),
            "windows": [
                {
                    "day": dd.date.isoformat(),
                    "start": minutes_of_time(dd.start),
                    "end": minutes_of_time(dd.end),
                    "from": dd.start_point,
                    "to": dd.end_point,
                }
                for dd in sorted(del_days[d_id], key=lambda x: x.date)
            ],
            "visits": [cands[d_id][s] for s in sorted(cands[d_id], key=lambda s: cands[d_id][s]["stand"])],
        }
        for d_id in delegation_ids
    ]
    places = [p["id"] for p in points_json] + [s["id"] for s in stands_json]
    matrix = walking_minutes(event, places) if places else None
    if matrix is not None and len(matrix) == len(places):
        travel: dict[str, Any] = {"kind": "matrix", "minutes": matrix}
        kind = "matrix"
    else:
        travel = {"kind": "euclidean", "metres_per_minute": float(event.walking_speed or 60.0)}
        kind = "euclidean"
    data = {
        "format": PROBLEM_FORMAT,
        "name": name or f"{event.slug} delegations",
        "days": day_strs,
        "travel": travel,
        "points": points_json,
        "stands": stands_json,
        "delegations": delegations_json,
    }
    data = _with_rules(event, data, fixed, lunch_at)
    return BuiltProblem(data=data, fixed=fixed, travel_kind=kind, delegation_ids=delegation_ids)


def lunch_places(event: Event) -> list[str]:
    """Where delegations may lunch: the show's restaurants, else its lounges (place codes)."""
    for kind in (Feature.Kind.RESTAURANT, Feature.Kind.LOUNGE):
        codes = list(
            Feature.objects.filter(event=event, kind=kind).order_by("code").values_list("code", flat=True)
        )
        if codes:
            return codes
    return []


def choose_lunch_places(
    dining: list[str],
    coords: dict[str, tuple[float, float]],
    wanted: dict[tuple[str, str], list[tuple[str, float]]],
) -> dict[tuple[str, str], str]:
    """For each (delegation, day): the lunch place nearest to where its visits are likely to be
    (the centre of its candidate stands, weighted by score). Without any, no choice is made and
    the delegation lunches near its start point."""
    dining = [c for c in dining if c in coords]
    out: dict[tuple[str, str], str] = {}
    if not dining:
        return out
    for key, stands in wanted.items():
        pts = [(coords[s], w) for s, w in stands if s in coords]
        if not pts:
            continue
        total = sum(w for _p, w in pts)
        cx = sum(p[0] * w for p, w in pts) / total
        cy = sum(p[1] * w for p, w in pts) / total
        out[key] = min(dining, key=lambda c: ((coords[c][0] - cx) ** 2 + (coords[c][1] - cy) ** 2, c))
    return out


def _with_rules(
    event: Event, data: dict[str, Any], fixed: list[dict[str, Any]], lunch_at: dict[tuple[str, str], str]
) -> dict[str, Any]:
    """The problem with the event's programme rules written in (lunch, grid, buffer)."""
    rules = programme_rules(event)
    overrides = {
        delegation_key(pk): minutes
        for pk, minutes in Delegation.objects.filter(
            pk__in=[delegation_pk(d["id"]) for d in data["delegations"] if d["id"].startswith("D")],
            lunch_minutes__isnull=False,
        ).values_list("pk", "lunch_minutes")
        if minutes is not None  # always, by the filter; the column is nullable
    }
    keep = {(f["delegation"], f["stand"]) for f in fixed}
    return with_rules(
        data, rules, lunch_at=lunch_at, lunch_minutes=overrides, keep_durations=keep, fixed=fixed
    )


def stand_ids_by_number(event: Event) -> dict[str, int]:
    return dict(Stand.objects.filter(event=event).values_list("number", "pk"))


__all__ = [
    "BuiltProblem",
    "Delegation",
    "build_problem",
    "delegation_key",
    "delegation_pk",
    "excluded_pairs",
    "is_excluded",
    "stand_ids_by_number",
    "stand_windows",
]


def build_day_problem(
    event: Event, delegation: Delegation, day: date
) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    """A small problem for re-planning one delegation's ``day`` (show-day "running late").

    Only the stands this delegation may still visit matter; every other delegation touches
    the re-plan only through those stands' capacity, so each of their visits there becomes a
    one-visit pseudo-delegation ``V<visit id>`` whose window is exactly the visit (starting and
    ending at the stand, so no walking). Stands the delegation visits on other days are left
    out (a stand is visited once over the show). Returns (problem, current plan, pseudo id ->
    visit id)."""
    window = DelegationDay.objects.filter(delegation=delegation, date=day).first()
    if window is None:
        return {}, {}, {}
    pairs = excluded_pairs(event)
    other_days = set(
        Visit.objects.filter(delegation=delegation).exclude(date=day).values_list("stand_id", flat=True)
    )
    cands: dict[int, dict[str, Any]] = {}
    numbers: dict[int, str] = {}
    for s_id, number, org_id, country, score, duration, required in (
        CandidateVisit.objects.filter(delegation=delegation, stand__exhibitor__isnull=False)
        .exclude(stand_id__in=other_days)
        .values_list(
            "stand_id",
            "stand__number",
            "stand__exhibitor_id",
            "stand__exhibitor__country",
            "score",
            "duration",
            "required",
        )
    ):
        if not is_excluded(pairs, delegation.pk, org_id, country):
            cands[s_id] = {
                "stand": number,
                "score": float(score),
                "duration": int(duration),
                "required": bool(required),
            }
            numbers[s_id] = number
    own: list[dict[str, Any]] = []
    for s_id, number, start, end in (
        Visit.objects.filter(delegation=delegation, date=day)
        .order_by("start")
        .values_list("stand_id", "stand__number", "start", "end")
    ):
        c = cands.setdefault(s_id, {"stand": number, "score": 1.0, "duration": 20, "required": False})
        c["duration"] = (end - start).total_seconds() / 60
        numbers[s_id] = number
        own.append({"stand": number, "start": minutes_of(event, start), "end": minutes_of(event, end)})
    key = delegation_key(delegation.pk)
    d = day.isoformat()
    delegations: list[dict[str, Any]] = [
        {
            "id": key,
            "windows": [
                {
                    "day": d,
                    "start": minutes_of_time(window.start),
                    "end": minutes_of_time(window.end),
                    "from": window.start_point,
                    "to": window.end_point,
                }
            ],
            "visits": list(cands.values()),
        }
    ]
    itineraries = [{"delegation": key, "day": d, "visits": own}]
    pseudo: dict[str, int] = {}
    for v_id, s_id, start, end in (
        Visit.objects.filter(date=day, stand_id__in=numbers)
        .exclude(delegation=delegation)
        .values_list("pk", "stand_id", "start", "end")
    ):
        pid = f"V{v_id}"
        a, b = minutes_of(event, start), minutes_of(event, end)
        pseudo[pid] = v_id
        delegations.append(
            {
                "id": pid,
                "windows": [{"day": d, "start": a, "end": b, "from": numbers[s_id], "to": numbers[s_id]}],
                "visits": [{"stand": numbers[s_id], "score": 1, "duration": b - a}],
            }
        )
        itineraries.append(
            {"delegation": pid, "day": d, "visits": [{"stand": numbers[s_id], "start": a, "end": b}]}
        )
    windows = stand_windows(event, set(numbers))
    capacity = dict(StandHosting.objects.filter(stand_id__in=numbers).values_list("stand_id", "capacity"))
    dining = lunch_places(event)
    coords = place_coordinates(
        event, {window.start_point, window.end_point} | set(numbers.values()) | set(dining)
    )
    lunch_at = (
        {(key, d): window.lunch_place}
        if window.lunch_place in coords
        else choose_lunch_places(
            dining, coords, {(key, d): [(c["stand"], c["score"]) for c in cands.values()]}
        )
    )
    stands: list[dict[str, Any]] = [
        {
            "id": n,
            "x": round(coords.get(n, (0, 0))[0], 2),
            "y": round(coords.get(n, (0, 0))[1], 2),
            "capacity": capacity.get(s, 1),
            "windows": [{"day": d, "open": a, "close": b} for a, b in windows.get(s, {}).get(d, [])],
        }
        for s, n in sorted(numbers.items(), key=lambda kv: kv[1])
    ]
    points: list[dict[str, Any]] = [
        {"id": c, "x": round(coords[c][0], 2), "y": round(coords[c][1], 2)}
        for c in sorted({window.start_point, window.end_point} | set(lunch_at.values()))
        if c in coords
    ]
    places = [p["id"] for p in points] + [s["id"] for s in stands]
    matrix = walking_minutes(event, places)
    travel: dict[str, Any] = (
        {"kind": "matrix", "minutes": matrix}
        if matrix is not None and len(matrix) == len(places)
        else {"kind": "euclidean", "metres_per_minute": float(event.walking_speed or 60.0)}
    )
    data: dict[str, Any] = {
        "format": PROBLEM_FORMAT,
        "name": f"{event.slug} {key} {d}",
        "days": [d],
        "travel": travel,
        "points": points,
        "stands": stands,
        "delegations": delegations,
    }
    data = with_rules(
        data,
        programme_rules(event),
        lunch_at=lunch_at,
        exact=set(pseudo),
        lunch_minutes={key: delegation.lunch_minutes} if delegation.lunch_minutes is not None else {},
        keep_durations={(key, v["stand"]) for v in own},
    )
    # the lunch already planned that day is part of the current plan
    if window.lunch_start and window.lunch_end and window.lunch_place:
        sid = lunch_stand_id(d, window.lunch_place)
        if any(v["stand"] == sid for v in data["delegations"][0]["visits"]):
            own.append(
                {
                    "stand": sid,
                    "start": minutes_of_time(window.lunch_start),
                    "end": minutes_of_time(window.lunch_end),
                }
            )
            own.sort(key=lambda v: v["start"])
    return data, {"format": "exhibition.itineraries-plan/v1", "itineraries": itineraries}, pseudo
