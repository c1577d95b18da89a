"""Decomposition by days for large problems: which day each meeting takes.

A relaxation of the problem in which a participant's day is a bag of slots:

- each meeting takes at most one day (exactly one when pinned), among the days
  where it has a usable slot;
- per participant and day, its meetings there fit in the slots it can use there,
  and (Hall's condition on its own meetings) every group of them that can only use
  some of those slots fits in those;
- per participant, at most ``max_meetings``;
- with tables, per day no more meetings than free (table, slot) pairs.

Every schedule projects onto a solution of it, so its optimum is an upper bound on
the priority sum (usually within a fraction of a percent of the optimum, and well
below the bound that ignores days), and its constraint matrix is close to totally
unimodular: the linear relaxation, solved by HiGHS in about a second at show scale,
is nearly always integral. A fractional solution is rounded down and its LP value
still bounds the optimum. The solver then schedules each day's meetings in slots
with the meetings' domains narrowed to their planned day (`solver.large.solve_large`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from .instance import NO_CAP, Instance


@dataclass
class DayPlan:
    day_of: list[int]  # planned day per meeting, -1: left out
    value: int  # priority sum of the planned meetings
    bound: int | None  # upper bound on any schedule's priority sum (None: not proved)
    integral: bool


def day_plan(inst: Instance, time_limit: float, fixed_day: dict[int, int] | None = None) -> DayPlan | None:
    """Solve the day relaxation (linear relaxation first; MILP only if it is fractional).
    ``fixed_day``: meetings that must take the given day (pins). None when HiGHS finds
    nothing in time."""
    nd = len(inst.days)
    fixed_day = fixed_day or {}
    var: list[tuple[int, int]] = []
    rows: list[list[int]] = []
    lo: list[float] = []
    hi: list[float] = []
    per_pd: dict[tuple[int, int], list[tuple[int, int]]] = {}
    per_p: dict[int, list[int]] = {}
    per_d: dict[int, list[int]] = {}
    for m in range(inst.M):
        dom = inst.dom[m]
        if not dom:
            continue
        idx = []
        for d in range(nd):
            if not dom & inst.day_mask[d]:
                continue
            if m in fixed_day and fixed_day[m] != d:
                continue
            var.append((m, d))
            i = len(var) - 1
            idx.append(i)
            for p in inst.parts[m]:
                per_pd.setdefault((p, d), []).append((m, i))
                per_p.setdefault(p, []).append(i)
            per_d.setdefault(d, []).append(i)
        if idx:
            must = inst.pinned[m] or m in fixed_day
            rows.append(idx)
            lo.append(1.0 if must else -math.inf)
            hi.append(1.0)
    for (_p, d), mvs in per_pd.items():
        dm = inst.day_mask[d]
        union = 0
        groups: dict[int, list[int]] = {}
        for m, i in mvs:
            a = inst.dom[m] & dm
            union |= a
            groups.setdefault(a, []).append(i)
        masks = set(groups)
        masks.add(union)
        for a in masks:
            vs = [i for b, g in groups.items() if b & ~a == 0 for i in g]
            if a.bit_count() < len(vs):
                rows.append(vs)
                lo.append(-math.inf)
                hi.append(a.bit_count())
    for p, vs in per_p.items():
        if inst.cap[p] < len(vs) and inst.cap[p] < NO_CAP // 2:
            rows.append(vs)
            lo.append(-math.inf)
            hi.append(inst.cap[p])
    if inst.has_locations:
        for d, vs in per_d.items():
            room = sum(inst.slot_cap[s] for s in inst.days[d])
            if room < len(vs):
                rows.append(vs)
                lo.append(-math.inf)
                hi.append(room)
    n = len(var)
    if n == 0:
        return DayPlan([-1] * inst.M, 0, 0, True)
    ri = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    ci = np.concatenate([np.asarray(r, dtype=np.int64) for r in rows])
    a_mat = csr_matrix((np.ones(len(ci)), (ri, ci)), shape=(len(rows), n))
    cons = LinearConstraint(a_mat, np.asarray(lo), np.asarray(hi))
    c = -np.asarray([inst.w[m] for m, _ in var], dtype=float)
    res = milp(
        c, constraints=cons, bounds=Bounds(0, 1), integrality=np.zeros(n), options={"time_limit": time_limit}
    )
    if res.x is None:
        return None
    x = res.x
    bound = math.floor(-res.fun + 1e-6) if res.status == 0 else None
    integral = bool(np.all((x < 1e-6) | (x > 1 - 1e-6)))
    if not integral:
        # the MILP from the LP's rounding; its dual bound stays valid
        res2 = milp(
            c,
            constraints=cons,
            bounds=Bounds(0, 1),
            integrality=np.ones(n),
            options={"time_limit": time_limit, "mip_rel_gap": 1e-4},
        )
        if res2.x is not None:
            x = res2.x
            integral = True
    day_of = [-1] * inst.M
    for i, (m, d) in enumerate(var):
        if x[i] > 0.5:
            day_of[m] = d
    value = sum(inst.w[m] for m in range(inst.M) if day_of[m] >= 0)
    return DayPlan(day_of, value, bound, integral)
