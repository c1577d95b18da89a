"""Delegation itinerary planner (pure Python, no Django).

The problem (``shared/formats/itineraries-v1.md``) is a team orienteering problem
with time windows: each delegation-day is a route from its ``from`` place to its
``to`` place inside the delegation's window; a candidate visit earns its score
once over the whole show; visits must lie inside the stand's opening hours;
stands host at most ``capacity`` delegations at a time, which couples the
delegations; required visits must be made. Maximise the total score, then
minimise walking.

Method
------
1. **Stand timelines.** Every (stand, day) keeps the intervals it hosts; from
   them and the stand's hours come its *free segments* (where fewer than
   ``capacity`` delegations are present). While one delegation is being
   optimised its own visits are taken off the timelines ("detached"), so all
   other delegations are fixed constraints and the problem decomposes into one
   small team orienteering problem per delegation (its days are the routes).
2. **Time-window bookkeeping.** Each route keeps, per visit, the earliest start
   (forward pass: arrive, then wait for the first free segment that holds the
   whole visit) and the latest start that keeps the rest of the route feasible
   (backward pass, the capacity-aware form of MaxShift). An insertion between
   two visits is then checked in O(1) segment look-ups: the new visit's earliest
   start, and whether the next visit can still start by its latest start.
   Earliest-start scheduling is optimal for a fixed order, so this is exact.
3. **Construction.** Required visits of every delegation first (so that scarce
   slots go to them; if one does not fit, the delegation's own optional visits
   and then others' optional visits at that stand are dropped until it fits),
   then a greedy insertion per delegation by the ratio value^2 / extra minutes
   (Vansteenwegen et al.'s insertion), cached per route.
4. **Iterated local search** (Vansteenwegen, Souffriau, Vanden Berghe & Van
   Oudheusden 2009, ILS for the TOPTW), round-robin over the delegations with a
   growing iteration budget: *shake* (remove S consecutive visits from position
   R in every day of the delegation, then re-time earlier), re-insert greedily,
   keep the best; S grows while there is no improvement, returns to the stretch's
   best every 12 idle iterations, and after a few returns without progress starts a
   new stretch either from the overall best or from a fresh randomised (GRASP-like)
   construction that keeps pinned and required visits (see ``solver.search.rebuild``).
   Required visits carry a huge internal bonus so they are never traded away.
   Because each delegation only uses capacity the others leave free, the total
   score never decreases from one delegation's turn to the next.
5. **Polish.** Relocate moves (or-opt) per route that shorten the walk without
   changing the visits.

Fixed visits (``fixed=[{"delegation", "day", "stand", "start"}]``) are pinned at
their exact start and never moved or removed. :func:`replan_delegation` keeps
everything of the current plan except one delegation's rest of a day, which it
re-optimises from ``not_before``. Runs are deterministic for a seed given the
same number of rounds (``max_rounds``); with only a time limit, how far the
search gets depends on the machine.
"""

from .model import (
    PLAN_FORMAT,
    PROBLEM_FORMAT,
    Evaluation,
    Itinerary,
    Plan,
    Problem,
    ProblemError,
    Visit,
    evaluate,
    plan_from_dict,
    plan_to_dict,
    read_problem,
)
from .solver import plan, replan_delegation

__all__ = [
    "PLAN_FORMAT",
    "PROBLEM_FORMAT",
    "Evaluation",
    "Itinerary",
    "Plan",
    "Problem",
    "ProblemError",
    "Visit",
    "evaluate",
    "plan",
    "plan_from_dict",
    "plan_to_dict",
    "read_problem",
    "replan_delegation",
]
