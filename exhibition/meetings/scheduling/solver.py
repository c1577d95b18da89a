"""The batch meeting scheduler: `solve(problem, time_limit=...) -> Schedule`.

Two regimes, chosen by size:

- *Small problems* (the published B2B benchmark instances: a few hundred meetings):
  a greedy start, then the exact CP-SAT model of `cpsat` over every meeting. It first
  asks for a schedule where every meeting is placed and nobody has a break (the
  structure of most optimal B2B schedules, which CP-SAT finds quickly through the
  "compact block" literals), then, if that is not possible, maximises the priority
  sum and minimises breaks lexicographically for the rest of the time.
- *Large problems* (show scale: thousands of participants, 20,000 requests):
  a priority-ordered greedy construction (`greedy.construct`), ejection-chain
  repair (`greedy.repair`), then a large-neighbourhood search: repeatedly free all
  the meetings of a few participants that still have unscheduled requests (and of
  their partners), re-solve that window exactly with CP-SAT with everything else
  fixed, and keep the result (never worse: the window is hinted with the current
  placement). Breaks are reduced at the end by single-meeting moves (`compact`).

Every intermediate state is a valid schedule, so `should_stop()` returning True
makes `solve` return the best schedule found so far. Pinned meetings are placed
first (by CP-SAT if the greedy cannot), and `ProblemError` is raised when they
cannot all be placed together. Runs are deterministic for a given seed, except
for how far a time-limited CP-SAT call gets.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from .cpsat import Window
from .greedy import compact, construct, default_order, repair
from .instance import NO_CAP, Instance, State
from .model import Problem, ProblemError, Schedule

LNS_BREAKS = "caps"  # LNS windows: priority only, max_breaks enforced (breaks: `compact`)
LNS_LIMIT = 1.0  # seconds per window
LNS_SIZE = 200  # meetings per window
SMALL_MEETINGS = 1500  # at most this many meetings (x slots / 30): the exact model

Progress = Callable[[float, str], None]


class _Clock:
    def __init__(self, time_limit: float, should_stop: Callable[[], bool] | None, progress: Progress | None):
        self.start = time.monotonic()
        self.end = self.start + max(0.0, time_limit)
        self.should_stop = should_stop
        self.progress = progress
        self.stopped = False
        self._last_check = 0.0

    def left(self) -> float:
        return self.end - time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def over(self) -> bool:
        now = time.monotonic()
        if now >= self.end:
            return True
        if self.should_stop is not None and now - self._last_check > 0.05:
            self._last_check = now
            if self.should_stop():
                self.stopped = True
        return self.stopped

    def stop_requested(self) -> bool:
        if self.should_stop is not None and not self.stopped and self.should_stop():
            self.stopped = True
        return self.stopped

    def report(self, message: str) -> None:
        if self.progress is not None:
            total = self.end - self.start
            self.progress(min(1.0, self.elapsed() / total) if total > 0 else 1.0, message)


def _place_pins(state: State, clock: _Clock, seed: int) -> None:
    inst = state.inst
    pins = [m for m in range(inst.M) if inst.pinned[m]]
    if not pins:
        return
    for m in pins:
        if not inst.dom[m]:
            raise ProblemError(
                f"pinned meeting {inst.problem.meetings[m].id!r} has no slot where it can take place"
            )
    # max_breaks is left out here: meetings placed later between pins can remove breaks
    caps, inst.max_breaks = inst.max_breaks, [NO_CAP] * inst.P
    try:
        construct(state, sorted(pins, key=lambda m: (inst.dom[m].bit_count(), m)), use_demand=False)
        if all(state.slot_of[m] >= 0 for m in pins):
            return
        for m in pins:
            if state.slot_of[m] >= 0:
                state.remove(m)
        window = Window(state, pins, must=pins, breaks="caps")
        ok, status = window.solve(max(1.0, min(30.0, clock.left())), seed=seed)
    finally:
        inst.max_breaks = caps
    if not ok:
        if status == "INFEASIBLE":
            raise ProblemError("the pinned meetings cannot all be placed together")
        raise ProblemError("no placement of the pinned meetings was found in the time allowed")


def _small(state: State, clock: _Clock, rng: random.Random, seed: int) -> str:
    inst = state.inst
    repair(state, rng, clock.over, depth=2, budget=200)
    compact(state, clock.over)
    best = state.copy_assignment()
    best_key = (state.value, -state.breaks_total())
    clock.report(f"greedy: {sum(s >= 0 for s in best)}/{inst.M} meetings")
    method = "greedy"
    if clock.over():
        return method
    everything = range(inst.M)
    # 1. every meeting placed and nobody with a break; failing that, as many
    #    participants as possible without a break
    if all(inst.dom[m] for m in everything):
        window = Window(state, everything, must=everything, compact=True)
        for z in window.compact_lits:
            window.model.add(z == 1)
        ok, status = window.solve(
            min(clock.left(), max(2.0, 0.25 * clock.left())),
            seed=seed,
            workers=8,
            should_stop=clock.stop_requested,
        )
        if ok and state.value == sum(inst.w) and state.breaks_total() == 0:
            return "cp-sat exact (no breaks)"
        state.load_assignment(best)
        window = Window(state, everything, must=everything, compact=True)
        window.model.maximize(sum(window.compact_lits))
        ok, status = window.solve(
            min(clock.left(), max(2.0, 0.4 * clock.left())),
            seed=seed,
            workers=8,
            should_stop=clock.stop_requested,
        )
        if ok:
            key = (state.value, -state.breaks_total())
            if key >= best_key:
                best, best_key, method = state.copy_assignment(), key, "cp-sat compact blocks"
            if state.value == sum(inst.w) and state.breaks_total() == 0:
                return "cp-sat exact (no breaks)"
        state.load_assignment(best)
    if clock.over():
        return method
    # 2. lexicographic: priority sum, then breaks
    window = Window(state, everything, compact=True)
    window.hint()
    ok, status = window.solve(clock.left(), seed=seed, workers=8, should_stop=clock.stop_requested)
    if ok:
        compact(state, clock.over)
        if (state.value, -state.breaks_total()) > best_key:
            method = f"cp-sat ({status.lower()})"
        else:
            state.load_assignment(best)
    return method


def _large(state: State, clock: _Clock, rng: random.Random, seed: int) -> str:
    inst = state.inst
    repair_end = clock.start + 0.15 * (clock.end - clock.start)
    repair(state, rng, lambda: time.monotonic() > repair_end or clock.over())
    clock.report(f"repaired: {sum(s >= 0 for s in state.slot_of)}/{inst.M} meetings")
    method = "greedy+repair"
    # large-neighbourhood search with CP-SAT windows
    reserve = min(8.0, 0.1 * (clock.end - clock.start))
    lns_end = clock.end - reserve
    rounds = 0
    target = LNS_SIZE
    while time.monotonic() < lns_end - 0.5 and not clock.over():
        unsched = [m for m in range(inst.M) if state.slot_of[m] < 0 and inst.dom[m]]
        if unsched and rng.random() < 0.8:
            # seed with a valuable unscheduled meeting
            m0 = max(rng.sample(unsched, min(8, len(unsched))), key=lambda m: inst.w[m])
            people = list(inst.parts[m0])
        else:
            people = [rng.randrange(inst.P)]
        chosen = set(people)
        free: set[int] = set()
        frontier = list(people)
        while frontier and len(free) < target:
            p = frontier.pop(0)
            for m in inst.meetings_of[p]:
                if inst.dom[m] and len(free) < target:
                    free.add(m)
                    for q in inst.parts[m]:
                        if q not in chosen and rng.random() < 0.35:
                            chosen.add(q)
                            frontier.append(q)
        before = (state.value, -state.breaks_total())
        snapshot = {m: state.slot_of[m] for m in free}
        window = Window(state, free, breaks=LNS_BREAKS)
        window.hint()
        limit = min(LNS_LIMIT, lns_end - time.monotonic())
        ok, _ = window.solve(max(0.2, limit), seed=seed + rounds, workers=2, should_stop=clock.stop_requested)
        if ok and (state.value, -state.breaks_total()) < before:
            for m in free:
                if state.slot_of[m] >= 0:
                    state.remove(m)
            for m, s in snapshot.items():
                if s >= 0:
                    state.place(m, s)
        rounds += 1
        if rounds % 10 == 0:
            clock.report(f"search: priority {state.value}, {rounds} windows")
    if rounds:
        method = f"greedy+repair+lns({rounds})"
    repair_end = time.monotonic() + reserve / 3
    repair(state, rng, lambda: time.monotonic() > repair_end or clock.over(), rounds=1)
    compact(state, lambda: clock.left() < 0 or clock.stop_requested())
    return method


def _enforce_break_caps(state: State) -> None:
    """Pins alone may exceed a max_breaks that later meetings were meant to close; if the
    search could not close them, drop that participant's unpinned meetings until it fits."""
    inst = state.inst
    over = [p for p in range(inst.P) if state.nbreaks[p] > inst.max_breaks[p]]
    while over:
        p = over.pop()
        while state.nbreaks[p] > inst.max_breaks[p]:
            movable = [m for m in inst.meetings_of[p] if state.slot_of[m] >= 0 and not inst.pinned[m]]
            if not movable:
                raise ProblemError(
                    f"the pinned meetings of {inst.problem.participants[p].id!r} exceed its max_breaks"
                )
            s_of = state.slot_of
            m = min(movable, key=lambda m: (state.remove_delta(p, s_of[m]), inst.w[m], m))
            state.remove(m)
            over += [q for q in inst.parts[m] if state.nbreaks[q] > inst.max_breaks[q]]


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Schedule:
    """Schedule as many meetings as possible (by priority sum), then with fewest breaks.

    Returns within about `time_limit` seconds (or soon after `should_stop()` turns
    True) with the best schedule found. Raises `ProblemError` when the pinned meetings
    cannot all be placed.
    """
    clock = _Clock(time_limit, should_stop, progress)
    rng = random.Random(seed)
    inst = Instance(problem)
    state = State(inst)
    clock.report("placing pinned meetings")
    _place_pins(state, clock, seed)
    construct(state, default_order(inst))
    clock.report(f"greedy: {sum(s >= 0 for s in state.slot_of)}/{inst.M} meetings")
    if clock.over():
        method = "greedy"
    elif inst.M * inst.S <= SMALL_MEETINGS * 30:
        method = _small(state, clock, rng, seed)
    else:
        method = _large(state, clock, rng, seed)
    _enforce_break_caps(state)
    schedule = state.to_schedule()
    schedule.info = {
        "method": method,
        "elapsed": round(clock.elapsed(), 3),
        "stopped": clock.stopped,
        "seed": seed,
    }
    clock.report("done")
    return schedule
