"""Re-planning one delegation's rest of a day."""

from __future__ import annotations

import time

import pytest

from exhibition.delegations.scheduling import (
    ProblemError,
    plan,
    plan_to_dict,
    read_problem,
    replan_delegation,
)
from tests.shared_data import EXAMPLES_DIR

from .helpers import check_plan, load_example, tiny_problem

NAME = "itineraries-medium-matrix-s102.json"


def _visits(p, *, skip=None):
    return {
        (it.delegation, it.day, v.stand, v.start, v.end)
        for it in p.itineraries
        for v in it.visits
        if (it.delegation, it.day) != skip
    }


def test_replan_keeps_others_and_the_morning(tmp_path):
    data = load_example(NAME)
    problem = read_problem(data)
    current = plan(problem, time_limit=2, seed=0)
    it = max(current.itineraries, key=lambda i: len(i.visits))
    key = (it.delegation, it.day)
    morning = [(v.stand, v.start) for v in it.visits if v.start < 780]

    t0 = time.perf_counter()
    new = replan_delegation(
        problem, current, delegation=it.delegation, day=it.day, not_before=780, time_limit=1.0
    )
    elapsed = time.perf_counter() - t0
    code, report = check_plan(tmp_path, data, plan_to_dict(new), problem_path=EXAMPLES_DIR / NAME)

    again = next(i for i in new.itineraries if (i.delegation, i.day) == key)
    assert elapsed < 2.0
    assert code == 0
    assert report["required_missing"] == 0
    assert _visits(new, skip=key) == _visits(current, skip=key)
    assert [(v.stand, v.start) for v in again.visits if v.start < 780] == morning
    assert all(v.start >= 780 for v in again.visits[len(morning) :])


def test_replan_late_delegation_continues_after_not_before(tmp_path):
    data = tiny_problem(capacity=1, n_delegations=1)
    problem = read_problem(data)
    # S1 happened; S2 (planned at 632) was missed and left out by the caller
    current = {
        "format": "exhibition.itineraries-plan/v1",
        "itineraries": [
            {"delegation": "D1", "day": "2025-11-18", "visits": [{"stand": "S1", "start": 601, "end": 631}]}
        ],
    }

    new = replan_delegation(problem, current, delegation="D1", day="2025-11-18", not_before=640)
    code, report = check_plan(tmp_path, data, plan_to_dict(new))

    assert [(v.stand, v.start, v.end) for v in new.itineraries[0].visits] == [
        ("S1", 601.0, 631.0),
        ("S2", 641.0, 671.0),
    ]
    assert code == 0
    assert report["score"] == 11


def test_replan_drops_another_delegations_visit_only_for_a_required_one(tmp_path):
    data = tiny_problem(capacity=1, n_delegations=2)
    data["delegations"][1]["visits"][0]["required"] = True  # D2 must see S1
    for s in data["stands"]:
        s["windows"][0]["close"] = 631 if s["id"] == "S1" else 720  # S1 fits one visit
    problem = read_problem(data)
    current = {
        "format": "exhibition.itineraries-plan/v1",
        "itineraries": [
            {"delegation": "D1", "day": "2025-11-18", "visits": [{"stand": "S1", "start": 601, "end": 631},
                                                               {"stand": "S2", "start": 632, "end": 662}]},
            {"delegation": "D2", "day": "2025-11-18", "visits": []},
        ],
    }  # fmt: skip

    new = replan_delegation(problem, current, delegation="D2", day="2025-11-18", not_before=600)
    code, report = check_plan(tmp_path, data, plan_to_dict(new))

    by_del = {i.delegation: [(v.stand, v.start) for v in i.visits] for i in new.itineraries}
    assert by_del["D1"] == [("S2", 632.0)]
    assert by_del["D2"][0] == ("S1", 601.0)
    assert code == 0
    assert report["required_missing"] == 0


def test_replan_unknown_delegation_raises():
    problem = read_problem(tiny_problem())
    current = plan(problem, time_limit=0.2)

    with pytest.raises(ProblemError) as exc:
        replan_delegation(problem, current, delegation="D9", day="2025-11-18", not_before=650)

    assert exc.value.message == "unknown delegation 'D9'"
