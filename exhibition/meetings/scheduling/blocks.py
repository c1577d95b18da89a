"""The "blocks" model: CP-SAT over each participant's runs of meetings.

For the problem of the published B2B benchmark (every meeting must take place, one
day, identical tables, fewest breaks) a participant's day is a few *blocks*: maximal
runs of consecutive slots in which it meets, separated by at least one idle slot.
Its breaks are its blocks minus one. This model makes the blocks explicit:

- per participant p with n meetings, blocks k = 0 .. K_p - 1, each an interval
  (start, length, end) of slots; the first ``base_p + 1`` blocks are mandatory,
  where ``base_p = Instance.min_breaks(p)`` is p's own lower bound (forbidden slots
  and pins alone); the others are optional ("extra" blocks, each an extra break);
  lengths sum to n, blocks are ordered and separated by an idle slot;
- x[m, s] = meeting m in slot s (exactly one per meeting), busy[p, s] = the sum of
  p's x in s, and busy[p, s] == sum over p's blocks of in[p, k, s], where in[p, k, s]
  is the literal "block k of p is present and covers s" (order literals on its start
  and end): so p meets exactly in its blocks;
- at most ``slot_cap[s]`` meetings in slot s, and, redundant but the reason the model
  works, one ``cumulative`` over every block of every participant: each covers its
  slots with demand 1, and a slot holds at most 2 x slot_cap participants (with
  meetings of two; k x slot_cap when some have k participants). With
  blocks as (mostly mandatory) intervals, CP-SAT's scheduling propagation (time
  tables, energy) prunes block positions long before any meeting is placed; on the
  x / busy literals alone the same search goes nowhere;
- when the day mirrors itself (`mirror_pivot`), one meeting is kept in the first half
  of the day: every schedule's mirror image is as good, and the proofs that there is
  none within k extra breaks search half as many days. On tic-13crafc.original,
  refuting 3 extra breaks took CP-SAT (one worker) 48 s with seed 0 and more than 80 s
  with seeds 1 and 2; with the meeting held to the first half, 23-52 s over four seeds.
  (A constraint tying the blocks' cover of each slot to the seats of the meetings
  placed there made no difference on that proof and doubled the time of
  tic-13crafc.fixed020-Forb: left out.)

Cost: the number of extra blocks used. With ``budget`` it is a constraint (a decision
problem), otherwise it is minimised. Extra blocks are allowed only to the participants
in ``extra`` (how many each), so a search can decide *who* may break and leave every
other participant's day one mandatory interval: that is what `improve` does.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .cpsat import solve_stoppable
from .instance import NO_CAP, Instance, bits, first_half, mirror_pivot
from .satblocks import BreaksSAT
from .satproc import SatChild

# CP-SAT workers: "no_lp" (pure propagation and clause learning) is by far the best
# here; the LP worker helps on the proofs of infeasibility.
SUBSOLVERS = ("no_lp", "default_lp")
# While the SAT child (`satproc`) has the other core, CP-SAT gets one worker.
BESIDE_CHILD = ("no_lp",)
EXACT_SHARE = 0.85  # of the time left, at most, for the exact chain k = 1, 2, ...
FIRST_LIMIT = 5.0  # seconds per attempt at a first complete schedule


def applicable(inst: Instance) -> bool:
    """The model covers one-day problems where every meeting can be placed, tables are
    identical in number per slot, and every participant has a cap on breaks."""
    if len(inst.days) != 1 or not inst.has_locations:
        return False
    if any(not inst.dom[m] for m in range(inst.M)):
        return False
    if any(inst.pinloc[m] >= 0 for m in range(inst.M)):
        return False
    for p in range(inst.P):
        n = len(inst.meetings_of[p])
        if n and (inst.max_breaks[p] >= NO_CAP or inst.cap[p] < n):
            return False
    return True


class BlockModel:
    def __init__(
        self,
        inst: Instance,
        base: list[int],
        extra: dict[int, int],
        budget: int | None = None,
    ):
        self.inst = inst
        S = inst.S
        md = self.model = cp_model.CpModel()
        self.x: dict[int, dict[int, cp_model.IntVar]] = {}
        per_s: dict[int, list[cp_model.IntVar]] = {}
        for m in range(inst.M):
            xs = {s: md.new_bool_var("") for s in bits(inst.dom[m])}
            self.x[m] = xs
            md.add_exactly_one(xs.values())
            for s, v in xs.items():
                per_s.setdefault(s, []).append(v)
        for s, vs in per_s.items():
            if len(vs) > inst.slot_cap[s]:
                md.add(sum(vs) <= inst.slot_cap[s])
        self.pivot = mirror_pivot(inst)
        if self.pivot is not None:
            md.add_bool_or([v for s, v in self.x[self.pivot].items() if s in first_half(S)])
        intervals = []
        self.extra_lits: list[cp_model.IntVar] = []
        self.feasible = True
        for p in range(inst.P):
            ms = inst.meetings_of[p]
            n = len(ms)
            if not n:
                continue
            busy: dict[int, cp_model.IntVar] = {}
            for s in range(S):
                vs = [self.x[m][s] for m in ms if s in self.x[m]]
                if len(vs) == 1:
                    busy[s] = vs[0]
                elif vs:
                    b = md.new_bool_var("")
                    md.add(b == sum(vs))
                    busy[s] = b
            md.add(sum(busy.values()) == n)
            mandatory = base[p] + 1
            K = min(n, inst.max_breaks[p] + 1, mandatory + extra.get(p, 0))
            if K < mandatory:  # p cannot meet everyone within its cap on breaks
                self.feasible = False
                K = mandatory
            lens = []
            cover: dict[int, list[cp_model.IntVar]] = {s: [] for s in range(S)}
            prev_end = None
            prev_present = None
            for k in range(K):
                start = md.new_int_var(0, S - 1, "")
                end = md.new_int_var(1, S, "")
                if k < mandatory:
                    present = None
                    length = md.new_int_var(1, n, "")
                    iv = md.new_interval_var(start, length, end, "")
                else:
                    present = md.new_bool_var("")
                    length = md.new_int_var(0, n, "")
                    iv = md.new_optional_interval_var(start, length, end, present, "")
                    md.add(length == 0).only_enforce_if(~present)
                    md.add(length >= 1).only_enforce_if(present)
                    if prev_present is not None:
                        md.add_implication(present, prev_present)
                    self.extra_lits.append(present)
                if prev_end is not None:
                    c = md.add(start >= prev_end + 1)
                    if present is not None:
                        c.only_enforce_if(present)
                intervals.append(iv)
                lens.append(length)
                for s in range(S):
                    ge = md.new_bool_var("")  # start <= s
                    md.add(start <= s).only_enforce_if(ge)
                    md.add(start > s).only_enforce_if(~ge)
                    lt = md.new_bool_var("")  # end > s
                    md.add(end > s).only_enforce_if(lt)
                    md.add(end <= s).only_enforce_if(~lt)
                    conds = [ge, lt] + ([present] if present is not None else [])
                    inside = md.new_bool_var("")
                    for lit in conds:
                        md.add_implication(inside, lit)
                    md.add_bool_or([inside] + [~lit for lit in conds])
                    cover[s].append(inside)
                prev_end, prev_present = end, present
            md.add(sum(lens) == n)
            for s in range(S):
                busy_s = busy.get(s, 0)
                md.add(sum(cover[s]) == busy_s)
        if intervals:
            # participants per meeting: 2 in the benchmark (more is allowed: a bound)
            width = max(len(ps) for ps in inst.parts)
            top = max(inst.slot_cap)
            fill = [(s, width * (top - inst.slot_cap[s])) for s in range(S) if inst.slot_cap[s] < top]
            demands = [1] * len(intervals)
            for s, d in fill:
                intervals.append(md.new_fixed_size_interval_var(s, 1, ""))
                demands.append(d)
            md.add_cumulative(intervals, demands, width * top)
        self.cost = sum(self.extra_lits)
        if budget is not None:
            md.add(self.cost <= budget)
        if self.extra_lits:
            md.minimize(self.cost)

    def hint(self, slot_of: list[int]) -> None:
        if self.pivot is not None and slot_of[self.pivot] not in first_half(self.inst.S):
            slot_of = [self.inst.S - 1 - s for s in slot_of]  # its mirror image, as good
        for m, xs in self.x.items():
            for s, v in xs.items():
                self.model.add_hint(v, slot_of[m] == s)

    def solve(
        self,
        time_limit: float,
        seed: int = 0,
        should_stop: Callable[[], bool] | None = None,
        subsolvers: tuple[str, ...] = SUBSOLVERS,
    ) -> tuple[list[int] | None, str]:
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.max_time_in_seconds = max(0.05, time_limit)
        prm.num_workers = len(subsolvers)
        prm.subsolvers.extend(subsolvers)
        prm.random_seed = seed
        status = solve_stoppable(solver, self.model, should_stop)
        name = solver.status_name(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, name
        out = [-1] * self.inst.M
        for m, xs in self.x.items():
            for s, v in xs.items():
                if solver.boolean_value(v):
                    out[m] = s
                    break
        return out, name


def excess(inst: Instance, base: list[int], slot_of: list[int]) -> dict[int, int]:
    """Breaks of each participant above its own lower bound, in a complete schedule."""
    busy = [0] * inst.P
    for m, s in enumerate(slot_of):
        for p in inst.parts[m]:
            busy[p] |= 1 << s
    out = {}
    for p in range(inst.P):
        e = inst.breaks_of_mask(busy[p]) - base[p]
        if e > 0:
            out[p] = e
    return out


def improve(
    inst: Instance,
    slot_of: list[int] | None,
    deadline: float,
    rng: random.Random,
    seed: int = 0,
    should_stop: Callable[[], bool] | None = None,
    report: Callable[[str], None] | None = None,
) -> tuple[list[int] | None, str]:
    """Fewest breaks with every meeting placed, from `slot_of` (a complete schedule, or
    None). Returns (best schedule found or None, "optimal" | "feasible" | "infeasible"
    (proved: not every meeting fits within the caps on breaks) | "unknown").

    1. Every participant at its own lower bound (one decision problem, no extra
       blocks at all): a solution is optimal, a proof of infeasibility moves on.
    2. Without a schedule yet: the whole model (every participant up to its cap on
       breaks), extra blocks minimised, until a first schedule (so that a search stopped
       early has one).
    1b. Then at most k = 1, 2, ... extra breaks in all, asked of two exact methods side
       by side: CP-SAT on this model (one worker) here, and CaDiCaL on the SAT encoding
       with run literals (`satblocks`) in a child process (`satproc`), started before
       step 2. Their strengths differ by family: on tic-13crafc.original CP-SAT refutes
       3 extra breaks in about 30 s (with the mirror pivot, above) where SAT does not
       refute 2 in minutes; on
       tic-13crafc.fixed040-Forb SAT finds the optimum in about 12 s where CP-SAT needs
       far longer. A schedule found by either is optimal, a refutation by either raises
       the proved bound; the child goes on through step 3 until it has an answer.
    3. Neighbourhoods over *who* may break: the participants above their bound in the
       current schedule keep their extra blocks and a few others (partners of theirs
       more often) get one; everyone else is one mandatory interval. Asked for one
       extra block fewer than now, CP-SAT re-solves the whole schedule. The
       neighbourhood grows when an attempt is proved infeasible, shrinks when it
       times out; with everyone in it, infeasible means the current one is optimal.
    """
    run = _Search(inst, deadline, should_stop, report)
    base = run.base
    # 1. at the lower bound
    lower = 0  # proved: at least this many extra blocks
    bm = BlockModel(inst, base, {})
    if bm.feasible:
        if slot_of is not None:
            bm.hint(slot_of)
        sol, status = bm.solve(min(run.left(), max(5.0, 0.25 * run.left())), seed, run.interrupted)
        if sol is not None:
            return sol, "optimal"
        if status == "INFEASIBLE":
            lower = 1
    # 1b. (the child starts now) and 2. a first complete schedule, then 1b. k = 1, 2, ...
    #     extra breaks in all: CP-SAT here, CaDiCaL in the child.
    try:
        if lower == 1:
            run.start_child()
        people = [p for p in range(inst.P) if len(inst.meetings_of[p]) >= 2]
        everyone = dict.fromkeys(people, NO_CAP)
        while slot_of is None and not run.stopped():
            bm = BlockModel(inst, base, everyone)
            slot_of, status = bm.solve(min(run.left(), FIRST_LIMIT), seed, run.interrupted, run.workers())
            seed += 1
            if status == "INFEASIBLE":
                return None, "infeasible"
        answer = run.child_answer()
        if answer is not None:
            return answer
        if slot_of is None:
            return None, "infeasible" if run.child_done() else "unknown"
        cost = run.report_breaks(slot_of)
        if run.child is not None:
            stage_end = time.monotonic() + EXACT_SHARE * run.left()
            k = run.lower(1)
            while k < cost and not run.stopped() and time.monotonic() < stage_end:
                bm = BlockModel(inst, base, everyone, budget=k)
                bm.hint(slot_of)
                sol, status = bm.solve(stage_end - time.monotonic(), seed, run.interrupted, BESIDE_CHILD)
                if sol is not None:  # at most k, and fewer than k was refuted
                    run.report_breaks(sol, proved=True)
                    return sol, "optimal"
                if status != "INFEASIBLE":
                    break
                lower = k = run.lower(k + 1)
            lower = run.lower(lower)
        return _fewer_blocks(run, people, slot_of, lower, rng, seed)
    finally:
        run.close()


class _Search:
    """One run of `improve`: its deadline and stop request, progress reports, and the
    SAT child racing CP-SAT once 'nobody above their own bound' is refuted (CaDiCaL on
    the encoding of `satblocks`, in a process of its own: `satproc`)."""

    def __init__(
        self,
        inst: Instance,
        deadline: float,
        should_stop: Callable[[], bool] | None,
        report: Callable[[str], None] | None,
    ) -> None:
        self.inst = inst
        self.base = [inst.min_breaks(p) for p in range(inst.P)]
        self.deadline = deadline
        self.should_stop = should_stop
        self.report = report
        self.sat: BreaksSAT | None = None
        self.child: SatChild | None = None

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def interrupted(self) -> bool:
        """Stop the CP-SAT search at hand: asked to, or the child has its answer."""
        return (self.should_stop is not None and self.should_stop()) or self.child_done()

    def stopped(self) -> bool:
        return self.left() <= 0 or self.interrupted()

    def start_child(self) -> None:
        self.sat = BreaksSAT(self.inst, self.base)
        self.child = SatChild(self.sat.clauses, self.sat.bounds, k=1)

    def child_done(self) -> bool:
        """The child has its answer: an optimal schedule, or none within the caps."""
        return self.child is not None and self.child.poll()

    def workers(self) -> tuple[str, ...]:
        """CP-SAT's workers: one while the child has the other core."""
        return BESIDE_CHILD if self.child is not None and not self.child.poll() else SUBSOLVERS

    def lower(self, lower: int) -> int:
        """`lower` raised to what the child has refuted so far."""
        return lower if self.child is None else max(lower, self.child.lower)

    def child_answer(self) -> tuple[list[int], str] | None:
        """The child's schedule once it has one: optimal (it refuted one extra break
        fewer first)."""
        if self.sat is None or not self.child_done():
            return None
        assert self.child is not None
        if self.child.true is None:
            return None
        slot_of = self.sat.decode(self.child.true)
        self.report_breaks(slot_of, proved=True)
        return slot_of, "optimal"

    def report_breaks(self, slot_of: list[int], proved: bool = False) -> int:
        """Say how many breaks `slot_of` has; returns its extra breaks."""
        cost = sum(excess(self.inst, self.base, slot_of).values())
        if self.report:
            self.report(f"{sum(self.base) + cost} breaks" + (" (proved optimal)" if proved else ""))
        return cost

    def close(self) -> None:
        if self.child is not None:
            self.child.close()


def _fewer_blocks(
    run: _Search, people: list[int], slot_of: list[int], lower: int, rng: random.Random, seed: int
) -> tuple[list[int] | None, str]:
    """3. of `improve`: neighbourhoods over who may break, from a complete schedule; the
    SAT child, while it runs, may end it with an optimal schedule or a better bound."""
    inst, base = run.inst, run.base
    cur = excess(inst, base, slot_of)
    cost = sum(cur.values())
    partners = [
        sorted({q for m in inst.meetings_of[p] for q in inst.parts[m] if q != p}) for p in range(inst.P)
    ]
    size = max(4, len(cur))
    limit = 3.0
    while cost > 0 and not run.stopped():
        if cost <= lower:
            return slot_of, "optimal"
        others = [p for p in people if p not in cur]
        pool: set[int] = set()
        for p in cur:
            pool.update(q for q in partners[p] if q not in cur)
        k = min(len(others), size)
        chosen = set(rng.sample(sorted(pool), min(len(pool), k // 2))) if pool else set()
        rest = [p for p in others if p not in chosen]
        chosen.update(rng.sample(rest, min(len(rest), k - len(chosen))))
        full = len(chosen) == len(others)
        extra = {p: e + full for p, e in cur.items()}
        for p in chosen:
            extra[p] = extra.get(p, 0) + 1
        bm = BlockModel(inst, base, extra, budget=cost - 1)
        bm.hint(slot_of)
        sol, status = bm.solve(min(run.left(), limit), seed, run.interrupted, run.workers())
        seed += 1
        answer = run.child_answer()
        if answer is not None:
            return answer
        lower = run.lower(lower)
        if sol is not None:
            slot_of = sol
            cur = excess(inst, base, slot_of)
            cost = run.report_breaks(slot_of)
        elif status == "INFEASIBLE":
            if full:
                return slot_of, "optimal"  # anyone may take one more break: optimal
            size = min(len(others), int(size * 1.5) + 1)
        else:
            size = max(2, int(size * 0.8))
    answer = run.child_answer()
    if answer is not None:
        return answer
    return slot_of, "optimal" if cost <= lower else "feasible"
