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

Modules: ``common`` (the time shares, the clock, pinned meetings first), ``small`` (the exact
model and its search for small rounds), ``large`` (the day relaxation and large-neighbourhood
search for show-sized rounds), ``run`` (the entry point :func:`solve`, re-runs that keep a
draft, and the progress notes)."""

from .common import (
    BREAK_WINDOWS,
    DECISION_SHARE,
    DECISION_SLICE,
    FEASIBLE_SHARE,
    LNS_BREAKS,
    LNS_DAY_SIZE,
    LNS_FULL_LIMIT,
    LNS_LIMIT,
    LNS_SIZE,
    PLAN_SHARE,
    REPAIR_SHARE,
    SMALL_MEETINGS,
    WORKERS,
    Note,
    Progress,
)
from .run import moved_meetings, solve

__all__ = [
    "BREAK_WINDOWS",
    "DECISION_SHARE",
    "DECISION_SLICE",
    "FEASIBLE_SHARE",
    "LNS_BREAKS",
    "LNS_DAY_SIZE",
    "LNS_FULL_LIMIT",
    "LNS_LIMIT",
    "LNS_SIZE",
    "PLAN_SHARE",
    "REPAIR_SHARE",
    "SMALL_MEETINGS",
    "WORKERS",
    "Note",
    "Progress",
    "moved_meetings",
    "solve",
]
