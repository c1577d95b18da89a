"""The fewest extra breaks as a sequence of incremental SAT calls: the encoding.

Serves the same problems as `blocks` (one day, every meeting placed, identical
tables, a cap on everyone's breaks) for a question CP-SAT is sometimes slow to answer
there: once "nobody above their own lower bound" is proved infeasible, is one extra
break in all enough, or two, ...? On forum-13crafc.forb0007 CP-SAT needs a minute or
more to refute some single breakers and 5-40 s to find the right one; this encoding
answers in about three seconds. `satproc` asks the questions (CaDiCaL, in a child
process, beside CP-SAT's own chain of the same questions). Two things make it work:

- **Start literals for a single block.** A participant p with n meetings and no break
  to spare meets in exactly one run of n slots: y[p, a] = "p's run starts at slot a",
  exactly one of them, y[p, a] -> busy[p, s] for s in a .. a+n-1 and busy[p, s] ->
  some y[p, a] that covers s. Choosing one literal fixes p's whole day, and conflict
  analysis learns clauses over run positions instead of over single slots. Without
  these literals the same SAT model takes 5 s just to refute zero extra breaks and
  10-30 s for one.
- **One solver, many calls.** The bound on extra breaks is an assumption on the
  outputs of a totalizer (``bounds``), so clauses learnt while refuting k breaks stay
  for k + 1.

Variables and clauses:
- x[m, s] for each slot s a meeting can take; exactly one per meeting;
- busy[p, s] <-> some x of p's meetings in s; at most one of them;
- per slot, at most ``slot_cap[s]`` meetings (cardinality network);
- st[p, s] <- busy[p, s] and not busy[p, prev(s)]: a run of p starts in s (one-sided:
  only upper bounds are put on the count, so a spurious start only costs);
- per participant, a totalizer over its st literals: o[p, j] <- "at least j + 1
  starts". The cap on breaks is a unit clause on one output, and the k-th extra
  break of p above its own lower bound base_p is o[p, base_p + k];
- the run literals above, under "no extra break" (clauses with o[p, 1] added) for
  participants whose lower bound is 0;
- a totalizer over all extra-break literals; "at most k extra breaks" is the
  assumption that its (k + 1)-th output is false;
- when the day mirrors itself, one meeting in the first half (`mirror_pivot`).
"""

from __future__ import annotations

from pysat.card import CardEnc, EncType, ITotalizer

from .instance import Instance, bits, first_half, mirror_pivot


class _Vars:
    def __init__(self) -> None:
        self.top = 0

    def new(self) -> int:
        self.top += 1
        return self.top


class BreaksSAT:
    """SAT encoding of "every meeting placed, at most k breaks above the lower bounds":
    ``clauses``, and ``bounds[k]``, the literal to assume false for "at most k" (none
    needed once k reaches ``n_extra``, every break anyone may take)."""

    def __init__(self, inst: Instance, base: list[int]):
        self.inst = inst
        S = inst.S
        v = self.vars = _Vars()
        cl: list[list[int]] = []
        self.x: dict[int, dict[int, int]] = {}
        per_s: dict[int, list[int]] = {}
        for m in range(inst.M):
            xs = {s: v.new() for s in bits(inst.dom[m])}
            self.x[m] = xs
            lits = list(xs.values())
            cl.append(lits)
            self._card(cl, lits, 1, EncType.seqcounter)
            for s, lit in xs.items():
                per_s.setdefault(s, []).append(lit)
        for s, lits in per_s.items():
            self._card(cl, lits, inst.slot_cap[s], EncType.cardnetwrk)
        pivot = mirror_pivot(inst)
        if pivot is not None:  # a day that mirrors itself: see `mirror_pivot`
            cl.append([lit for s, lit in self.x[pivot].items() if s in first_half(S)])
        extra_lits: list[int] = []
        totalizers: list[ITotalizer] = []
        for p in range(inst.P):
            ms = inst.meetings_of[p]
            n = len(ms)
            if not n:
                continue
            busy = []
            for s in range(S):
                lits = [self.x[m][s] for m in ms if s in self.x[m]]
                b = v.new()
                busy.append(b)
                cl.append([-b, *lits])
                cl.extend([-lit, b] for lit in lits)
                if len(lits) > 1:
                    self._card(cl, lits, 1, EncType.pairwise)
            if n < 2:
                continue
            starts = []
            for s in range(S):
                st = v.new()
                starts.append(st)
                prev = inst.prev[s]
                cl.append([-busy[s], st] if prev < 0 else [-busy[s], busy[prev], st])
            most = min(n, inst.max_breaks[p] + 1)  # runs allowed by the cap on breaks
            tot = ITotalizer(lits=starts, ubound=min(n, most + 1), top_id=v.top)
            totalizers.append(tot)
            v.top = tot.top_id
            cl.extend(tot.cnf.clauses)
            out = tot.rhs  # out[j]: at least j + 1 runs
            if most < len(out):
                cl.append([-out[most]])
            extra_lits.extend(out[base[p] + 1 : most])
            if base[p] == 0 and len(out) > 1:
                self._single_run(cl, busy, n, out[1])
        self.n_extra = len(extra_lits)
        self.bounds: list[int] = []
        if extra_lits:
            total = ITotalizer(lits=extra_lits, ubound=self.n_extra, top_id=v.top)
            v.top = total.top_id
            cl.extend(total.cnf.clauses)
            self.bounds = list(total.rhs[: self.n_extra])
            totalizers.append(total)
        for tot in totalizers:  # the clauses are copied: free the native structures
            tot.delete()
        self.clauses = cl

    def decode(self, true: set[int]) -> list[int]:
        """The slot of each meeting in a model given by its true variables."""
        out = [-1] * self.inst.M
        for m, xs in self.x.items():
            out[m] = next(s for s, lit in xs.items() if lit in true)
        return out

    def _card(self, cl: list[list[int]], lits: list[int], k: int, enc: int) -> None:
        if len(lits) > k:
            res = CardEnc.atmost(lits, k, top_id=self.vars.top, encoding=enc)
            self.vars.top = max(self.vars.top, res.nv)
            cl.extend(res.clauses)

    def _single_run(self, cl: list[list[int]], busy: list[int], n: int, two_runs: int) -> None:
        """Unless p has two runs or more: its n meetings fill slots a .. a + n - 1 for
        exactly one start a (of the slots in which such a run fits its meetings)."""
        S = self.inst.S
        y = [self.vars.new() for _ in range(S - n + 1)]
        cl.append([two_runs, *y])
        self._card(cl, y, 1, EncType.seqcounter)
        for a, ya in enumerate(y):
            cl.extend([two_runs, -ya, busy[s]] for s in range(a, a + n))
        cl.extend([two_runs, -busy[s], *y[max(0, s - n + 1) : min(s, S - n) + 1]] for s in range(S))
