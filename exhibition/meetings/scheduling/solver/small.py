"""Small rounds: the exact CP-SAT model, its restarts, and a large-neighbourhood search over
the whole model."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

from .. import blocks
from ..cpsat import FullModel
from ..greedy import compact, repair
from ..instance import Instance, State
from .common import (
    DECISION_SHARE,
    DECISION_SLICE,
    FEASIBLE_SHARE,
    LNS_FULL_LIMIT,
    WORKERS,
    Clock,
    status_note,
)


def solve_small(state: State, clock: Clock, rng: random.Random, seed: int) -> str:
    inst = state.inst
    repair(state, rng, clock.over, depth=2, budget=200)
    compact(state, clock.over)
    greedy = state.copy_assignment()
    clock.report(status_note(state, clock, "greedy"))
    method = "greedy"
    if clock.over():
        return method
    # 1. every meeting placed (the B2B benchmark problem): minimise breaks alone
    use_blocks = blocks.applicable(inst)
    if use_blocks:
        complete = greedy if all(s >= 0 for s in greedy) else None

        def report(m: str) -> None:
            clock.report(f"all {inst.M} meetings placed, {m}")
            _found(clock)

        sol, verdict = blocks.improve(
            inst,
            complete,
            clock.end - 0.1,
            rng,
            seed,
            should_stop=clock.stop_requested,
            report=report,
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
                clock.report(status_note(state, clock, f"all {inst.M} meetings placed"))
                fm = FullModel(inst, all_must=True)
                _lns_full(fm, state, clock, rng, seed, minimise=True, lower=sum(target))
                return "cp-sat + lns (all placed)"
        if clock.over():
            return method
    # 2. lexicographic: priority sum, then breaks
    fm = FullModel(inst, all_must=False)
    fm.hint(greedy)
    left = clock.left()
    sol, status, _, _obj = fm.solve(
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


def _found(clock: Clock) -> None:
    clock.best_at = clock.elapsed()


def _restarts(
    fm: FullModel, clock: Clock, seeds: Iterator[int], budget: float
) -> tuple[list[int] | None, str]:
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
    fm: FullModel, state: State, clock: Clock, rng: random.Random, seed: int, minimise: bool, lower: int = 0
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
