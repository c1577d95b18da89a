"""Data model of the itinerary planner: reading problems, plans, evaluation.

Everything here is plain Python (no Django). A :class:`Problem` is built from
the ``exhibition.itineraries/v1`` JSON by :func:`read_problem`, which raises
:class:`ProblemError` with a readable message for anything malformed. A
:class:`Plan` is written as ``exhibition.itineraries-plan/v1`` by
:func:`plan_to_dict`; :func:`evaluate` scores and checks a plan by the rules of
``shared/formats/itineraries-v1.md``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeGuard

PROBLEM_FORMAT = "exhibition.itineraries/v1"
PLAN_FORMAT = "exhibition.itineraries-plan/v1"
TOL = 1e-6  # the format's tolerance
EPS = 1e-9  # what the planner allows itself (far inside TOL)


class ProblemError(ValueError):
    """The problem (or a fixed visit given with it) cannot be read or is inconsistent."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Candidate:
    """A visit a delegation may make: the stand (index into ``Problem.stands``)."""

    stand: int
    score: float
    duration: float
    required: bool


@dataclass(frozen=True)
class DayWindow:
    """When a delegation is on the floor on one day (day index), from/to place indices."""

    day: int
    start: float
    end: float
    origin: int
    dest: int


@dataclass
class Stand:
    id: str
    place: int
    capacity: int
    windows: dict[int, list[tuple[float, float]]]  # day index -> sorted (open, close)


@dataclass
class Delegation:
    id: str
    windows: dict[int, DayWindow]  # day index -> window
    candidates: list[Candidate]
    candidate_of_stand: dict[int, int]  # stand index -> candidate index


@dataclass
class Problem:
    name: str
    days: list[str]
    places: list[str]  # place ids: points first, then stands
    place_index: dict[str, int]
    stands: list[Stand]
    stand_index: dict[str, int]
    delegations: list[Delegation]
    delegation_index: dict[str, int]
    travel: list[list[float]]  # minutes, place index x place index

    def walk(self, a: int, b: int) -> float:
        return self.travel[a][b]

    @property
    def score_total(self) -> float:
        return sum(c.score for d in self.delegations for c in d.candidates)


@dataclass(frozen=True)
class Visit:
    stand: str
    start: float
    end: float


@dataclass
class Itinerary:
    delegation: str
    day: str
    visits: list[Visit]


@dataclass
class Plan:
    itineraries: list[Itinerary]
    score: float = 0.0
    walking_minutes: float = 0.0
    required_missing: list[tuple[str, str]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def visit_count(self) -> int:
        return sum(len(it.visits) for it in self.itineraries)


@dataclass
class Evaluation:
    score: float
    walking_minutes: float
    visits: int
    required_missing: int
    errors: list[str]

    @property
    def valid(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- reading


def _num(v: Any) -> TypeGuard[float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _objects(data: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ProblemError(f"{where}: '{key}' must be a list of objects")
    return items


def read_problem(data: Any) -> Problem:
    """Build a :class:`Problem` from the decoded ``exhibition.itineraries/v1`` JSON."""
    if not isinstance(data, dict):
        raise ProblemError("problem: not a JSON object")
    if data.get("format") != PROBLEM_FORMAT:
        raise ProblemError(f"problem: 'format' must be {PROBLEM_FORMAT!r}, not {data.get('format')!r}")
    days = data.get("days")
    if not isinstance(days, list) or not days or not all(isinstance(d, str) for d in days):
        raise ProblemError("problem: 'days' must be a non-empty list of strings")
    if len(set(days)) != len(days):
        raise ProblemError("problem: 'days' lists a day twice")
    day_index = {d: i for i, d in enumerate(days)}

    travel = data.get("travel")
    if not isinstance(travel, dict) or travel.get("kind") not in ("euclidean", "matrix"):
        raise ProblemError("problem: travel.kind must be 'euclidean' or 'matrix'")
    kind = travel["kind"]

    points = _objects(data, "points", "problem")
    stands_raw = _objects(data, "stands", "problem")
    places: list[str] = []
    place_index: dict[str, int] = {}
    coords: list[tuple[Any, Any]] = []
    for item, what in [(p, "point") for p in points] + [(s, "stand") for s in stands_raw]:
        pid = item.get("id")
        if not isinstance(pid, str) or not pid:
            raise ProblemError(f"problem: a {what} has no string id ({pid!r})")
        if pid in place_index:
            raise ProblemError(
                f"problem: duplicate place id {pid!r} (ids are unique across points and stands)"
            )
        if kind == "euclidean" and not (_num(item.get("x")) and _num(item.get("y"))):
            raise ProblemError(f"problem: {what} {pid!r} needs numeric x and y for euclidean travel")
        place_index[pid] = len(places)
        places.append(pid)
        coords.append((item.get("x"), item.get("y")))

    n = len(places)
    if kind == "euclidean":
        speed = travel.get("metres_per_minute")
        if not _num(speed) or speed <= 0:
            raise ProblemError("problem: travel.metres_per_minute must be a positive number")
        matrix = [[math.hypot(xa - xb, ya - yb) / speed for (xb, yb) in coords] for (xa, ya) in coords]
    else:
        minutes = travel.get("minutes")
        if not isinstance(minutes, dict):
            raise ProblemError("problem: travel.minutes must be an object of objects")
        matrix = []
        for a in places:
            row_raw = minutes.get(a)
            if not isinstance(row_raw, dict):
                raise ProblemError(f"problem: travel matrix has no row for {a!r}")
            row: list[float] = []
            for b in places:
                v = row_raw.get(b)
                if v is None and a == b:
                    v = 0.0
                if not _num(v) or v < 0:
                    if v is None:
                        raise ProblemError(f"problem: travel matrix has no time from {a!r} to {b!r}")
                    raise ProblemError(
                        f"problem: travel time from {a!r} to {b!r} must be a number >= 0 ({v!r})"
                    )
                row.append(float(v))
            matrix.append(row)
    assert len(matrix) == n

    stands: list[Stand] = []
    stand_index: dict[str, int] = {}
    for s in stands_raw:
        sid = s["id"]
        cap = s.get("capacity", 1)
        if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
            raise ProblemError(f"problem: stand {sid!r}: capacity must be a positive integer ({cap!r})")
        wins: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for w in _objects(s, "windows", f"stand {sid!r}"):
            if w.get("day") not in day_index:
                raise ProblemError(f"problem: stand {sid!r}: window on unknown day {w.get('day')!r}")
            if not (_num(w.get("open")) and _num(w.get("close"))) or w["close"] < w["open"]:
                raise ProblemError(f"problem: stand {sid!r}: window needs numeric open <= close ({w!r})")
            wins[day_index[w["day"]]].append((float(w["open"]), float(w["close"])))
        merged: dict[int, list[tuple[float, float]]] = {}
        for day, ws in wins.items():
            ws.sort()
            out: list[list[float]] = []
            for o, c in ws:
                if out and o <= out[-1][1]:
                    out[-1][1] = max(out[-1][1], c)
                else:
                    out.append([o, c])
            merged[day] = [(o, c) for o, c in out]
        stand_index[sid] = len(stands)
        stands.append(Stand(id=sid, place=place_index[sid], capacity=cap, windows=merged))

    delegations: list[Delegation] = []
    delegation_index: dict[str, int] = {}
    for d in _objects(data, "delegations", "problem"):
        did = d.get("id")
        if not isinstance(did, str) or not did:
            raise ProblemError(f"problem: a delegation has no string id ({did!r})")
        if did in delegation_index:
            raise ProblemError(f"problem: duplicate delegation id {did!r}")
        windows: dict[int, DayWindow] = {}
        for w in _objects(d, "windows", f"delegation {did!r}"):
            day_name = w.get("day")
            if day_name not in day_index:
                raise ProblemError(f"problem: delegation {did!r}: window on unknown day {day_name!r}")
            if not (_num(w.get("start")) and _num(w.get("end"))):
                raise ProblemError(
                    f"problem: delegation {did!r}: window on {day_name} needs numeric start and end"
                )
            for key in ("from", "to"):
                if w.get(key) not in place_index:
                    raise ProblemError(
                        f"problem: delegation {did!r}: window on {day_name}: unknown place {w.get(key)!r} in '{key}'"
                    )
            if day_index[day_name] in windows:
                raise ProblemError(f"problem: delegation {did!r} has more than one window on {day_name}")
            windows[day_index[day_name]] = DayWindow(
                day=day_index[day_name],
                start=float(w["start"]),
                end=float(w["end"]),
                origin=place_index[w["from"]],
                dest=place_index[w["to"]],
            )
        candidates: list[Candidate] = []
        of_stand: dict[int, int] = {}
        for v in _objects(d, "visits", f"delegation {did!r}"):
            stand = v.get("stand")
            if stand not in stand_index:
                raise ProblemError(f"problem: delegation {did!r}: visit to unknown stand {stand!r}")
            si = stand_index[stand]
            if si in of_stand:
                raise ProblemError(f"problem: delegation {did!r} lists stand {stand!r} twice")
            if not (_num(v.get("score")) and v["score"] > 0):
                raise ProblemError(
                    f"problem: delegation {did!r}, stand {stand!r}: score must be a positive number"
                )
            if not (_num(v.get("duration")) and v["duration"] >= 0):
                raise ProblemError(
                    f"problem: delegation {did!r}, stand {stand!r}: duration must be a number >= 0"
                )
            required = v.get("required", False)
            if not isinstance(required, bool):
                raise ProblemError(
                    f"problem: delegation {did!r}, stand {stand!r}: required must be true or false"
                )
            of_stand[si] = len(candidates)
            candidates.append(
                Candidate(stand=si, score=float(v["score"]), duration=float(v["duration"]), required=required)
            )
        delegation_index[did] = len(delegations)
        delegations.append(
            Delegation(id=did, windows=windows, candidates=candidates, candidate_of_stand=of_stand)
        )

    name = data.get("name")
    return Problem(
        name=name if isinstance(name, str) else "",
        days=list(days),
        places=places,
        place_index=place_index,
        stands=stands,
        stand_index=stand_index,
        delegations=delegations,
        delegation_index=delegation_index,
        travel=matrix,
    )


# --------------------------------------------------------------------------- plans


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as ``exhibition.itineraries-plan/v1`` (days without visits left out)."""
    return {
        "format": PLAN_FORMAT,
        "itineraries": [
            {
                "delegation": it.delegation,
                "day": it.day,
                "visits": [{"stand": v.stand, "start": v.start, "end": v.end} for v in it.visits],
            }
            for it in plan.itineraries
            if it.visits
        ],
    }


def plan_from_dict(data: Any) -> Plan:
    """Read an ``exhibition.itineraries-plan/v1`` object (e.g. the published plan) back."""
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise ProblemError(f"plan: 'format' must be {PLAN_FORMAT!r}")
    its = data.get("itineraries")
    if not isinstance(its, list):
        raise ProblemError("plan: 'itineraries' must be a list")
    out = []
    for i, it in enumerate(its):
        try:
            visits = [Visit(str(v["stand"]), float(v["start"]), float(v["end"])) for v in it["visits"]]
            out.append(Itinerary(delegation=str(it["delegation"]), day=str(it["day"]), visits=visits))
        except (KeyError, TypeError, ValueError) as e:
            raise ProblemError(f"plan: itineraries[{i}] is malformed ({e})") from None
    return Plan(itineraries=out)


def evaluate(problem: Problem, plan: Plan | dict[str, Any]) -> Evaluation:
    """Score and check a plan rule by rule (same rules as the shared checker)."""
    if isinstance(plan, dict):
        plan = plan_from_dict(plan)
    errors: list[str] = []
    err = errors.append
    done: dict[int, set[int]] = defaultdict(set)
    seen: set[tuple[str, str]] = set()
    hosting: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    score = 0.0
    walking = 0.0
    n_visits = 0
    day_index = {d: i for i, d in enumerate(problem.days)}
    for it in plan.itineraries:
        di = problem.delegation_index.get(it.delegation)
        if di is None:
            err(f"unknown delegation {it.delegation!r}")
            continue
        if (it.delegation, it.day) in seen:
            err(f"{it.delegation}: more than one itinerary for {it.day!r}")
            continue
        seen.add((it.delegation, it.day))
        deleg = problem.delegations[di]
        day = day_index.get(it.day)
        win = deleg.windows.get(day) if day is not None else None
        if day is None or win is None:
            if it.visits:
                err(f"{it.delegation}: has no window on {it.day!r} (rule 1)")
            continue
        if not it.visits:
            continue
        n_visits += len(it.visits)
        loc, t = win.origin, win.start
        for v in it.visits:
            si = problem.stand_index.get(v.stand)
            if si is None:
                err(f"{it.delegation} {it.day}: unknown stand {v.stand!r} (rule 1)")
                continue
            ci = deleg.candidate_of_stand.get(si)
            if ci is None:
                err(f"{it.delegation} {it.day}: {v.stand!r} is not one of its candidate visits (rule 1)")
            elif ci in done[di]:
                err(f"{it.delegation} {it.day}: visits {v.stand!r} more than once (rule 1)")
            else:
                done[di].add(ci)
                cand = deleg.candidates[ci]
                score += cand.score
                if abs(v.end - v.start - cand.duration) > TOL:
                    err(
                        f"{it.delegation} {it.day}: {v.stand!r} lasts {v.end - v.start:g}, not {cand.duration:g} (rule 2)"
                    )
            stand = problem.stands[si]
            if not any(o - TOL <= v.start and v.end <= c + TOL for o, c in stand.windows.get(day, [])):
                err(
                    f"{it.delegation} {it.day}: {v.stand!r} at {v.start:g}-{v.end:g} outside the stand's windows (rule 2)"
                )
            else:
                hosting[si, day].append((v.start, v.end))
            if not (win.start - TOL <= v.start and v.end <= win.end + TOL):
                err(f"{it.delegation} {it.day}: {v.stand!r} outside the delegation's window (rule 3)")
            leg = problem.travel[loc][stand.place]
            walking += leg
            if v.start < t + leg - TOL:
                err(
                    f"{it.delegation} {it.day}: {v.stand!r} starts at {v.start:g}, cannot arrive before {t + leg:g} (rule 3)"
                )
            loc, t = stand.place, v.end
        leg = problem.travel[loc][win.dest]
        walking += leg
        if t + leg > win.end + TOL:
            err(
                f"{it.delegation} {it.day}: back at {problem.places[win.dest]!r} at {t + leg:g}, after {win.end:g} (rule 3)"
            )
    for (si, day), intervals in hosting.items():
        events = sorted(
            [(s, 1) for s, e in intervals if e - s > TOL]
            + [(e - TOL, -1) for s, e in intervals if e - s > TOL]
        )
        load = 0
        for t, delta in events:
            load += delta
            if load > problem.stands[si].capacity:
                err(
                    f"stand {problem.stands[si].id!r} hosts {load} delegations at {t:g} on {problem.days[day]} (rule 4)"
                )
                break
    missing = 0
    for di, deleg in enumerate(problem.delegations):
        for ci, c in enumerate(deleg.candidates):
            if c.required and ci not in done[di]:
                missing += 1
                err(f"{deleg.id}: required visit to {problem.stands[c.stand].id!r} is missing (rule 5)")
    return Evaluation(
        score=score, walking_minutes=walking, visits=n_visits, required_missing=missing, errors=errors
    )
