"""The blocks model (every meeting placed, fewest breaks) on problems small enough to
reason about by hand."""

import json
import os
import random
import time
from pathlib import Path

import pytest

from exhibition.meetings.scheduling import blocks, evaluate, read_problem, solve
from exhibition.meetings.scheduling.instance import Instance, first_half, mirror_pivot
from tests.meetings.scheduling.helpers import fewest_breaks, mirrored_day, problem
from tests.shared_data import B2B_DIR, require_shared


def _one_table(a_max_breaks: int = 2) -> dict:
    # One table, four slots. A meets B, C and D; E and F are pinned to the third slot,
    # so A cannot have its three meetings in a row: the best schedule has one break.
    people = [{"id": x, "max_breaks": 2} for x in "BCDEF"] + [{"id": "A", "max_breaks": a_max_breaks}]
    meetings = [
        {"id": "AB", "participants": ["A", "B"]},
        {"id": "AC", "participants": ["A", "C"]},
        {"id": "AD", "participants": ["A", "D"]},
        {"id": "EF", "participants": ["E", "F"], "fixed_slot": "d1-1000"},
    ]
    return problem(people, meetings, locations=[{"id": "T1"}])


def test_improve_finds_the_one_break_schedule_and_proves_it_optimal():
    inst = Instance(read_problem(_one_table()))
    assert blocks.applicable(inst)
    assert sum(inst.min_breaks(p) for p in range(inst.P)) == 0  # the bound alone says 0

    slot_of, verdict = blocks.improve(inst, None, time.monotonic() + 20, random.Random(0))

    assert verdict == "optimal"
    assert sorted(slot_of) == [0, 1, 2, 3]
    assert slot_of[3] == 2  # the pinned meeting stays put
    a = [q.id for q in inst.problem.participants].index("A")
    busy_a = {slot_of[m] for m in inst.meetings_of[a]}
    assert busy_a == {0, 1, 3}


def test_solve_uses_the_blocks_model_for_everyone_placed():
    p = read_problem(_one_table())

    schedule = solve(p, time_limit=20, seed=0)

    ev = evaluate(p, schedule)
    assert ev.errors == ()
    assert ev.scheduled == 4
    assert ev.breaks == 1
    assert schedule.info["method"] == "cp-sat blocks (optimal)"


def test_improve_proves_infeasible_when_a_cap_on_breaks_forbids_every_meeting():
    inst = Instance(read_problem(_one_table(a_max_breaks=0)))

    slot_of, verdict = blocks.improve(inst, None, time.monotonic() + 20, random.Random(0))

    assert (slot_of, verdict) == (None, "infeasible")


def test_solve_drops_a_meeting_when_not_all_fit_the_caps():
    p = read_problem(_one_table(a_max_breaks=0))

    schedule = solve(p, time_limit=10, seed=0)

    ev = evaluate(p, schedule)
    assert ev.errors == ()
    assert ev.scheduled == 3  # A keeps two meetings in a row, no break
    assert {a.meeting for a in schedule.assignments} >= {"EF"}


def test_not_applicable_without_tables_or_caps():
    no_tables = problem(
        [{"id": "A", "max_breaks": 2}, {"id": "B", "max_breaks": 2}],
        [{"id": "AB", "participants": ["A", "B"]}],
    )
    no_caps = problem(
        [{"id": "A"}, {"id": "B"}], [{"id": "AB", "participants": ["A", "B"]}], locations=[{"id": "T1"}]
    )

    assert not blocks.applicable(Instance(read_problem(no_tables)))
    assert not blocks.applicable(Instance(read_problem(no_caps)))


def test_meetings_of_three_count_three_people_at_the_table():
    # Two tables, four slots: one meeting of three and four meetings of two; everyone
    # can meet without a break, and the schedule is valid.
    people = [{"id": x, "max_breaks": 1} for x in "ABCDE"]
    meetings = [
        {"id": "ABC", "participants": ["A", "B", "C"]},
        {"id": "AD", "participants": ["A", "D"]},
        {"id": "BD", "participants": ["B", "D"]},
        {"id": "CE", "participants": ["C", "E"]},
        {"id": "DE", "participants": ["D", "E"]},
    ]
    p = read_problem(problem(people, meetings, locations=[{"id": "T1"}, {"id": "T2"}]))

    schedule = solve(p, time_limit=20, seed=0)

    ev = evaluate(p, schedule)
    assert ev.errors == ()
    assert ev.scheduled == 5
    assert ev.breaks == 0


def _satproc_children() -> list[int]:
    """This process's SAT children still running."""
    me = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields[1] == me and b"satproc" in cmdline:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_improve_races_cp_sat_and_the_sat_child_and_leaves_no_child_behind():
    # Nobody at their own bound is infeasible (phase 1), so the exact chain runs with the
    # SAT child beside it; either may prove the one-break schedule optimal.
    inst = Instance(read_problem(_one_table()))

    slot_of, verdict = blocks.improve(inst, None, time.monotonic() + 20, random.Random(0))

    assert verdict == "optimal"
    assert sum(blocks.excess(inst, [inst.min_breaks(p) for p in range(inst.P)], slot_of).values()) == 1
    assert _satproc_children() == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc (Linux)")
def test_a_stopped_search_kills_the_sat_child_at_once():
    require_shared()
    data = json.loads((B2B_DIR / "json" / "tic-13crafc.original.json").read_text())
    inst = Instance(read_problem(data))  # minutes of SAT search for the child
    t0 = time.monotonic()

    blocks.improve(inst, None, t0 + 60, random.Random(0), should_stop=lambda: time.monotonic() > t0 + 3)

    assert time.monotonic() - t0 < 10
    assert _satproc_children() == []


def test_the_mirror_pivot_is_only_taken_when_the_day_mirrors_itself():
    assert mirror_pivot(Instance(read_problem(mirrored_day(0)))) is not None
    # a meeting pinned to the third of four slots: the mirror would move it to the second
    assert mirror_pivot(Instance(read_problem(_one_table()))) is None

    def with_unavailable(ids: list[str], who: str = "participants") -> Instance:
        data = mirrored_day(0)
        data[who][0]["unavailable"] = ids
        return Instance(read_problem(data))

    assert mirror_pivot(with_unavailable(["d1-0900"])) is None  # A cannot meet first thing
    assert mirror_pivot(with_unavailable(["d1-0900", "d1-1100"])) is not None  # nor last
    assert mirror_pivot(with_unavailable(["d1-1030"], who="locations")) is None  # one table less


@pytest.mark.parametrize("seed", range(6))
def test_holding_one_meeting_to_the_first_half_keeps_thefewest_breaks(seed):
    inst = Instance(read_problem(mirrored_day(seed)))
    pivot = mirror_pivot(inst)
    assert pivot is not None
    fewest = fewest_breaks(inst)  # every schedule, both halves

    slot_of, verdict = blocks.improve(inst, None, time.monotonic() + 20, random.Random(0))

    if fewest is None:
        assert (slot_of, verdict) == (None, "infeasible")
        return
    assert verdict == "optimal"
    assert slot_of[pivot] in first_half(inst.S)
    busy = [0] * inst.P
    for m, s in enumerate(slot_of):
        for p in inst.parts[m]:
            assert not busy[p] >> s & 1
            busy[p] |= 1 << s
    assert sum(inst.breaks_of_mask(b) for b in busy) == fewest
