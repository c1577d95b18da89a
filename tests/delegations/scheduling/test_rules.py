"""The programme rules written into the problem: lunch, 5-minute grid, slack between stands."""

from __future__ import annotations

import itertools
import math

import pytest

from exhibition.delegations import scheduling
from exhibition.delegations.scheduling.rules import Rules, is_lunch, lunch_place, lunch_stand_id, with_rules

from .helpers import EXAMPLES, check_plan, load_example, tiny_problem


def _day_problem() -> dict:
    """One delegation on the floor 10:00-16:00 with eight 20-minute candidate visits."""
    data = tiny_problem(n_delegations=1)
    data["stands"] = [
        {"id": f"S{i}", "x": 37.0 * i, "y": 11.0, "capacity": 1,
         "windows": [{"day": "2025-11-18", "open": 572.5, "close": 1080}]}
        for i in range(1, 9)
    ]  # fmt: skip
    data["points"].append({"id": "RESTAURANT", "x": 150.0, "y": 40.0})
    data["delegations"][0]["windows"][0].update(start=600, end=960)
    data["delegations"][0]["visits"] = [{"stand": f"S{i}", "score": 10, "duration": 18} for i in range(1, 9)]
    return data


def test_with_rules_writes_lunch_grid_and_buffer_into_the_format():
    data = with_rules(_day_problem(), Rules(), lunch_at={("D1", "2025-11-18"): "RESTAURANT"})

    lunch = lunch_stand_id("2025-11-18", "RESTAURANT")
    assert is_lunch(lunch) and lunch_place(lunch) == "RESTAURANT"
    assert data["stands"][-1] == {
        "id": lunch,
        "kind": "lunch",
        "place": "RESTAURANT",
        "capacity": 1,
        "windows": [{"day": "2025-11-18", "open": 720.0, "close": 840.0}],
    }
    assert data["stands"][0]["windows"] == [{"day": "2025-11-18", "open": 575.0, "close": 1080.0}]
    visits = data["delegations"][0]["visits"]
    assert visits[0]["duration"] == 20.0  # rounded up to the grid
    assert visits[-1] == {"stand": lunch, "score": 0.001, "duration": 45.0, "required": True, "kind": "lunch"}
    minutes = data["travel"]["minutes"]
    assert minutes["S1"]["S2"] == 10.0  # 37 m (under a minute) + 5 min slack, rounded up to 5
    assert minutes["IN"]["S1"] == 5.0  # from the start point: the walk only, rounded up
    raw = scheduling.read_problem(_day_problem())
    r = raw.place_index["RESTAURANT"]
    for stand in (f"S{i}" for i in range(1, 9)):
        walk = raw.travel[r][raw.place_index[stand]]
        assert minutes[lunch][stand] == minutes[stand][lunch] == math.ceil((walk + 5) / 5) * 5
    assert minutes[lunch]["RESTAURANT"] == 0.0
    assert minutes[lunch]["IN"] == math.ceil(raw.travel[r][raw.place_index["IN"]] / 5) * 5
    assert scheduling.read_problem(data).stand_index.keys() >= {lunch}


def test_plan_with_rules_has_lunch_grid_and_buffer_and_passes_the_checker(tmp_path):
    data = with_rules(_day_problem(), Rules(), lunch_at={("D1", "2025-11-18"): "RESTAURANT"})
    problem = scheduling.read_problem(data)
    result = scheduling.plan(problem, time_limit=5, seed=1, max_rounds=10)
    plan = scheduling.plan_to_dict(result)

    code, out = check_plan(tmp_path, data, plan)
    assert code == 0 and out["valid"] is True, out["errors"]
    assert out["required_missing"] == 0
    visits = plan["itineraries"][0]["visits"]
    lunches = [v for v in visits if is_lunch(v["stand"])]
    assert len(lunches) == 1 and 720 <= lunches[0]["start"] and lunches[0]["end"] <= 840
    assert lunches[0]["end"] - lunches[0]["start"] == 45
    assert all(v["start"] % 5 == 0 for v in visits)
    stands = [v for v in visits if not is_lunch(v["stand"])]
    for a, b in itertools.pairwise(visits):
        assert b["start"] - a["end"] >= 5 + 5 - 1e-9 or is_lunch(a["stand"]) or is_lunch(b["stand"])
    assert len(stands) >= 6


def test_no_lunch_when_the_day_does_not_span_the_lunch_period_or_none_is_wanted():
    short = _day_problem()
    short["delegations"][0]["windows"][0].update(start=780, end=960)
    assert not any(v.get("kind") == "lunch" for v in with_rules(short, Rules())["delegations"][0]["visits"])
    assert not any(
        v.get("kind") == "lunch"
        for v in with_rules(_day_problem(), Rules(lunch_minutes=0))["delegations"][0]["visits"]
    )
    assert not any(
        v.get("kind") == "lunch"
        for v in with_rules(_day_problem(), Rules(), lunch_minutes={"D1": 0})["delegations"][0]["visits"]
    )


def test_no_lunch_where_fixed_visits_fill_the_lunch_period():
    fixed = [
        {"delegation": "D1", "day": "2025-11-18", "stand": f"S{i}", "start": 720 + 30 * (i - 1)}
        for i in range(1, 5)
    ]
    data = with_rules(
        _day_problem(), Rules(), fixed=fixed, keep_durations={("D1", f["stand"]) for f in fixed}
    )
    assert not any(v.get("kind") == "lunch" for v in data["delegations"][0]["visits"])
    # one fixed visit early in the period leaves room: the lunch stays
    data = with_rules(_day_problem(), Rules(), fixed=fixed[:1])
    assert any(v.get("kind") == "lunch" for v in data["delegations"][0]["visits"])


@pytest.mark.parametrize("name", EXAMPLES[:2])
def test_shared_examples_with_rules_stay_valid_under_the_checker(tmp_path, name):
    data = with_rules(load_example(name), Rules())
    result = scheduling.plan(scheduling.read_problem(data), time_limit=3, seed=0, max_rounds=5)
    code, out = check_plan(tmp_path, data, scheduling.plan_to_dict(result))
    assert code == 0 and out["valid"] is True and out["required_missing"] == 0, out["errors"]
    assert all(
        v["start"] % 5 == 0 for it in scheduling.plan_to_dict(result)["itineraries"] for v in it["visits"]
    )
