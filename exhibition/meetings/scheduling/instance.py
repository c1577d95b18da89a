"""Integer-indexed view of a `Problem` and a mutable slot-level schedule (`State`).

Everything the search does goes through `State`: it keeps, per participant, a bit
mask of the slots it meets in (bit s = slot s in time order), its meeting count,
and per slot the number of meetings (the tables in use). Tables are handled at
slot level: a slot can hold as many meetings as it has free locations, and a
meeting pinned to a location needs that location; concrete tables are laid out
at the end (`State.to_schedule`), which always succeeds within those counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from .model import Assignment, Problem, Schedule

NO_CAP = 1 << 30


class Instance:
    def __init__(self, problem: Problem):
        self.problem = problem
        slots = problem.slots
        S = self.S = len(slots)
        sidx = problem.slot_index
        self.day = list(problem.day_of)
        self.days = [list(d) for d in problem.days]
        self.day_mask = [sum(1 << s for s in d) for d in self.days]
        self.prev = [-1] * S  # previous slot of the same day
        self.next = [-1] * S
        for d in self.days:
            for a, b in itertools.pairwise(d):
                self.next[a], self.prev[b] = b, a
        all_mask = (1 << S) - 1

        pidx = {p.id: i for i, p in enumerate(problem.participants)}
        self.P = len(problem.participants)
        self.cap = [NO_CAP if p.max_meetings is None else p.max_meetings for p in problem.participants]
        self.max_breaks = [NO_CAP if p.max_breaks is None else p.max_breaks for p in problem.participants]
        self.p_free = [all_mask & ~sum(1 << sidx[s] for s in p.unavailable) for p in problem.participants]

        self.has_locations = bool(problem.locations)
        lidx = {loc.id: i for i, loc in enumerate(problem.locations)}
        self.loc_free = [all_mask & ~sum(1 << sidx[s] for s in loc.unavailable) for loc in problem.locations]
        if self.has_locations:
            self.slot_cap = [sum(1 for f in self.loc_free if f >> s & 1) for s in range(S)]
        else:
            self.slot_cap = [NO_CAP] * S

        self.M = len(problem.meetings)
        self.parts: list[tuple[int, ...]] = []
        self.w: list[int] = []
        self.dom: list[int] = []  # bit mask of the slots each meeting could take on its own
        self.pinloc: list[int] = []
        self.pinned: list[bool] = []
        self.meetings_of: list[list[int]] = [[] for _ in range(self.P)]
        slot_ok = sum(1 << s for s in range(S) if self.slot_cap[s] > 0)
        for m_i, m in enumerate(problem.meetings):
            ps = tuple(pidx[p] for p in m.participants)
            self.parts.append(ps)
            self.w.append(m.priority)
            dom = all_mask if m.slots is None else sum(1 << sidx[s] for s in m.slots)
            if m.fixed_slot is not None:
                dom &= 1 << sidx[m.fixed_slot]
            for p in ps:
                dom &= self.p_free[p]
                if self.cap[p] == 0:
                    dom = 0
            pl = -1 if m.location is None else lidx[m.location]
            dom &= slot_ok if pl < 0 else self.loc_free[pl]
            self.dom.append(dom)
            self.pinloc.append(pl)
            self.pinned.append(m.pinned)
            for p in ps:
                self.meetings_of[p].append(m_i)

    def min_breaks(self, p: int) -> int:
        """A lower bound on p's breaks when all its meetings are scheduled: the fewest
        breaks of any set of n slots (n = its meetings) among the slots where one of its
        meetings could take place, containing the slots its pinned meetings take."""
        ms = [m for m in self.meetings_of[p] if self.dom[m]]
        n = len(ms)
        if n < 2:
            return 0
        free = 0
        forced = 0
        for m in ms:
            free |= self.dom[m]
            if self.dom[m].bit_count() == 1:
                forced |= self.dom[m]
        inf = 1 << 20
        # state: (count, previous slot busy, met earlier today) -> fewest breaks
        best = {(0, False, False): 0}
        for day in self.days:
            best = {
                (c, False, False): min(v for (c2, _, _), v in best.items() if c2 == c)
                for c in {k[0] for k in best}
            }
            for s in day:
                nxt: dict[tuple[int, bool, bool], int] = {}
                for (c, prev, act), v in best.items():
                    if not forced >> s & 1:
                        k = (c, False, act)
                        if v < nxt.get(k, inf):
                            nxt[k] = v
                    if free >> s & 1 and c < n:
                        k = (c + 1, True, True)
                        w = v + (1 if act and not prev else 0)
                        if w < nxt.get(k, inf):
                            nxt[k] = w
                best = nxt
        return min((v for (c, _, _), v in best.items() if c == n), default=0)

    def breaks_of_mask(self, mask: int) -> int:
        n = 0
        for dm in self.day_mask:
            x = mask & dm
            if x:
                n += (x & ~(x << 1)).bit_count() - 1
        return n


def mirror(mask: int, S: int) -> int:
    """A bit mask of slots with the day reversed: slot s becomes slot S - 1 - s."""
    return sum(1 << (S - 1 - s) for s in bits(mask))


def mirror_pivot(inst: Instance) -> int | None:
    """For the one-day models of `blocks` and `satblocks` (every meeting placed): a
    meeting whose half of the day may be fixed, or None.

    When reversing the day (slot s becomes slot S - 1 - s) turns the problem into
    itself (the same tables in s as in S - 1 - s, and each meeting's possible slots
    mirror themselves), the mirror image of a schedule is a schedule with the same
    breaks for everyone. So some best schedule, if there is one, has any chosen meeting
    in the first half of the day: a model may say so, and a proof that there is no
    schedule within k breaks then searches half the space. The meeting chosen is the
    one whose participants have the fewest meetings, the freest to move around the day.
    """
    S = inst.S
    if len(inst.days) != 1 or not inst.M:
        return None
    if any(inst.slot_cap[s] != inst.slot_cap[S - 1 - s] for s in range(S)):
        return None
    if any(mirror(d, S) != d for d in inst.dom):
        return None
    return min(range(inst.M), key=lambda m: sum(len(inst.meetings_of[p]) for p in inst.parts[m]))


def first_half(S: int) -> list[int]:
    """The slots where `mirror_pivot`'s meeting may be: slot s with s <= S - 1 - s."""
    return [s for s in range(S) if 2 * s <= S - 1]


def bits(x: int) -> Iterator[int]:
    while x:
        low = x & -x
        yield low.bit_length() - 1
        x ^= low


class State:
    """A slot-level schedule under construction; every change keeps it valid."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.slot_of = [-1] * inst.M
        self.busy = [0] * inst.P
        self.count = [0] * inst.P
        self.nbreaks = [0] * inst.P
        self.load = [0] * inst.S
        self.in_slot: list[set[int]] = [set() for _ in range(inst.S)]  # the meetings of each slot
        self.at: list[dict[int, int]] = [{} for _ in range(inst.P)]  # p -> slot -> meeting
        self.pin_used: set[tuple[int, int]] = set()
        self.value = 0

    # --- breaks arithmetic -------------------------------------------------------
    def add_delta(self, p: int, s: int) -> int:
        """Change in p's breaks if it meets in slot s too (s free for p)."""
        inst, b = self.inst, self.busy[p]
        a, c = inst.prev[s], inst.next[s]
        left = a >= 0 and b >> a & 1
        right = c >= 0 and b >> c & 1
        if left and right:
            return -1
        if left or right:
            return 0
        return 1 if b & inst.day_mask[inst.day[s]] else 0

    def remove_delta(self, p: int, s: int) -> int:
        inst, b = self.inst, self.busy[p]
        a, c = inst.prev[s], inst.next[s]
        left = a >= 0 and b >> a & 1
        right = c >= 0 and b >> c & 1
        if left and right:
            return 1
        if left or right:
            return 0
        return -1 if b & inst.day_mask[inst.day[s]] & ~(1 << s) else 0

    # --- moves --------------------------------------------------------------------
    def free_slots(self, m: int) -> int:
        """Slots where m could be placed now without moving anything (caps and breaks aside)."""
        inst = self.inst
        x = inst.dom[m]
        for p in inst.parts[m]:
            x &= ~self.busy[p]
        return x

    def can_place(self, m: int, s: int) -> bool:
        inst = self.inst
        if not (inst.dom[m] >> s & 1) or self.load[s] >= inst.slot_cap[s]:
            return False
        pl = inst.pinloc[m]
        if pl >= 0 and (pl, s) in self.pin_used:
            return False
        for p in inst.parts[m]:
            if self.busy[p] >> s & 1 or self.count[p] >= inst.cap[p]:
                return False
            if inst.max_breaks[p] < NO_CAP and self.nbreaks[p] + self.add_delta(p, s) > inst.max_breaks[p]:
                return False
        return True

    def place(self, m: int, s: int) -> None:
        inst = self.inst
        for p in inst.parts[m]:
            self.nbreaks[p] += self.add_delta(p, s)
            self.busy[p] |= 1 << s
            self.count[p] += 1
            self.at[p][s] = m
        self.load[s] += 1
        self.in_slot[s].add(m)
        if inst.pinloc[m] >= 0:
            self.pin_used.add((inst.pinloc[m], s))
        self.slot_of[m] = s
        self.value += inst.w[m]

    def remove(self, m: int) -> int:
        inst = self.inst
        s = self.slot_of[m]
        for p in inst.parts[m]:
            self.nbreaks[p] += self.remove_delta(p, s)
            self.busy[p] &= ~(1 << s)
            self.count[p] -= 1
            del self.at[p][s]
        self.load[s] -= 1
        self.in_slot[s].discard(m)
        if inst.pinloc[m] >= 0:
            self.pin_used.discard((inst.pinloc[m], s))
        self.slot_of[m] = -1
        self.value -= inst.w[m]
        return s

    def breaks_total(self) -> int:
        return sum(self.nbreaks)

    def copy_assignment(self) -> list[int]:
        return list(self.slot_of)

    def load_assignment(self, slot_of: list[int]) -> None:
        for m, s in enumerate(self.slot_of):
            if s >= 0:
                self.remove(m)
        for m, s in enumerate(slot_of):
            if s >= 0:
                self.place(m, s)

    # --- output ----------------------------------------------------------------------
    def to_schedule(self, prefer: dict[int, int] | None = None) -> Schedule:
        """The schedule with concrete tables; ``prefer``: a table per meeting (from an
        earlier schedule) that it keeps when that table is free in its slot."""
        inst, problem = self.inst, self.inst.problem
        prefer = prefer or {}
        locs = problem.locations
        table: dict[int, str] = {}
        if locs:
            by_slot: dict[int, list[int]] = {}
            for m, s in enumerate(self.slot_of):
                if s >= 0:
                    by_slot.setdefault(s, []).append(m)
            for s, ms in by_slot.items():
                taken = {inst.pinloc[m] for m in ms if inst.pinloc[m] >= 0}
                for m in ms:
                    if m in prefer and inst.pinloc[m] < 0:
                        i = prefer[m]
                        if i not in taken and inst.loc_free[i] >> s & 1:
                            table[m] = locs[i].id
                            taken.add(i)
                free = [i for i in range(len(locs)) if inst.loc_free[i] >> s & 1 and i not in taken]
                free.reverse()
                for m in ms:
                    if m not in table:
                        table[m] = locs[inst.pinloc[m] if inst.pinloc[m] >= 0 else free.pop()].id
        assignments, unscheduled = [], []
        for m, s in enumerate(self.slot_of):
            mid = problem.meetings[m].id
            if s >= 0:
                assignments.append(Assignment(mid, problem.slots[s].id, table.get(m)))
            else:
                unscheduled.append(mid)
        return Schedule(assignments, unscheduled)
