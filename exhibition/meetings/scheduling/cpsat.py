"""CP-SAT model of the meeting scheduling problem, over all meetings or a window.

Variables: x[m, s] = 1 when meeting m takes slot s, only for the slots m can still
take (its participants available and not busy elsewhere, the meeting's allowed or
pinned slot, a free location).

Constraints:
- each meeting takes at most one slot (exactly one when it is pinned, or `must`);
- per participant and slot, at most one meeting; per participant, at most
  ``max_meetings``;
- with locations, per slot at most as many meetings as free locations, and per
  (location, slot) at most one meeting pinned to that location (tables are laid out
  afterwards, which is always possible within these counts);
- breaks: with busy[p, s] the (0/1 linear) expression "p meets in s",
  start[p, s] >= busy[p, s] - busy[p, prev(s)] counts the runs of meetings in a day
  and active[p, d] <= sum_s busy[p, s], active <= 1 marks the days p meets at all;
  breaks(p) = sum start - sum active. Both are one-sided: under minimisation (and in
  ``breaks(p) <= max_breaks``) the solver can always pick the exact values.

Objective: lexicographic, as the format scores a schedule: maximise
``BIG * priority_sum - breaks`` with BIG larger than any possible number of breaks.

The same builder serves three uses: the exact model of a whole small problem (the
B2B benchmark instances), the placement of pinned meetings alone, and the
large-neighbourhood search at show scale, where only a window of meetings is free
and everything else in the current `State` is a constant.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from .instance import NO_CAP, State, bits


class Window:
    """One CP-SAT model over the `free` meetings, the rest of `state` held fixed."""

    def __init__(
        self,
        state: State,
        free: Iterable[int],
        must: Iterable[int] = (),
        breaks: str = "all",  # "all": minimise breaks; "caps": only enforce max_breaks
        compact: bool = False,
    ):
        inst = self.inst = state.inst
        self.state = state
        self.free = sorted(set(free))
        must = self.must = {m for m in must} | {m for m in self.free if inst.pinned[m]}
        # take the window out of the state: what remains is the fixed context
        self.old = {m: state.slot_of[m] for m in self.free}
        for m in self.free:
            if state.slot_of[m] >= 0:
                state.remove(m)
        model = self.model = cp_model.CpModel()
        self.x: dict[int, dict[int, cp_model.IntVar]] = {}
        per_ps: dict[tuple[int, int], list] = {}
        per_p: dict[int, list] = {}
        per_s: dict[int, list] = {}
        per_ls: dict[tuple[int, int], list] = {}
        for m in self.free:
            pl = inst.pinloc[m]
            xs = {}
            for s in bits(state.free_slots(m)):
                if state.load[s] >= inst.slot_cap[s] or (pl >= 0 and (pl, s) in state.pin_used):
                    continue
                xs[s] = model.new_bool_var(f"x{m}_{s}")
            self.x[m] = xs
            if m in must:
                model.add_exactly_one(xs.values())
            elif len(xs) > 1:
                model.add_at_most_one(xs.values())
            for s, v in xs.items():
                for p in inst.parts[m]:
                    per_ps.setdefault((p, s), []).append(v)
                    per_p.setdefault(p, []).append(v)
                if inst.has_locations:
                    per_s.setdefault(s, []).append(v)
                    if pl >= 0:
                        per_ls.setdefault((pl, s), []).append(v)
        for vs in per_ps.values():
            if len(vs) > 1:
                model.add_at_most_one(vs)
        for p, vs in per_p.items():
            room = inst.cap[p] - state.count[p]
            if room < NO_CAP // 2 and room < len(vs):
                model.add(sum(vs) <= room)
        for s, vs in per_s.items():
            room = inst.slot_cap[s] - state.load[s]
            if room < len(vs):
                model.add(sum(vs) <= room)
        for vs in per_ls.values():
            if len(vs) > 1:
                model.add_at_most_one(vs)

        # breaks of the participants the window touches
        self.break_terms = []
        self.break_const = 0
        self.compact_lits: list = []
        self.busy_lits: dict = {}
        for p in sorted(per_p):
            capped = inst.max_breaks[p] < NO_CAP
            if breaks != "all" and not capped:
                continue
            terms, const = self._breaks(p, per_ps, state)
            if compact:
                self._compact(p, per_ps, state, terms, const)
            if capped:
                model.add(sum(terms) + const <= inst.max_breaks[p])
            if breaks == "all":
                self.break_terms += terms
                self.break_const += const
        self.gain = sum(inst.w[m] * v for m in self.free for v in self.x[m].values())
        max_breaks = sum(len(self.x[m]) for m in self.free) + len(self.break_terms) + 1
        self.big = max_breaks if breaks == "all" else 1
        if len(must) == len(self.free):  # the priority sum is fixed: breaks alone
            self.big = 0
        model.maximize(self.big * self.gain - sum(self.break_terms))

    def _compact(self, p: int, per_ps: dict, state: State, terms: list, const: int) -> None:
        """Redundant view for a participant whose n meetings are all in the window, all
        required and on one day: z = "no break", i.e. it meets in exactly the n slots
        from some start a. CP-SAT propagates these windows far better than the breaks
        count alone (it is the structure of near-optimal B2B schedules)."""
        inst, model = self.inst, self.model
        ms = inst.meetings_of[p]
        if state.busy[p] or any(m not in self.must or m not in self.x for m in ms):
            return
        slots = {s for m in ms for s in self.x[m]}
        if not slots or len({inst.day[s] for s in slots}) != 1:
            return
        n = len(ms)
        day = inst.days[inst.day[next(iter(slots))]]
        z = model.new_bool_var(f"z{p}")
        le = [model.new_bool_var("") for _ in day]  # le[i]: the block starts at or before day[i]
        for a, b in zip(le, le[1:], strict=False):
            model.add_implication(a, b)
        for i, s in enumerate(day):
            busy = self._busy(p, s, per_ps, state)
            before = le[i - n] if i >= n else 0
            model.add(busy == le[i] - before).only_enforce_if(z)
        if n > len(day):
            model.add(z == 0)
        else:
            model.add(le[len(day) - n] == 1).only_enforce_if(z)
        model.add(sum(terms) + const >= 1).only_enforce_if(~z)
        self.compact_lits.append(z)

    def _busy(self, p: int, s: int, per_ps: dict, state: State):
        """1, 0 or a literal equal to "p meets in s"."""
        if state.busy[p] >> s & 1:
            return 1
        vs = per_ps.get((p, s))
        if not vs:
            return 0
        if len(vs) == 1:
            return vs[0]
        key = (p, s)
        lit = self.busy_lits.get(key)
        if lit is None:
            lit = self.busy_lits[key] = self.model.new_bool_var("")
            self.model.add(lit == sum(vs))
        return lit

    def _breaks(self, p: int, per_ps: dict, state: State) -> tuple[list, int]:
        """Terms (and a constant) whose sum is, at the optimum, p's breaks: per day, the
        runs of meetings (a literal per possible start) minus one if it meets that day."""
        inst, model = self.inst, self.model
        terms: list = []
        const = 0
        surely = 0  # days p meets in whatever the solution: a must meeting lies within it
        for m in inst.meetings_of[p]:
            if m in self.must and self.x.get(m):
                sl = list(self.x[m])
                if all(inst.day[s] == inst.day[sl[0]] for s in sl):
                    surely |= 1 << inst.day[sl[0]]
        for d, day in enumerate(inst.days):
            lits = [self._busy(p, s, per_ps, state) for s in day]
            if all(isinstance(e, int) and e == 0 for e in lits):
                continue
            prev = 0
            for e in lits:
                if isinstance(e, int):
                    if e == 1 and isinstance(prev, int) and prev == 0:
                        const += 1
                    elif e == 1:
                        v = model.new_bool_var("")
                        model.add_bool_or([v, prev])
                        terms.append(v)
                elif not (isinstance(prev, int) and prev == 1):
                    v = model.new_bool_var("")
                    model.add_bool_or([v, ~e] + ([] if isinstance(prev, int) else [prev]))
                    terms.append(v)
                prev = e
            if surely >> d & 1 or any(isinstance(e, int) and e == 1 for e in lits):
                const -= 1
            else:
                a = model.new_bool_var("")
                model.add_bool_or([~a] + [e for e in lits if not isinstance(e, int)])
                terms.append(-a)
        return terms, const

    def hint(self, slots: dict[int, int] | None = None) -> None:
        slots = self.old if slots is None else slots
        for m in self.free:
            for s, v in self.x[m].items():
                self.model.add_hint(v, slots.get(m, -1) == s)

    def solve(
        self,
        time_limit: float,
        seed: int = 0,
        workers: int = 2,
        should_stop: Callable[[], bool] | None = None,
        params: dict | None = None,
    ) -> tuple[bool, str]:
        """Solve, then write the best solution found into the state (or restore the old
        placement when there is none). Returns (whether a solution was written, status)."""
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.max_time_in_seconds = max(0.01, time_limit)
        prm.num_workers = workers
        prm.random_seed = seed
        for k, v in (params or {}).items():
            setattr(prm, k, v)
        done = threading.Event()
        watcher = None
        if should_stop is not None:

            def watch() -> None:
                while not done.wait(0.1):
                    if should_stop():
                        solver.stop_search()
                        return

            watcher = threading.Thread(target=watch, daemon=True)
            watcher.start()
        try:
            status = solver.solve(self.model)
        finally:
            done.set()
            if watcher is not None:
                watcher.join()
        name = solver.status_name(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for m in self.free:
                for s, v in self.x[m].items():
                    if solver.boolean_value(v):
                        self.state.place(m, s)
                        break
            self.bound = solver.best_objective_bound
            return True, name
        self.restore()
        return False, name

    def restore(self) -> None:
        for m in self.free:
            if self.state.slot_of[m] >= 0:
                self.state.remove(m)
        for m, s in self.old.items():
            if s >= 0:
                self.state.place(m, s)
