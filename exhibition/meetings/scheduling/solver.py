"""The batch meeting scheduler: `solve(problem, time_limit=...) -> Schedule`.

Two regimes, chosen by size:

- *Small problems* (the published B2B benchmark instances: a few hundred meetings):
  a greedy start, then
  1.  when every meeting can take place, one day, tables and caps on breaks (the
      benchmark's problem, `blocks.applicable`): the blocks model of `blocks.py`,
      where each participant's day is a few runs of meetings with one cumulative
      over them: every participant at its own lower bound, then one extra break
      (who takes it, tried a few participants at a time), then a first schedule and
      a search over who may break (`blocks.improve`); most instances end proved
      optimal within seconds;
  1'. other problems where every meeting can take place: the exact model of
      `cpsat.FullModel` over every meeting, with CP-SAT (two workers):
      a. every participant at its own lower bound on breaks
         (`Instance.min_breaks`: its forbidden slots and pinned meetings alone): a
         pure feasibility problem; a schedule found is optimal. Its run times are
         heavy-tailed, so it runs as short restarts with new seeds
         (`DECISION_SHARE` of the time, `DECISION_SLICE` seconds each);
      b. failing that, any schedule with every meeting (restarts again), then
         breaks minimised by a large-neighbourhood search over the exact model
         (`_lns_full`: free the meetings of a few slots, or of participants with
         breaks and their partners, fix the rest, re-optimise from the current
         schedule as hint);
  2.  when not every meeting can be placed (proved infeasible, or nothing found),
      the lexicographic objective (priority sum, then breaks) with the same search.
- *Large problems* (show scale: thousands of participants, 20,000 requests): the
  day relaxation (`days.day_plan`, HiGHS) decides which day each meeting takes and
  bounds the priority sum; each meeting is placed within its planned day by the
  priority-ordered greedy construction (`greedy.construct`), then ejection-chain
  repair (`greedy.repair`) inserts what is left, anywhere. Breaks are cut by single
  moves and swaps of two meetings of one participant's day (`greedy.compact`,
  `greedy.swap_pass`). A large-neighbourhood search follows: windows around a
  valuable unscheduled meeting (its participants' meetings and some of their
  partners', re-solved by CP-SAT with everything else fixed) for priority, and
  windows over one participant's day with breaks and its partners' that day for
  breaks; a window's result is kept when it is no worse (priority, then breaks).
- *Re-runs* (``initial``: an earlier schedule): its meetings are put back where they
  were, the rest added, and windows rank a schedule by priority, then by meetings
  kept in place, then by breaks (`_rerun`).

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

from . import blocks, days
from .cpsat import FullModel, Window
from .greedy import compact, construct, default_order, repair, swap_pass
from .instance import NO_CAP, Instance, State
from .model import Problem, ProblemError, Schedule

LNS_BREAKS = "caps"  # LNS windows: priority only, max_breaks enforced (breaks: `compact`)
LNS_LIMIT = 1.0  # seconds per window
LNS_SIZE = 200  # meetings per window
LNS_DAY_SIZE = 150  # meetings per breaks window (one day)
BREAK_WINDOWS = 0.25  # share of the windows spent on breaks while priority can still grow
PLAN_SHARE = 0.15  # of the time, at most: the day relaxation
REPAIR_SHARE = 0.08  # of the time: ejection chains after the day plan
LNS_FULL_LIMIT = 2.0  # seconds per window of the small-problem search
FEASIBLE_SHARE = 0.4  # of the time, at most: the search for any complete schedule
DECISION_SHARE = 0.8  # of the time, in all: ... and for one at the lower bound
DECISION_SLICE = 4.0  # seconds per restart of that search
WORKERS = 2  # CP-SAT workers (the target machine has two cores)
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
        self.bound: int | None = None  # proved upper bound on the priority sum, if any
        self.best_at: float | None = None  # seconds until the final best schedule (small problems)

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
    greedy = state.copy_assignment()
    clock.report(_status(state, clock, "greedy"))
    method = "greedy"
    if clock.over():
        return method
    # 1. every meeting placed (the B2B benchmark problem): minimise breaks alone
    use_blocks = blocks.applicable(inst)
    if use_blocks:
        complete = greedy if all(s >= 0 for s in greedy) else None
        sol, verdict = blocks.improve(
            inst,
            complete,
            clock.end - 0.1,
            rng,
            seed,
            should_stop=clock.stop_requested,
            report=lambda m: (clock.report(f"all {inst.M} meetings placed, {m}"), _found(clock)),
        )
        if clock.best_at is None:  # found without a report (proved at once)
            clock.best_at = clock.elapsed()
        if sol is not None:
            state.load_assignment(sol)
            return f"cp-sat blocks ({verdict})"
        if clock.over():
            return method
    if not use_blocks and all(inst.dom[m] for m in range(inst.M)):
        total = clock.left()
        seeds = iter(range(seed, seed + 1 << 20))
        # 1a. any schedule with every meeting: a pure feasibility problem whose run
        #     times are heavy-tailed, so short runs restarted with new seeds
        fm = FullModel(inst, all_must=True)
        fm.model.clear_objective()
        fm.hint(greedy)
        placed, status = _restarts(fm, clock, seeds, clock.left() - (1 - FEASIBLE_SHARE) * total)
        if status == "INFEASIBLE":
            placed = None
        else:
            # 1b. every participant at its own lower bound on breaks (its forbidden
            #     slots and pins alone): a schedule found is optimal
            target = [inst.min_breaks(p) for p in range(inst.P)]
            dm = FullModel(inst, all_must=True, target=target)
            dm.model.clear_objective()
            dm.hint(greedy if placed is None else placed)
            sol, _ = _restarts(dm, clock, seeds, clock.left() - (1 - DECISION_SHARE) * total)
            if sol is not None:
                state.load_assignment(sol)
                return "cp-sat exact (breaks at the lower bound)"
            if placed is None:  # one more chance for any complete schedule
                placed, _ = _restarts(fm, clock, seeds, clock.left() - 0.15 * total)
            if placed is not None:
                # 1c. minimise breaks by large-neighbourhood search over the exact model
                state.load_assignment(placed)
                clock.report(_status(state, clock, f"all {inst.M} meetings placed"))
                fm = FullModel(inst, all_must=True)
                _lns_full(fm, state, clock, rng, seed, minimise=True, lower=sum(target))
                return "cp-sat + lns (all placed)"
        if clock.over():
            return method
    # 2. lexicographic: priority sum, then breaks
    fm = FullModel(inst, all_must=False)
    fm.hint(greedy)
    left = clock.left()
    sol, status, _, obj = fm.solve(
        left, seed=seed, workers=WORKERS, should_stop=clock.stop_requested, settle=max(1.0, 0.1 * left)
    )
    if sol is None:
        return method
    if (_value(inst, sol), -_breaks(inst, sol)) > (state.value, -state.breaks_total()):
        state.load_assignment(sol)
        method = "cp-sat"
    if status == "OPTIMAL":
        return "cp-sat exact (optimal)"
    _lns_full(fm, state, clock, rng, seed, minimise=False)
    return method + " + lns"


def _found(clock: _Clock) -> None:
    clock.best_at = clock.elapsed()


def _restarts(fm: FullModel, clock: _Clock, seeds, budget: float) -> tuple[list[int] | None, str]:
    """Solve `fm` (a feasibility model) in runs of DECISION_SLICE seconds with new seeds
    until a solution, a proof of infeasibility, or `budget` seconds have passed."""
    end = time.monotonic() + budget
    status = "UNKNOWN"
    while not clock.over():
        left = min(end, clock.end) - time.monotonic()
        if left < 0.5:
            break
        sol, status, _, _ = fm.solve(
            min(left, DECISION_SLICE), seed=next(seeds), workers=WORKERS, should_stop=clock.stop_requested
        )
        if sol is not None or status == "INFEASIBLE":
            return sol, status
    return None, status


def _value(inst: Instance, slot_of: list[int]) -> int:
    return sum(inst.w[m] for m, s in enumerate(slot_of) if s >= 0)


def _breaks(inst: Instance, slot_of: list[int]) -> int:
    busy = [0] * inst.P
    for m, s in enumerate(slot_of):
        if s >= 0:
            for p in inst.parts[m]:
                busy[p] |= 1 << s
    return sum(inst.breaks_of_mask(b) for b in busy)


def _lns_full(
    fm: FullModel, state: State, clock: _Clock, rng: random.Random, seed: int, minimise: bool, lower: int = 0
) -> None:
    """Large-neighbourhood search over the exact model: free the meetings of a few
    slots, or of a few participants (those with breaks first) and their partners,
    keep every other meeting where it is, re-optimise with CP-SAT from the current
    schedule as hint; keep the result when it is no worse."""
    inst = state.inst
    cur = state.copy_assignment()

    def key(sol: list[int]) -> tuple[int, int]:
        return (_value(inst, sol), -_breaks(inst, sol))

    cur_key = key(cur)
    frac = 0.35  # share of the meetings a window frees
    rounds = 0
    movable = [m for m in range(inst.M) if inst.dom[m] and inst.dom[m] & (inst.dom[m] - 1)]
    if not movable:
        return
    while not clock.over() and clock.left() > 0.3:
        if minimise and -cur_key[1] <= lower:
            break
        rounds += 1
        target = min(len(movable), max(8, int(frac * len(movable))))
        busy = [0] * inst.P
        for m, s in enumerate(cur):
            if s >= 0:
                for p in inst.parts[m]:
                    busy[p] |= 1 << s
        free: set[int] = set()
        kind = rng.random()
        if kind < 0.4:
            # a few slots (consecutive ones more often)
            slots: set[int] = set()
            k = max(2, int(frac * inst.S))
            if rng.random() < 0.5:
                a = rng.randrange(inst.S)
                slots = {(a + i) % inst.S for i in range(k)}
            else:
                slots = set(rng.sample(range(inst.S), min(k, inst.S)))
            free = {
                m
                for m in movable
                if cur[m] in slots or (cur[m] < 0 and inst.dom[m] & sum(1 << s for s in slots))
            }
        else:
            broken = [p for p in range(inst.P) if inst.breaks_of_mask(busy[p]) > 0]
            unsched = [m for m in movable if cur[m] < 0]
            people: list[int] = []
            if unsched and rng.random() < 0.5:
                people = list(inst.parts[rng.choice(unsched)])
            elif broken and rng.random() < 0.8:
                people = [rng.choice(broken)]
            else:
                people = [rng.randrange(inst.P)]
            chosen = set(people)
            frontier = list(people)
            while len(free) < target:
                if not frontier:
                    rest = [q for q in range(inst.P) if q not in chosen]
                    if not rest:
                        break
                    p = rng.choice(rest)
                    chosen.add(p)
                    frontier.append(p)
                p = frontier.pop(rng.randrange(len(frontier)))
                for m in inst.meetings_of[p]:
                    if m in free or not (inst.dom[m] & (inst.dom[m] - 1)):
                        continue
                    free.add(m)
                    for q in inst.parts[m]:
                        if q not in chosen and rng.random() < 0.5:
                            chosen.add(q)
                            frontier.append(q)
        limit = min(clock.left() - 0.2, LNS_FULL_LIMIT)
        if limit <= 0.05:
            break
        sol, status, _, _ = fm.solve_window(
            free, cur, limit, seed=seed + rounds, workers=WORKERS, should_stop=clock.stop_requested
        )
        if status == "OPTIMAL":
            frac = min(0.9, frac * 1.1)
        elif status in ("FEASIBLE", "UNKNOWN"):
            frac = max(0.1, frac * 0.85)
        if sol is None:
            continue
        k2 = key(sol)
        if k2 >= cur_key:
            if k2 > cur_key:
                clock.report(f"search: {k2[0]} priority, {-k2[1]} breaks ({rounds} windows)")
            cur, cur_key = sol, k2
    if key(state.copy_assignment()) < cur_key:
        state.load_assignment(cur)


def _plan_days(state: State, clock: _Clock) -> days.DayPlan | None:
    """Solve the day relaxation (`days.day_plan`) with the pins' days fixed, and record
    its bound on the priority sum on the clock."""
    inst = state.inst
    pins = {m: inst.day[state.slot_of[m]] for m in range(inst.M) if inst.pinned[m] and state.slot_of[m] >= 0}
    limit = max(1.0, min(PLAN_SHARE * (clock.end - clock.start), clock.left() - 1.0))
    plan = days.day_plan(inst, limit, pins)
    if plan is not None and plan.bound is not None:
        clock.bound = plan.bound
    return plan


def _day_planned(state: State, clock: _Clock, rng: random.Random, plan: days.DayPlan) -> State:
    """A schedule built day by day from the day plan: each meeting's domain narrowed to
    its planned day, then the greedy construction and a short repair."""
    inst = state.inst
    pins = {m: state.slot_of[m] for m in range(inst.M) if inst.pinned[m] and state.slot_of[m] >= 0}
    total = clock.end - clock.start
    clock.report(f"day plan: {plan.value} priority planned")
    planned = State(inst)
    for m, s in pins.items():
        planned.place(m, s)
    saved = list(inst.dom)
    try:
        for m in range(inst.M):
            if m not in pins:
                d = plan.day_of[m]
                inst.dom[m] = inst.dom[m] & inst.day_mask[d] if d >= 0 else 0
        construct(planned, default_order(inst))
        end = time.monotonic() + 0.05 * total
        repair(planned, rng, lambda: time.monotonic() > end or clock.over(), rounds=2)
    finally:
        inst.dom[:] = saved
    return planned


def _neighbourhood(state: State, rng: random.Random, size: int) -> set[int]:
    """Priority window: the meetings around a valuable unscheduled meeting (or around a
    random participant): its participants' meetings, some of their partners' ..."""
    inst = state.inst
    unsched = [m for m in range(inst.M) if state.slot_of[m] < 0 and inst.dom[m]]
    if unsched and rng.random() < 0.8:
        m0 = max(rng.sample(unsched, min(8, len(unsched))), key=lambda m: inst.w[m])
        people = list(inst.parts[m0])
    else:
        people = [rng.randrange(inst.P)]
    chosen = set(people)
    free: set[int] = set()
    frontier = list(people)
    while frontier and len(free) < size:
        p = frontier.pop(0)
        for m in inst.meetings_of[p]:
            if inst.dom[m] and len(free) < size:
                free.add(m)
                for q in inst.parts[m]:
                    if q not in chosen and rng.random() < 0.35:
                        chosen.add(q)
                        frontier.append(q)
    return free


def _day_neighbourhood(state: State, rng: random.Random, size: int) -> tuple[int, set[int]] | None:
    """Breaks window: a participant with a break on some day, its meetings that day,
    its partners' meetings that day, theirs ... (breadth first), plus the unscheduled
    meetings among them that could take that day."""
    inst = state.inst
    broken = [p for p in range(inst.P) if state.nbreaks[p] > 0]
    if not broken:
        return None
    p = rng.choice(broken)
    ds = [d for d, dm in enumerate(inst.day_mask) if inst.breaks_of_mask(state.busy[p] & dm) > 0]
    if not ds:
        return None
    d = rng.choice(ds)
    dm = inst.day_mask[d]
    free: set[int] = set()
    people, seen, i = [p], {p}, 0
    while i < len(people) and len(free) < size:
        q = people[i]
        i += 1
        ms = list(inst.meetings_of[q])
        rng.shuffle(ms)
        for m in ms:
            s = state.slot_of[m]
            if (s >= 0 and inst.day[s] == d) or (s < 0 and inst.dom[m] & dm):
                free.add(m)
                for r in inst.parts[m]:
                    if r not in seen:
                        seen.add(r)
                        people.append(r)
    return d, free


def _large(state: State, clock: _Clock, rng: random.Random, seed: int, plan: days.DayPlan | None) -> str:
    inst = state.inst
    total = clock.end - clock.start
    method = "greedy"
    planned = _day_planned(state, clock, rng, plan) if plan is not None and not clock.over() else None
    if planned is not None and (planned.value, -planned.breaks_total()) > (
        state.value,
        -state.breaks_total(),
    ):
        state.load_assignment(planned.slot_of)
        method = "day plan"
    repair_end = time.monotonic() + REPAIR_SHARE * total
    repair(state, rng, lambda: time.monotonic() > repair_end or clock.over(), full_slots=True)
    clock.report(_status(state, clock, "repaired"))
    _fewer_breaks(state, clock)
    clock.report(_status(state, clock, "breaks reduced"))
    method += "+repair"
    # large-neighbourhood search with CP-SAT windows: for priority (everything may move,
    # breaks only capped) and for breaks (one day of a participant with breaks and of
    # its partners; more priority is still welcome)
    reserve = min(8.0, 0.1 * total)
    lns_end = clock.end - reserve
    rounds = 0
    while time.monotonic() < lns_end - 0.5 and not clock.over():
        if clock.bound is not None and state.value >= clock.bound and state.breaks_total() == 0:
            break
        gap_open = clock.bound is None or state.value < clock.bound
        day = None
        if not gap_open or rng.random() < BREAK_WINDOWS:
            found = _day_neighbourhood(state, rng, LNS_DAY_SIZE)
            if found is not None:
                day, free = found
        if day is None:
            free = _neighbourhood(state, rng, LNS_SIZE)
        if not free:
            rounds += 1
            continue
        before = (state.value, -state.breaks_total())
        snapshot = {m: state.slot_of[m] for m in free}
        if day is None:
            window = Window(state, free, breaks=LNS_BREAKS)
        else:
            window = Window(state, free, breaks="all", slot_mask=inst.day_mask[day])
        window.hint()
        limit = min(LNS_LIMIT, lns_end - time.monotonic())
        ok, _ = window.solve(
            max(0.2, limit), seed=seed + rounds, workers=WORKERS, should_stop=clock.stop_requested
        )
        if ok and (state.value, -state.breaks_total()) < before:
            for m in free:
                if state.slot_of[m] >= 0:
                    state.remove(m)
            for m, s in snapshot.items():
                if s >= 0:
                    state.place(m, s)
        rounds += 1
        if rounds % 10 == 0:
            clock.report(_status(state, clock, f"search ({rounds} windows)"))
    if rounds:
        method += f"+lns({rounds})"
    repair_end = time.monotonic() + reserve / 3
    repair(state, rng, lambda: time.monotonic() > repair_end or clock.over(), rounds=1, full_slots=True)
    _fewer_breaks(state, clock, final=True)
    return method


def _fewer_breaks(state: State, clock: _Clock, final: bool = False) -> None:
    """Single-meeting moves and swaps of two meetings of one participant's day, while
    they save breaks (a few seconds at show scale)."""
    if final:

        def over() -> bool:
            return clock.left() < 0 or clock.stop_requested()
    else:
        over = clock.over
    before = state.breaks_total() + 1
    while state.breaks_total() < before and not over():
        before = state.breaks_total()
        compact(state, over)
        if swap_pass(state, over) < max(1, before // 1000):
            compact(state, over)
            break


class Note(str):
    """A progress message that also carries its figures in ``facts`` (priority, bound,
    gap in %, breaks; moved on a re-run), for callers that word their own message."""

    facts: dict


def _status(state: State, clock: _Clock, what: str, moved: int | None = None) -> Note:
    """'what: priority V of at most B (gap G %), N breaks' for progress reports."""
    facts: dict = {"priority": state.value, "bound": clock.bound, "gap": None, "breaks": state.breaks_total()}
    text = f"{what}: priority {state.value}"
    if clock.bound:
        facts["gap"] = 100.0 * (clock.bound - state.value) / clock.bound
        text += f" of at most {clock.bound} (gap {facts['gap']:.2f} %)"
    text += f", {facts['breaks']} breaks"
    if moved is not None:
        facts["moved"] = moved
        text += f", {moved} moved"
    note = Note(text)
    note.facts = facts
    return note


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


def _initial_slots(inst: Instance, initial: Schedule) -> tuple[dict[int, int], dict[int, int]]:
    """The earlier schedule's slot (and table) per meeting, for the meetings, slots and
    tables that still exist and slots the meeting may still take on its own."""
    problem = inst.problem
    m_idx = {m.id: i for i, m in enumerate(problem.meetings)}
    l_idx = {loc.id: i for i, loc in enumerate(problem.locations)}
    slots: dict[int, int] = {}
    tables: dict[int, int] = {}
    for a in initial.assignments:
        m = m_idx.get(a.meeting)
        s = problem.slot_index.get(a.slot)
        if m is None or s is None or not inst.dom[m] >> s & 1:
            continue
        slots[m] = s
        if a.location is not None and a.location in l_idx:
            tables[m] = l_idx[a.location]
    return slots, tables


def _rerun(state: State, clock: _Clock, rng: random.Random, seed: int, keep: dict[int, int]) -> str:
    """From an earlier schedule: keep its meetings where they are (those that still fit,
    most valuable first), add the others, then search windows that rank a schedule by
    priority sum, then by meetings kept in place, then by breaks."""
    inst = state.inst
    for m in sorted(keep, key=lambda m: (-inst.w[m], m)):
        if state.slot_of[m] < 0 and state.can_place(m, keep[m]):
            state.place(m, keep[m])
    construct(state, default_order(inst))
    repair(state, rng, clock.over, depth=1)

    def kept() -> int:
        return sum(1 for m, s in keep.items() if state.slot_of[m] == s)

    clock.report(_status(state, clock, "earlier schedule kept", moved=len(keep) - kept()))
    rounds = 0
    while not clock.over() and clock.left() > 0.5:
        unsched = [m for m in range(inst.M) if state.slot_of[m] < 0 and state.free_slots(m)]
        if not unsched and state.breaks_total() == 0:
            break
        found = None if unsched and rng.random() < 0.7 else _day_neighbourhood(state, rng, LNS_DAY_SIZE // 2)
        if found is None:
            if not unsched:
                break
            free, day = _neighbourhood(state, rng, LNS_SIZE // 2), None
        else:
            day, free = found
        before = (state.value, kept(), -state.breaks_total())
        snapshot = {m: state.slot_of[m] for m in free}
        window = Window(
            state,
            free,
            breaks="all",
            slot_mask=None if day is None else inst.day_mask[day],
            keep={m: keep[m] for m in free if m in keep},
        )
        window.hint()
        ok, _ = window.solve(
            max(0.2, min(LNS_LIMIT, clock.left() - 0.3)),
            seed=seed + rounds,
            workers=WORKERS,
            should_stop=clock.stop_requested,
        )
        if ok and (state.value, kept(), -state.breaks_total()) < before:
            for m in free:
                if state.slot_of[m] >= 0:
                    state.remove(m)
            for m, s in snapshot.items():
                if s >= 0:
                    state.place(m, s)
        rounds += 1
        if rounds % 10 == 0:
            clock.report(_status(state, clock, f"search ({rounds} windows)", moved=len(keep) - kept()))
    return f"re-run from an earlier schedule+lns({rounds})"


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    initial: Schedule | None = None,
) -> Schedule:
    """Schedule as many meetings as possible (by priority sum), then with fewest breaks.

    Returns within about `time_limit` seconds (or soon after `should_stop()` turns
    True) with the best schedule found. Raises `ProblemError` when the pinned meetings
    cannot all be placed. ``initial``: an earlier schedule (of this problem or of an
    earlier version of it) to resume from: its meetings stay where they are unless
    moving them lets more priority in; ``info["moved"]`` and ``info["dropped"]`` count
    those that moved and those no longer scheduled.
    """
    clock = _Clock(time_limit, should_stop, progress)
    rng = random.Random(seed)
    inst = Instance(problem)
    state = State(inst)
    clock.report("placing pinned meetings")
    _place_pins(state, clock, seed)
    keep, tables = _initial_slots(inst, initial) if initial is not None else ({}, {})
    plan = _plan_days(state, clock)
    if initial is not None:
        method = _rerun(state, clock, rng, seed, keep)
    else:
        construct(state, default_order(inst))
        clock.report(_status(state, clock, "greedy"))
        if clock.over():
            method = "greedy"
        elif inst.M * inst.S <= SMALL_MEETINGS * 30:
            method = _small(state, clock, rng, seed)
        else:
            method = _large(state, clock, rng, seed, plan)
    _enforce_break_caps(state)
    schedule = state.to_schedule(prefer=tables)
    schedule.info = {
        "method": method,
        "elapsed": round(clock.elapsed(), 3),
        "stopped": clock.stopped,
        "seed": seed,
        "bound": clock.bound,
        "best_at": round(clock.best_at if clock.best_at is not None else clock.elapsed(), 3),
    }
    if initial is not None:
        schedule.info["moved"], schedule.info["dropped"] = moved_meetings(initial, schedule)
    clock.report("done")
    return schedule


def moved_meetings(before: Schedule, after: Schedule) -> tuple[int, int]:
    """(moved, dropped): meetings scheduled in both that changed slot or table, and
    meetings scheduled before that are unscheduled now."""
    old = {a.meeting: (a.slot, a.location) for a in before.assignments}
    new = {a.meeting: (a.slot, a.location) for a in after.assignments}
    unscheduled = set(after.unscheduled)
    moved = sum(1 for m, place in old.items() if m in new and new[m] != place)
    return moved, sum(1 for m in old if m in unscheduled)
