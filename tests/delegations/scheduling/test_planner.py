"""The planner against the shared checker, and its rules: required, fixed, capacity, stop."""

from __future__ import annotations

import itertools
import random
import time

import pytest

from exhibition.delegations.scheduling import ProblemError, evaluate, plan, plan_to_dict, read_problem
from exhibition.delegations.scheduling.solver import fixed, routes, search
from exhibition.delegations.scheduling.solver import state as search_state
from tests.shared_data import EXAMPLES_DIR

from .helpers import EXAMPLES, check_plan, load_example, tiny_problem

# Scores the planner reached on the shared examples when this was written; a
# change that falls below them is a regression. Upper values are the totals.
FLOOR = {
    "itineraries-small-s101.json": (106, 115),
    "itineraries-small-matrix-s102.json": (116, 153),
    "itineraries-medium-s101.json": (1160, 1491),
    "itineraries-medium-matrix-s102.json": (1400, 1807),
}


@pytest.mark.parametrize("name", EXAMPLES)
def test_plan_on_shared_example_is_valid_under_checker(tmp_path, name):
    data = load_example(name)
    problem = read_problem(data)

    result = plan(problem, time_limit=4, seed=0)
    code, report = check_plan(tmp_path, data, plan_to_dict(result), problem_path=EXAMPLES_DIR / name)

    assert code == 0
    assert report["valid"] is True
    assert report["errors"] == []
    assert report["required_missing"] == 0
    assert result.required_missing == []
    assert report["score"] == result.score
    assert report["walking_minutes"] == pytest.approx(result.walking_minutes, abs=1e-5)
    assert report["visits"] == result.visit_count
    floor, total = FLOOR[name]
    assert report["score_total"] == total
    assert floor <= report["score"] <= total


def test_plan_capacity_one_stand_hosts_one_at_a_time(tmp_path):
    data = tiny_problem(capacity=1, n_delegations=3)
    problem = read_problem(data)

    result = plan(problem, time_limit=1, seed=0)
    code, report = check_plan(tmp_path, data, plan_to_dict(result))

    s1 = sorted((v.start, v.end) for it in result.itineraries for v in it.visits if v.stand == "S1")
    assert code == 0
    assert len(s1) == 3
    assert all(prev_end <= start + 1e-9 for (_, prev_end), (start, _) in itertools.pairwise(s1))
    assert report["score"] == 32  # 33 does not fit: both stands would need 180 of their 117 usable minutes


def test_plan_capacity_two_lets_two_overlap(tmp_path):
    data = tiny_problem(capacity=2, n_delegations=4)
    for d in data["delegations"]:
        d["windows"][0]["end"] = 634  # time for exactly one 30-minute visit
    problem = read_problem(data)

    result = plan(problem, time_limit=1, seed=0)
    code, report = check_plan(tmp_path, data, plan_to_dict(result))

    visits = sorted((v.stand, v.start) for it in result.itineraries for v in it.visits)
    assert code == 0
    assert visits == [("S1", 601.0), ("S1", 601.0), ("S2", 602.0), ("S2", 602.0)]
    assert report["score"] == 22


def test_plan_required_visit_wins_the_scarce_slot(tmp_path):
    data = tiny_problem(capacity=1, n_delegations=3, required=True)
    for d in data["delegations"]:
        d["windows"][0]["end"] = 633
        d["visits"][0]["score"] = 10
    data["delegations"][2]["visits"][0]["score"] = 1  # D3's required visit is worth least
    for s in data["stands"]:
        s["windows"][0]["close"] = 631  # S1 can host a single visit
    problem = read_problem(data)

    result = plan(problem, time_limit=1, seed=0)
    code, report = check_plan(tmp_path, data, plan_to_dict(result))

    by_del = {it.delegation: [v.stand for v in it.visits] for it in result.itineraries}
    assert code == 0
    assert report["required_missing"] == 0
    assert by_del["D3"] == ["S1"]
    assert "S1" not in by_del["D1"] + by_del["D2"]


def test_plan_keeps_fixed_visits_exactly(tmp_path):
    name = "itineraries-medium-matrix-s102.json"
    data = load_example(name)
    problem = read_problem(data)
    free_run = plan(problem, time_limit=1, seed=0, max_rounds=0)
    # pin, for three delegations, their first visit of the free run 7 minutes later
    fixed = []
    for it in free_run.itineraries[:3]:
        v = it.visits[0]
        fixed.append({"delegation": it.delegation, "day": it.day, "stand": v.stand, "start": v.start + 7})

    result = plan(problem, time_limit=2, seed=0, fixed=fixed)
    code, report = check_plan(tmp_path, data, plan_to_dict(result), problem_path=EXAMPLES_DIR / name)

    placed = {(it.delegation, it.day, v.stand): v.start for it in result.itineraries for v in it.visits}
    assert code == 0
    assert report["required_missing"] == 0
    for f in fixed:
        assert placed[f["delegation"], f["day"], f["stand"]] == f["start"]


def test_plan_fixed_visit_outside_hours_raises():
    problem = read_problem(tiny_problem())

    with pytest.raises(ProblemError) as exc:
        plan(
            problem,
            time_limit=1,
            fixed=[{"delegation": "D1", "day": "2025-11-18", "stand": "S1", "start": 700}],
        )

    assert (
        exc.value.message == "fixed visit of 'D1' to 'S1' at 700 is outside the stand's hours on 2025-11-18"
    )


def test_plan_fixed_visits_overbooking_a_stand_raise():
    problem = read_problem(tiny_problem())
    fixed = [{"delegation": d, "day": "2025-11-18", "stand": "S1", "start": 610} for d in ("D1", "D2")]

    with pytest.raises(ProblemError) as exc:
        plan(problem, time_limit=1, fixed=fixed)

    assert exc.value.message == "fixed visits overbook stand 'S1' on 2025-11-18 at 610"


def test_plan_fixed_visit_not_a_candidate_raises():
    problem = read_problem(tiny_problem())

    with pytest.raises(ProblemError) as exc:
        plan(
            problem,
            time_limit=1,
            fixed=[{"delegation": "D1", "day": "2025-11-18", "stand": "S4", "start": 610}],
        )

    assert exc.value.message == "fixed[0]: 'S4' is not a candidate visit of 'D1'"


def test_plan_should_stop_returns_a_valid_plan_quickly(tmp_path):
    name = "itineraries-medium-s101.json"
    data = load_example(name)
    problem = read_problem(data)
    calls = []

    def should_stop():
        calls.append(1)
        return True

    t0 = time.perf_counter()
    result = plan(problem, time_limit=60, seed=0, should_stop=should_stop)
    elapsed = time.perf_counter() - t0
    code, report = check_plan(tmp_path, data, plan_to_dict(result), problem_path=EXAMPLES_DIR / name)

    assert elapsed < 5
    assert calls
    assert result.stats["stopped"] is True
    assert code == 0
    assert report["required_missing"] == 0


def test_plan_reports_progress_in_order():
    problem = read_problem(load_example("itineraries-small-s101.json"))
    seen: list[tuple[float, str]] = []

    plan(problem, time_limit=1.2, seed=0, progress=lambda f, m: seen.append((f, m)))

    fractions = [f for f, _ in seen]
    assert seen[0][1] == "required visits placed"
    assert seen[-1] == (1.0, "done")
    assert fractions == sorted(fractions)
    assert all(0.0 <= f <= 1.0 for f in fractions)
    assert len(seen) >= 4


def test_plan_same_seed_same_rounds_same_plan():
    problem = read_problem(load_example("itineraries-medium-s101.json"))

    a = plan(problem, time_limit=60, seed=5, max_rounds=1)
    b = plan(problem, time_limit=60, seed=5, max_rounds=1)

    assert plan_to_dict(a) == plan_to_dict(b)
    assert evaluate(problem, a).score == a.score


def _one_route_problem(seed: int = 3, n: int = 40) -> dict:
    """A classic orienteering-with-time-windows case: one delegation, one day, narrow hours."""
    rng = random.Random(seed)
    stands, visits = [], []
    for i in range(n):
        opens = rng.randrange(540, 1000)
        stands.append(
            {"id": f"S{i}", "x": rng.uniform(0, 600), "y": rng.uniform(0, 600),
             "windows": [{"day": "2025-11-18", "open": opens, "close": opens + rng.choice((30, 60, 120))}]}
        )  # fmt: skip
        visits.append({"stand": f"S{i}", "score": rng.randint(1, 40), "duration": rng.choice((10, 15))})
    visits[0]["required"] = True
    stands[0]["windows"][0].update(open=540, close=1080)
    return {
        "format": "exhibition.itineraries/v1",
        "days": ["2025-11-18"],
        "travel": {"kind": "euclidean", "metres_per_minute": 60},
        "points": [{"id": "IN", "x": 300.0, "y": 300.0}],
        "stands": stands,
        "delegations": [
            {"id": "D1",
             "windows": [{"day": "2025-11-18", "start": 540, "end": 1080, "from": "IN", "to": "IN"}],
             "visits": visits}
        ],
    }  # fmt: skip


def test_rebuild_keeps_pinned_and_required_visits_and_stays_feasible():
    data = _one_route_problem()
    data["stands"][5]["windows"][0].update(open=690, close=720)
    problem = read_problem(data)
    state = search_state.State(problem)
    fixed.place_pinned(state, [{"delegation": "D1", "day": "2025-11-18", "stand": "S5", "start": 700}])
    D = state.dels[0]
    state.detach(D)
    search.insert_greedy(D)
    rng = random.Random(1)
    sizes = set()

    for _ in range(20):
        search.rebuild(D, rng)
        r = D.routes[0]
        sizes.add(tuple(r.seq))
        assert (5, 700.0) in zip(r.seq, r.st, strict=True)  # the pinned visit, at its start
        assert 0 in r.seq  # the required visit is always rebuilt
        assert routes.propagate_forward(D, r, 0)  # the route is feasible as timed
        assert sorted(r.seq) == [c for c in range(D.k) if D.where[c] == 0]
    assert len(sizes) > 1  # the constructions are randomised


def test_single_route_search_with_restarts_is_valid_and_deterministic(tmp_path):
    data = _one_route_problem()
    problem = read_problem(data)

    # enough rounds (12 + 24 + 48 + 96 iterations) for new trajectories to start
    a = plan(problem, time_limit=60, seed=2, max_rounds=4)
    b = plan(problem, time_limit=60, seed=2, max_rounds=4)
    greedy = plan(problem, time_limit=60, seed=2, max_rounds=0)
    code, report = check_plan(tmp_path, data, plan_to_dict(a))

    assert plan_to_dict(a) == plan_to_dict(b)
    assert code == 0
    assert report["required_missing"] == 0
    assert a.score >= greedy.score
