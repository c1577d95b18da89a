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

`Window` serves the placement of pinned meetings alone and the large-neighbourhood
search at show scale, where only a window of meetings is free and everything else
in the current `State` is a constant. `FullModel` is the exact model of a whole
small problem (the B2B benchmark instances) over the static domains, with exact
run-start literals, redundant cardinalities, "compact block" literals and an
optional per-participant target on breaks; its `solve_window` re-optimises a
subset of the meetings with the rest fixed (domains narrowed in the proto).
"""

from __future__ import annotations

import itertools
import threading
import time as _time
from collections.abc import Callable, Iterable

from ortools.sat.python import cp_model

from .instance import NO_CAP, Instance, State, bits
from .stopping import interrupt_when

Var = cp_model.IntVar  # a Boolean variable of the model
Busy = int | cp_model.IntVar  # "p meets in s": the constant 0 or 1, or a literal


def solve_stoppable(
    solver: cp_model.CpSolver, model: cp_model.CpModel, should_stop: Callable[[], bool] | None
) -> cp_model.CpSolverStatus:
    """``solver.solve(model)``, stopped early (best solution kept) once ``should_stop()``
    turns True: a watcher thread polls it every 0.1 s."""
    if should_stop is None:
        return solver.solve(model)
    with interrupt_when(should_stop, solver.stop_search, 0.1):
        return solver.solve(model)


class Window:
    """One CP-SAT model over the `free` meetings, the rest of `state` held fixed."""

    def __init__(
        self,
        state: State,
        free: Iterable[int],
        must: Iterable[int] = (),
        breaks: str = "all",  # "all": minimise breaks; "caps": only enforce max_breaks
        compact: bool = False,
        slot_mask: int | None = None,
        max_breaks: list[int] | None = None,
        keep: dict[int, int] | None = None,
    ):
        """``slot_mask``: the free meetings may only take these slots; ``max_breaks``:
        caps on breaks to enforce instead of the participants' own; ``keep``: slots the
        meetings had in an earlier schedule, kept where possible (after priority,
        before breaks)."""
        inst = self.inst = state.inst
        caps = inst.max_breaks if max_breaks is None else max_breaks
        self.state = state
        self.free = sorted(set(free))
        must = self.must = set(must) | {m for m in self.free if inst.pinned[m]}
        # take the window out of the state: what remains is the fixed context
        self.old = {m: state.slot_of[m] for m in self.free}
        for m in self.free:
            if state.slot_of[m] >= 0:
                state.remove(m)
        model = self.model = cp_model.CpModel()
        self.x: dict[int, dict[int, cp_model.IntVar]] = {}
        per_ps: dict[tuple[int, int], list[Var]] = {}
        per_p: dict[int, list[Var]] = {}
        per_s: dict[int, list[Var]] = {}
        per_ls: dict[tuple[int, int], list[Var]] = {}
        for m in self.free:
            pl = inst.pinloc[m]
            xs: dict[int, Var] = {}
            for s in bits(state.free_slots(m) & (-1 if slot_mask is None else slot_mask)):
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
        self.break_terms: list[cp_model.LinearExpr] = []
        self.break_const = 0
        self.compact_lits: list[Var] = []
        self.busy_lits: dict[tuple[int, int], Var] = {}
        for p in sorted(per_p):
            capped = caps[p] < NO_CAP
            if breaks != "all" and not capped:
                continue
            terms, const = self._breaks(p, per_ps, state)
            if compact:
                self._compact(p, per_ps, state, terms, const)
            if capped:
                model.add(sum(terms) + const <= caps[p])
            if breaks == "all":
                self.break_terms += terms
                self.break_const += const
        self.gain = sum(inst.w[m] * v for m in self.free for v in self.x[m].values())
        most_breaks = sum(len(self.x[m]) for m in self.free) + len(self.break_terms) + 1
        kept = [self.x[m][s] for m, s in (keep or {}).items() if m in self.x and s in self.x[m]]
        per_keep = most_breaks if breaks == "all" else 1  # one kept meeting outweighs any breaks
        self.big = (most_breaks if breaks == "all" else 1) + per_keep * len(kept)
        if len(must) == len(self.free):  # the priority sum is fixed
            self.big = 0
        model.maximize(self.big * self.gain + per_keep * sum(kept) - sum(self.break_terms))

    def _compact(
        self,
        p: int,
        per_ps: dict[tuple[int, int], list[Var]],
        state: State,
        terms: list[cp_model.LinearExpr],
        const: int,
    ) -> None:
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
        for a, b in itertools.pairwise(le):
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

    def _busy(self, p: int, s: int, per_ps: dict[tuple[int, int], list[Var]], state: State) -> Busy:
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

    def _breaks(
        self, p: int, per_ps: dict[tuple[int, int], list[Var]], state: State
    ) -> tuple[list[cp_model.LinearExpr], int]:
        """Terms (and a constant) whose sum is, at the optimum, p's breaks: per day, the
        runs of meetings (a literal per possible start) minus one if it meets that day."""
        inst, model = self.inst, self.model
        terms: list[cp_model.LinearExpr] = []
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
            prev: Busy = 0
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
        params: dict[str, object] | None = None,
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
        status = solve_stoppable(solver, self.model, should_stop)
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


class FullModel:
    """The exact model of a whole (small) problem over the static domains, as in
    Bofill et al. (JAIR 2022): x[m, s] per meeting and usable slot; busy[p, s] the
    Boolean "p meets in s" (= the sum of its x, which also enforces one meeting per
    slot); start[p, s] = busy[p, s] and not busy[p, prev(s)] exactly (a run of meetings
    begins in s; the first slot of a day has no previous slot, and slots on both sides
    of a lunch pause are consecutive); active[p, d] = p meets on day d (the constant 1
    when one of its required meetings can only be on that day). Breaks of p =
    sum start - sum active, capped by max_breaks.

    ``all_must``: every meeting takes exactly one slot and the objective is the number
    of breaks alone (the B2B benchmark problem); otherwise meetings are optional (pins
    aside) and the objective is lexicographic, ``BIG * priority_sum - breaks``.
    """

    def __init__(
        self,
        inst: Instance,
        all_must: bool,
        symmetry: bool = True,
        compact: bool = True,
        target: list[int] | None = None,
        slack: int = 0,
    ) -> None:
        self.inst = inst
        self.compact_lits: dict[int, Var] = {}
        self.le_vars: list[tuple[int, list[Var]]] = []
        self.all_must = all_must
        model = self.model = cp_model.CpModel()
        self.x: dict[int, dict[int, cp_model.IntVar]] = {}
        per_ps: dict[tuple[int, int], list[Var]] = {}
        per_p: dict[int, list[Var]] = {}
        per_s: dict[int, list[Var]] = {}
        per_ls: dict[tuple[int, int], list[Var]] = {}
        for m in range(inst.M):
            xs = {s: model.new_bool_var(f"x{m}_{s}") for s in bits(inst.dom[m])}
            self.x[m] = xs
            if not xs:
                continue
            if all_must or inst.pinned[m]:
                model.add_exactly_one(xs.values())
            elif len(xs) > 1:
                model.add_at_most_one(xs.values())
            pl = inst.pinloc[m]
            for s, v in xs.items():
                for p in inst.parts[m]:
                    per_ps.setdefault((p, s), []).append(v)
                    per_p.setdefault(p, []).append(v)
                if inst.has_locations:
                    per_s.setdefault(s, []).append(v)
                    if pl >= 0:
                        per_ls.setdefault((pl, s), []).append(v)
        for p, vs in per_p.items():
            if inst.cap[p] < len(vs) and inst.cap[p] < NO_CAP // 2:
                model.add(sum(vs) <= inst.cap[p])
        for s, vs in per_s.items():
            if inst.slot_cap[s] < len(vs):
                model.add(sum(vs) <= inst.slot_cap[s])
        for vs in per_ls.values():
            if len(vs) > 1:
                model.add_at_most_one(vs)
        if symmetry:  # two meetings of the same participants with the same domain
            seen: dict[tuple[tuple[int, ...], int, int], int] = {}
            for m in range(inst.M):
                if not self.x[m] or inst.pinned[m]:
                    continue
                key = (tuple(sorted(inst.parts[m])), inst.dom[m], inst.w[m])
                if key in seen:
                    twin = seen[key]
                    model.add(
                        sum(s * v for s, v in self.x[twin].items()) < sum(s * v for s, v in self.x[m].items())
                    )
                seen[key] = m

        # busy literals
        self.busy: dict[tuple[int, int], Var] = {}
        for (p, s), vs in per_ps.items():
            if len(vs) == 1:
                self.busy[p, s] = vs[0]
            else:
                lit = model.new_bool_var(f"b{p}_{s}")
                model.add(lit == sum(vs))
                self.busy[p, s] = lit
        # redundant: p is busy in as many slots as it has meetings (when all are required)
        for p in per_p:
            bs = [self.busy[p, s] for s in range(inst.S) if (p, s) in self.busy]
            ms = [m for m in inst.meetings_of[p] if self.x[m]]
            if all_must or all(inst.pinned[m] for m in ms):
                model.add(sum(bs) == len(ms))
        # breaks
        self.breaks: dict[int, list[cp_model.LinearExpr]] = {}
        self.break_const: dict[int, int] = {}
        self.starts: list[Var] = []
        total_terms: list[cp_model.LinearExpr] = []
        total_const = 0
        for p in sorted(per_p):
            required_days = 0
            for m in inst.meetings_of[p]:
                xs = self.x[m]
                if xs and (all_must or inst.pinned[m]):
                    ds = {inst.day[s] for s in xs}
                    if len(ds) == 1:
                        required_days |= 1 << next(iter(ds))
            terms: list[cp_model.LinearExpr] = []
            const = 0
            for d, day in enumerate(inst.days):
                lits = [self.busy.get((p, s)) for s in day]
                present = [b for b in lits if b is not None]
                if not present:
                    continue
                prev: Var | None = None
                day_first = len(terms)
                for b in lits:
                    if b is not None:
                        if prev is None:
                            terms.append(b)  # a run starts here whenever p meets here
                        else:
                            st = model.new_bool_var("")
                            model.add_bool_or([st, ~b, prev])
                            model.add_implication(st, b)
                            model.add_implication(st, ~prev)
                            terms.append(st)
                            self.starts.append(st)
                    prev = b
                if required_days >> d & 1:
                    const -= 1
                    model.add(sum(terms[day_first:]) >= 1)
                else:
                    a = model.new_bool_var("")
                    model.add_bool_or([~a, *present])
                    for b in present:
                        model.add_implication(b, a)
                    model.add(sum(terms[day_first:]) >= a)
                    terms.append(-a)
            self.breaks[p] = terms
            self.break_const[p] = const
            if compact:
                self._compact(p, required_days, terms, const)
            if inst.max_breaks[p] < NO_CAP:
                # a participant with n possible meetings has at most n - 1 breaks
                n_p = sum(1 for m in inst.meetings_of[p] if self.x[m])
                if inst.max_breaks[p] < n_p - 1:
                    model.add(sum(terms) + const <= inst.max_breaks[p])
            total_terms += terms
            total_const += const
        if target is not None:
            # each participant at its own lower bound on breaks, but for at most
            # `slack` participants (then the optimum is within slack of sum(target))
            relaxed: list[Var] = []
            for p, terms in self.breaks.items():
                const = self.break_const[p]
                r = model.new_bool_var(f"r{p}") if slack > 0 else None
                z = self.compact_lits.get(p)
                if target[p] == 0 and z is not None:
                    if r is None:
                        model.add(z == 1)
                    else:
                        model.add_bool_or([z, r])
                else:
                    c = model.add(sum(terms) + const <= target[p])
                    if r is not None:
                        c.only_enforce_if(~r)
                if r is not None:
                    relaxed.append(r)
            if relaxed:
                model.add(sum(relaxed) <= slack)
                model.add(sum(total_terms) + total_const <= sum(target) + slack)
        self.break_expr = sum(total_terms) + total_const
        self.n_break_terms = len(total_terms)
        self.gain = sum(inst.w[m] * v for m in range(inst.M) for v in self.x[m].values())
        if all_must:
            model.minimize(self.break_expr)
        else:
            self.big = self.n_break_terms + 1
            model.maximize(self.big * self.gain - self.break_expr)

    def _compact(self, p: int, required_days: int, terms: list[cp_model.LinearExpr], const: int) -> None:
        """z[p] = "p has no break": when all of p's n meetings are required and can only
        be on one day, z means p meets in exactly the n consecutive slots from some a
        (order encoding of a: le[i] = "a <= i"). Redundant, but propagates far better
        than the break count alone."""
        inst, model = self.inst, self.model
        ms = [m for m in inst.meetings_of[p] if self.x[m]]
        if not ms or len(ms) < 2 or not (self.all_must or all(inst.pinned[m] for m in ms)):
            return
        if required_days.bit_count() != 1:
            return
        d = required_days.bit_length() - 1
        if any(inst.day[s] != d for m in ms for s in self.x[m]):
            return
        n, day = len(ms), inst.days[d]
        z = model.new_bool_var(f"z{p}")
        if n > len(day):
            model.add(z == 0)
        else:
            le = [model.new_bool_var("") for _ in day]
            self.le_vars.append((n, le))
            for a, b in itertools.pairwise(le):
                model.add_implication(a, b)
            for i, s in enumerate(day):
                busy = self.busy.get((p, s), 0)
                before = le[i - n] if i >= n else 0
                model.add(busy == le[i] - before).only_enforce_if(z)
            model.add(le[len(day) - n] == 1).only_enforce_if(z)
        model.add(sum(terms) + const >= 1).only_enforce_if(~z)
        model.add(sum(terms) + const == 0).only_enforce_if(z)
        self.compact_lits[p] = z

    def hint(self, slot_of: list[int]) -> None:
        for m, xs in self.x.items():
            for s, v in xs.items():
                self.model.add_hint(v, slot_of[m] == s)

    def solve(
        self,
        time_limit: float,
        seed: int = 0,
        workers: int = 2,
        should_stop: Callable[[], bool] | None = None,
        give_up: float | None = None,
        settle: float | None = None,
        on_solution: Callable[[float], None] | None = None,
        params: dict[str, object] | None = None,
    ) -> tuple[list[int] | None, str, float, float | None]:
        """Returns (slot per meeting or None, status name, best bound, objective).
        ``give_up``: seconds after which the search stops if it has not found any
        solution yet; ``settle``: seconds it goes on after the first solution."""
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.max_time_in_seconds = max(0.01, time_limit)
        prm.num_workers = workers
        prm.random_seed = seed
        for k, v in (params or {}).items():
            setattr(prm, k, v)
        found = threading.Event()
        x = self.x

        first = [0.0]

        class CB(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                if not found.is_set():
                    first[0] = _time.monotonic()
                found.set()
                if on_solution is not None:
                    on_solution(self.objective_value)

        started = _time.monotonic()

        def stop() -> bool:
            if should_stop is not None and should_stop():
                return True
            if give_up is not None and not found.is_set() and _time.monotonic() - started > give_up:
                return True
            return settle is not None and found.is_set() and _time.monotonic() - first[0] > settle

        with interrupt_when(stop, solver.stop_search, 0.05):
            status = solver.solve(self.model, CB())
        name = solver.status_name(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out = [-1] * self.inst.M
            for m, xs in x.items():
                for s, v in xs.items():
                    if solver.boolean_value(v):
                        out[m] = s
                        break
            return out, name, solver.best_objective_bound, solver.objective_value
        return None, name, solver.best_objective_bound, None

    def solve_window(
        self,
        free: Iterable[int],
        current: list[int],
        time_limit: float,
        seed: int = 0,
        workers: int = 2,
        should_stop: Callable[[], bool] | None = None,
    ) -> tuple[list[int] | None, str, float, float | None]:
        """Large-neighbourhood step: every meeting outside `free` keeps its slot in
        `current` (-1: unscheduled), the rest is re-optimised from the hint `current`."""
        free = set(free)
        proto = self.model.proto
        touched: list[int] = []
        for m, xs in self.x.items():
            if m in free:
                continue
            for s, v in xs.items():
                dom = proto.variables[v.index].domain
                val = 1 if current[m] == s else 0
                dom[0] = val
                dom[1] = val
                touched.append(v.index)
        self.model.clear_hints()
        self.hint(current)
        try:
            return self.solve(time_limit, seed=seed, workers=workers, should_stop=should_stop)
        finally:
            for i in touched:
                dom = proto.variables[i].domain
                dom[0] = 0
                dom[1] = 1
