"""The time budget, the plan as output, and the entry points :func:`plan` and
:func:`replan_delegation`."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, TypedDict

from ..model import (
    EPS,
    Itinerary,
    Plan,
    Problem,
    ProblemError,
    Visit,
    evaluate,
    plan_from_dict,
)
from .fixed import force_required, place_pinned
from .search import ils, insert_greedy, polish
from .state import Del, Progress, ShouldStop, State

# --------------------------------------------------------------------------- output


def _to_plan(state: State, stats: dict[str, Any]) -> Plan:
    problem = state.problem
    its = []
    for D in state.dels:
        for r in D.routes:
            visits = [
                Visit(stand=problem.stands[D.stand[c]].id, start=s, end=s + D.dur[c])
                for c, s in zip(r.seq, r.st, strict=True)
            ]
            its.append(Itinerary(delegation=D.id, day=problem.days[r.day], visits=visits))
    plan = Plan(itineraries=its, stats=stats)
    ev = evaluate(problem, plan)
    plan.score = ev.score
    plan.walking_minutes = ev.walking_minutes
    plan.required_missing = [
        (D.id, problem.stands[D.stand[c]].id)
        for D in state.dels
        for c in range(D.k)
        if D.required[c] and D.where[c] < 0
    ]
    plan.stats["errors"] = ev.errors[:20]
    return plan


@dataclass
class _Clock:
    t0: float
    limit: float
    progress: Progress | None
    should_stop: ShouldStop | None
    last_report: float = 0.0
    last_poll: float = 0.0
    stopped: bool = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def stop(self) -> bool:
        now = time.perf_counter()
        if self.stopped:
            return True
        if now - self.t0 >= self.limit:
            return True
        if self.should_stop is not None and now - self.last_poll >= 0.1:
            self.last_poll = now
            if self.should_stop():
                self.stopped = True
        return self.stopped

    def due(self) -> bool:
        """Whether a report now would be passed on (reports come at most twice a second)."""
        return self.progress is not None and time.perf_counter() - self.last_report >= 0.5

    def report(self, msg: str, force: bool = False) -> None:
        now = time.perf_counter()
        if self.progress is not None and (force or now - self.last_report >= 0.5):
            self.last_report = now
            self.progress(min(1.0, (now - self.t0) / self.limit) if self.limit > 0 else 1.0, msg)


class ScoreFacts(TypedDict):
    score: float
    bound: float
    gap: float  # in %


class Note(str):
    """A progress message that also carries its figures in ``facts`` (score, bound, gap
    in %), for callers that word their own message."""

    facts: ScoreFacts


def _score_note(dels: list[Del], bound: float, what: str) -> Note:
    score = sum(D.score[c] for D in dels for c in range(D.k) if D.where[c] >= 0)
    gap = 100.0 * (bound - score) / bound if bound > 0 else 0.0
    note = Note(f"{what}: score {score:g} of at most {bound:g} (gap {gap:.2f} %)")
    note.facts = {"score": score, "bound": bound, "gap": gap}
    return note


# --------------------------------------------------------------------------- public


def plan(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    fixed: list[dict[str, Any]] | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    max_rounds: int | None = None,
) -> Plan:
    """Plan every delegation's itineraries within ``time_limit`` seconds.

    ``fixed``: visits that must stay exactly as given, each
    ``{"delegation", "day", "stand", "start"}``. ``progress(fraction, message)`` is
    called about twice a second; when ``should_stop()`` turns true the best plan so
    far is returned (it is always complete: every visit in it is feasible).
    ``max_rounds`` caps the improvement rounds, for runs that must not depend on
    the machine's speed.
    """
    clock = _Clock(time.perf_counter(), max(0.0, float(time_limit)), progress, should_stop)
    rng = random.Random(seed)  # noqa: S311 -- seeded for repeatable search, not for security
    state = State(problem)
    if fixed:
        place_pinned(state, fixed)
    else:
        for D in state.dels:
            state.attach(D)
    order = list(range(len(state.dels)))
    rng.shuffle(order)
    dels = state.dels

    # 1. required visits first, every delegation, so that scarce slots go to them
    for i in order:
        D = dels[i]
        req = [c for c in range(D.k) if D.required[c] and D.where[c] < 0]
        if req:
            state.detach(D)
            insert_greedy(D, only=req)
            state.attach(D)
    for i in order:
        force_required(state, dels[i])
    clock.report("required visits placed", force=True)

    # 2. greedy insertion, delegation by delegation
    for n, i in enumerate(order):
        D = dels[i]
        state.detach(D)
        insert_greedy(D)
        state.attach(D)
        if n % 10 == 9:
            clock.report(f"initial plan: {n + 1}/{len(order)} delegations")
    # an upper bound on the score: every candidate that has a feasible option at all
    bound = sum(D.score[c] for D in dels for c in range(D.k) if D.options[c] and c not in D.banned)
    clock.report(_score_note(dels, bound, "initial plan complete"), force=True)

    # 3. iterated local search, round-robin over the delegations
    rounds = 0
    iterations = 0
    per = 12
    saturated = [False] * len(dels)
    while not clock.stop() and (max_rounds is None or rounds < max_rounds):
        rounds += 1
        changed = False
        for i in order:
            if clock.stop():
                break
            D = dels[i]
            if saturated[i]:
                continue
            before = D.objective()
            state.detach(D)
            remaining = clock.limit - clock.elapsed()
            deadline = time.perf_counter() + max(0.0, remaining)
            it = ils(D, deadline, per, rng, clock.stop)
            iterations += it
            state.attach(D)
            after = D.objective()
            if after[0] > before[0] + 1e-9:
                changed = True
            total = sum(D.val[c] for c in range(D.k) if D.options[c] and c not in D.banned)
            if after[0] >= total - 1e-9:
                saturated[i] = True
            if clock.due():  # the score is summed only for reports that go out
                clock.report(_score_note(dels, bound, f"improving: round {rounds}, {iterations} iterations"))
        per = min(per * 2, 400)
        if all(saturated):
            break
        if not changed and per >= 400 and max_rounds is None and rounds > 50:
            break
    # 4. shorter walks for the same visits
    for D in dels:
        if clock.stopped:
            break
        state.detach(D)
        polish(D)
        state.attach(D)
    out = _to_plan(
        state,
        {
            "rounds": rounds,
            "iterations": iterations,
            "elapsed": round(clock.elapsed(), 3),
            "stopped": clock.stopped,
        },
    )
    clock.report("done", force=True)
    return out


def replan_delegation(
    problem: Problem,
    current_plan: Plan | dict[str, Any],
    *,
    delegation: str,
    day: str,
    not_before: float,
    time_limit: float = 1.0,
    seed: int = 0,
) -> Plan:
    """Re-plan one delegation's rest of ``day`` from ``not_before`` on.

    Every other delegation keeps its visits (one is dropped only if that is the
    only way to fit a required visit of this delegation); this delegation keeps its
    other days and its visits of ``day`` that start before ``not_before``; the rest
    of its day is re-optimised. Meant for under 2 seconds.
    """
    t0 = time.perf_counter()
    if isinstance(current_plan, dict):
        current_plan = plan_from_dict(current_plan)
    di = problem.delegation_index.get(delegation)
    if di is None:
        raise ProblemError(f"unknown delegation {delegation!r}")
    if day not in problem.days:
        raise ProblemError(f"unknown day {day!r}")
    state = State(problem)
    D = state.dels[di]
    day_i = problem.days.index(day)
    if day_i not in D.route_of_day:
        raise ProblemError(f"delegation {delegation!r} has no window on {day}")
    keep_hard: list[dict[str, Any]] = []
    keep_soft: list[dict[str, Any]] = []
    for it in current_plan.itineraries:
        for v in it.visits:
            item: dict[str, Any] = {
                "delegation": it.delegation,
                "day": it.day,
                "stand": v.stand,
                "start": v.start,
            }
            if it.delegation != delegation:
                keep_soft.append(item)
            elif it.day != day or v.start < not_before - EPS:
                keep_hard.append(item)
    place_pinned(state, keep_hard + keep_soft)
    # others' kept visits may be dropped, but only to fit a required visit of this delegation
    for item in keep_soft:
        oi = problem.delegation_index[item["delegation"]]
        state.dels[oi].soft.add(
            problem.delegations[oi].candidate_of_stand[problem.stand_index[item["stand"]]]
        )
    r = D.route_of_day[day_i]
    r.release = float(not_before)
    # only the rest of this day is open: no new visits on other days
    D.options = [[r.index] if r.index in opts else [] for opts in D.options]
    rng = random.Random(seed)  # noqa: S311 -- seeded for repeatable search, not for security
    force_required(state, D)
    state.detach(D)
    deadline = t0 + max(0.05, float(time_limit))
    ils(D, deadline, 10**9, rng, lambda: False)
    polish(D)
    state.attach(D)
    return _to_plan(state, {"elapsed": round(time.perf_counter() - t0, 3)})
