"""The SAT search for the fewest extra breaks (the encoding of `satblocks`, asked by the
CaDiCaL child process of `satproc`), on problems small enough to reason about by hand."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exhibition.meetings.scheduling import read_problem
from exhibition.meetings.scheduling.blocks import excess
from exhibition.meetings.scheduling.instance import Instance, first_half, mirror_pivot
from exhibition.meetings.scheduling.satblocks import BreaksSAT
from exhibition.meetings.scheduling.satproc import SatChild
from tests.meetings.scheduling.helpers import fewest_breaks, mirrored_day, problem
from tests.shared_data import B2B_DIR, require_shared


def _gadgets(copies: int, tables: int, a_max_breaks: int = 2) -> Instance:
    # Per copy i, on four slots: A meets B, C and D; E and F are pinned to the third
    # slot. With one table per copy the pinned meetings fill the third slot, so each
    # A has its three meetings around it: one break per copy.
    people, meetings = [], []
    for i in range(copies):
        people += [{"id": f"{x}{i}", "max_breaks": 2} for x in "BCDEF"]
        people.append({"id": f"A{i}", "max_breaks": a_max_breaks})
        meetings += [{"id": f"A{x}{i}", "participants": [f"A{i}", f"{x}{i}"]} for x in "BCD"]
        meetings.append({"id": f"EF{i}", "participants": [f"E{i}", f"F{i}"], "fixed_slot": "d1-1000"})
    tables_ = [{"id": f"T{t}"} for t in range(tables)]
    return Instance(read_problem(problem(people, meetings, locations=tables_)))


def _base(inst: Instance) -> list[int]:
    return [inst.min_breaks(p) for p in range(inst.P)]


def _valid(inst: Instance, slot_of: list[int]) -> None:
    per_slot = [0] * inst.S
    for m, s in enumerate(slot_of):
        assert inst.dom[m] >> s & 1
        per_slot[s] += 1
    assert all(n <= cap for n, cap in zip(per_slot, inst.slot_cap, strict=True))
    for p in range(inst.P):
        slots = [slot_of[m] for m in inst.meetings_of[p]]
        assert len(slots) == len(set(slots))  # nobody in two meetings at once


def _answer(child: SatChild, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not child.poll():
        assert time.monotonic() < deadline, "no answer from the SAT child"
        time.sleep(0.02)


def _ask(inst: Instance, k: int) -> tuple[BreaksSAT, SatChild]:
    """Runs the SAT chain from at most k extra breaks to its answer, its process closed."""
    sat = BreaksSAT(inst, _base(inst))
    child = SatChild(sat.clauses, sat.bounds, k=k)
    try:
        _answer(child, 20)
    finally:
        child.close()
    return sat, child


def _refute_then_solve(inst: Instance, k: int) -> list[int]:
    """Asks for k - 1 extra breaks (must be refuted), then k (must be found); one solver."""
    sat, child = _ask(inst, k - 1)
    assert child.lower == k  # k - 1 refuted
    assert child.true is not None
    slot_of = sat.decode(child.true)
    _valid(inst, slot_of)
    return slot_of


def test_zero_extra_breaks_refuted_then_one_found():
    inst = _gadgets(copies=1, tables=1)

    slot_of = _refute_then_solve(inst, 1)

    assert sum(excess(inst, _base(inst), slot_of).values()) == 1
    a = [q.id for q in inst.problem.participants].index("A0")
    assert {slot_of[m] for m in inst.meetings_of[a]} == {0, 1, 3}


def test_two_people_who_must_break_need_a_bound_of_two():
    inst = _gadgets(copies=2, tables=2)

    slot_of = _refute_then_solve(inst, 2)

    assert sorted(excess(inst, _base(inst), slot_of).values()) == [1, 1]


def test_a_cap_on_breaks_is_kept_whatever_the_bound():
    inst = _gadgets(copies=1, tables=1, a_max_breaks=0)
    _, child = _ask(inst, 0)
    assert child.infeasible and child.true is None


def test_the_child_is_killed_when_the_search_ends_and_answers_when_left_to_run():
    require_shared()
    data = json.loads((B2B_DIR / "json" / "forum-13crafc.forb0007.json").read_text())
    inst = Instance(read_problem(data))  # one extra break is the optimum: seconds of search
    sat = BreaksSAT(inst, _base(inst))
    child = SatChild(sat.clauses, sat.bounds, k=1)
    time.sleep(0.2)
    t0 = time.monotonic()
    child.close()  # mid-search: CaDiCaL cannot be interrupted, its process is killed
    assert time.monotonic() - t0 < 2
    assert child.returncode is not None and not child.poll()

    child = SatChild(sat.clauses, sat.bounds, k=1)
    try:
        _answer(child, 60)
    finally:
        child.close()
    assert child.true is not None
    slot_of = sat.decode(child.true)
    _valid(inst, slot_of)
    assert sum(excess(inst, _base(inst), slot_of).values()) == 1


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in {"Z", "X"}  # a zombie no longer searches


KILLED_PARENT = """
import os, time
from pysat.examples.genhard import PHP
from exhibition.meetings.scheduling.satproc import SatChild
child = SatChild(PHP(14).clauses, [], k=0)
time.sleep(1.0)
print(child.pid, child.returncode, flush=True)
os.kill(os.getpid(), 9)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_the_child_dies_with_a_parent_killed_outright():
    # A worker killed with SIGKILL cannot kill its child: the kernel must, or a refutation
    # could burn a core for minutes. The pigeonhole problem keeps the child searching.
    parent = subprocess.run(
        [sys.executable, "-c", KILLED_PARENT], capture_output=True, text=True, timeout=60, check=False
    )
    pid, returncode = parent.stdout.split()
    assert returncode == "None"  # it was searching when its parent died
    deadline = time.monotonic() + 5
    while _running(int(pid)):
        assert time.monotonic() < deadline, "the SAT child outlived its parent"
        time.sleep(0.05)


@pytest.mark.parametrize("seed", range(6))
def test_the_sat_chain_holding_one_meeting_to_the_first_half_keeps_the_fewest_breaks(seed):
    inst = Instance(read_problem(mirrored_day(seed)))
    pivot = mirror_pivot(inst)
    fewest = fewest_breaks(inst)  # every schedule, both halves of the day
    sat, child = _ask(inst, 0)

    if fewest is None:
        assert child.infeasible and child.true is None
        return
    assert child.true is not None
    slot_of = sat.decode(child.true)
    _valid(inst, slot_of)
    assert pivot is not None and slot_of[pivot] in first_half(inst.S)
    assert sum(_base(inst)) + sum(excess(inst, _base(inst), slot_of).values()) == fewest
