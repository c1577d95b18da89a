"""Fast construction and repair on a `State` (pure Python).

`construct` places meetings by priority (ties: fewest usable slots first), each in
the usable slot that adds the fewest breaks and least blocks its participants'
other pending requests (`demand`). `repair` then inserts unscheduled meetings by
ejection chains: a meeting may take a slot if the one meeting blocking it there can
move elsewhere, recursively to a small depth; failing that, it may displace
blockers of lower total priority (which then try to move). Every step keeps the
state valid, so the search can stop at any moment.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from .instance import NO_CAP, Instance, State, bits


def slot_order_key(state: State, m: int, s: int, demand: list[list[int]] | None) -> tuple[int, int, int]:
    inst = state.inst
    db = 0
    press = 0
    for p in inst.parts[m]:
        db += state.add_delta(p, s)
        if demand is not None:
            press += demand[p][s]
    return (db, press, s)


def best_slot(state: State, m: int, demand: list[list[int]] | None = None, banned: int = 0) -> int:
    """The best slot where m fits right now, or -1."""
    best, best_key = -1, None
    for s in bits(state.free_slots(m) & ~banned):
        if not state.can_place(m, s):
            continue
        key = slot_order_key(state, m, s, demand)
        if best_key is None or key < best_key:
            best, best_key = s, key
    return best


def construct(state: State, order: list[int], use_demand: bool = True) -> None:
    inst = state.inst
    demand = None
    if use_demand:
        demand = [[0] * inst.S for _ in range(inst.P)]
        for m in order:
            if state.slot_of[m] < 0:
                for p in inst.parts[m]:
                    row = demand[p]
                    for s in bits(inst.dom[m]):
                        row[s] += 1
    for m in order:
        if state.slot_of[m] >= 0:
            continue
        if demand is not None:
            for p in inst.parts[m]:
                row = demand[p]
                for s in bits(inst.dom[m]):
                    row[s] -= 1
        s = best_slot(state, m, demand)
        if s >= 0:
            state.place(m, s)


def default_order(inst: Instance, rng: random.Random | None = None) -> list[int]:
    noise = [rng.random() for _ in range(inst.M)] if rng else [0.0] * inst.M
    return sorted(
        range(inst.M),
        key=lambda m: (not inst.pinned[m], -inst.w[m], inst.dom[m].bit_count(), noise[m], m),
    )


class Repair:
    """Ejection-chain insertion of unscheduled meetings."""

    def __init__(
        self, state: State, rng: random.Random, depth: int = 2, budget: int = 400, full_slots: bool = False
    ):
        self.full_slots = full_slots  # displace: a full slot's least valuable meeting may give way
        self.state = state
        self.inst = state.inst
        self.rng = rng
        self.depth = depth
        self.budget = budget
        self.log: list[tuple[int, int, int]] = []  # (op, meeting, slot): op 1 placed, 0 removed
        self.nodes = 0

    # an undo log so that a failed chain leaves no trace
    def _place(self, m: int, s: int) -> None:
        self.state.place(m, s)
        self.log.append((1, m, s))

    def _remove(self, m: int) -> None:
        s = self.state.remove(m)
        self.log.append((0, m, s))

    def _undo(self, mark: int) -> None:
        st = self.state
        while len(self.log) > mark:
            op, m, s = self.log.pop()
            if op == 1:
                st.remove(m)
            else:
                st.place(m, s)

    def _caps_kept(self, mark: int) -> bool:
        """Whether every participant of the meetings moved since ``mark`` is within its
        max_breaks (taking a meeting out of a day can open a break that no place checks)."""
        inst, st = self.inst, self.state
        return all(st.nbreaks[p] <= inst.max_breaks[p] for _, m, _ in self.log[mark:] for p in inst.parts[m])

    def _slot_open(self, m: int, s: int) -> bool:
        """Whether s could hold m once the meetings of its participants there have gone."""
        inst, st = self.inst, self.state
        if st.load[s] >= inst.slot_cap[s]:
            return False
        pl = inst.pinloc[m]
        return not (pl >= 0 and (pl, s) in st.pin_used)

    def relocate(self, m: int, depth: int, banned: int, chain: set[int]) -> bool:
        """Place the unplaced meeting m, moving at most one meeting per level."""
        st, inst = self.state, self.inst
        s = best_slot(st, m, banned=banned)
        if s >= 0:
            self._place(m, s)
            return True
        if depth == 0:
            return False
        cands = list(bits(inst.dom[m] & ~banned))
        self.rng.shuffle(cands)
        for s in cands:
            if self.nodes > self.budget:
                return False
            if not self._slot_open(m, s):
                continue
            blockers = {st.at[p][s] for p in inst.parts[m] if st.busy[p] >> s & 1}
            if len(blockers) != 1:
                continue
            (b,) = blockers
            if inst.pinned[b] or b in chain:
                continue
            self.nodes += 1
            mark = len(self.log)
            self._remove(b)
            if st.can_place(m, s):
                self._place(m, s)
                chain.add(b)
                ok = self.relocate(b, depth - 1, banned | (1 << s), chain)
                chain.discard(b)
                if ok:
                    return True
            self._undo(mark)
        return False

    def insert(self, m: int) -> bool:
        self.nodes = 0
        mark = len(self.log)
        if self.relocate(m, self.depth, 0, {m}) and self._caps_kept(mark):
            self.log.clear()
            return True
        self._undo(mark)
        return False

    def displace(self, m: int) -> bool:
        """Place m by unscheduling blockers of lower total priority (they then try to move)."""
        st, inst = self.state, self.inst
        w = inst.w[m]
        best = None
        out: set[int] | None
        for s in bits(inst.dom[m]):
            if not self.full_slots and not self._slot_open(m, s):
                continue
            pl = inst.pinloc[m]
            if pl >= 0 and (pl, s) in st.pin_used:
                continue
            out = {st.at[p][s] for p in inst.parts[m] if st.busy[p] >> s & 1}
            if st.load[s] - len(out) >= inst.slot_cap[s]:
                # every table taken: the slot's least valuable movable meeting gives way
                cand = [
                    b for b in st.in_slot[s] if b not in out and not inst.pinned[b] and inst.pinloc[b] < 0
                ]
                if not cand:
                    continue
                out.add(min(cand, key=lambda b: (inst.w[b], b)))
            for p in inst.parts[m]:
                if st.count[p] - sum(1 for b in out if p in inst.parts[b]) >= inst.cap[p]:
                    # drop p's least valuable other meeting
                    cand = [b for b in st.at[p].values() if b not in out and not inst.pinned[b]]
                    if not cand:
                        out = None
                        break
                    out.add(min(cand, key=lambda b: (inst.w[b], b)))
            if out is None or any(inst.pinned[b] for b in out):
                continue
            lost = sum(inst.w[b] for b in out)
            if lost < w and (best is None or lost < best[0]):
                best = (lost, s, out)
        if best is None:
            return False
        _, s, out = best
        mark = len(self.log)
        for b in out:
            self._remove(b)
        if not st.can_place(m, s):  # max_breaks can still forbid it
            self._undo(mark)
            return False
        self._place(m, s)
        for b in sorted(out, key=lambda b: -inst.w[b]):
            self.nodes = 0
            self.relocate(b, self.depth, 0, {b, m})  # those that find no place stay out
        if not self._caps_kept(mark):
            self._undo(mark)
            return False
        self.log.clear()
        return True


def repair(
    state: State,
    rng: random.Random,
    deadline: Callable[[], bool],
    depth: int = 2,
    budget: int = 400,
    rounds: int = 50,
    full_slots: bool = False,
) -> None:
    """Passes of insertion then displacement over the unscheduled meetings until a pass
    brings no gain or time is up. ``full_slots``: a meeting may also take a slot whose
    tables are all taken by making that slot's least valuable meeting give way."""
    inst = state.inst
    rep = Repair(state, rng, depth=depth, budget=budget, full_slots=full_slots)
    for _ in range(rounds):
        before = state.value
        todo = [m for m in range(inst.M) if state.slot_of[m] < 0 and inst.dom[m]]
        todo.sort(key=lambda m: (-inst.w[m], rng.random()))
        for m in todo:
            if deadline():
                return
            if state.slot_of[m] >= 0:
                continue
            if not rep.insert(m):
                rep.displace(m)
        if state.value <= before:
            return


def compact(state: State, deadline: Callable[[], bool], rounds: int = 5) -> None:
    """Move single meetings to slots that lower the total number of breaks."""
    inst = state.inst
    for _ in range(rounds):
        gained = False
        for m in range(inst.M):
            s = state.slot_of[m]
            if s < 0 or (inst.pinned[m] and inst.dom[m].bit_count() == 1):
                continue
            if deadline():
                return
            cur = sum(state.remove_delta(p, s) for p in inst.parts[m])  # change when leaving s
            state.remove(m)
            best, best_d = s, 0
            for t in bits(state.free_slots(m) & ~(1 << s)):
                if not state.can_place(m, t):
                    continue
                d = cur + sum(state.add_delta(p, t) for p in inst.parts[m])
                if d < best_d:
                    best, best_d = t, d
            state.place(m, best)
            gained |= best != s
        if not gained:
            return


def swap_pass(state: State, deadline: Callable[[], bool]) -> int:
    """Exchange the slots of two meetings of one participant on one day when that lowers
    the total number of breaks (the participant keeps its slots; its partners' days get
    more compact). Returns the breaks saved."""
    inst = state.inst
    saved = 0
    for q in range(inst.P):
        if deadline():
            break
        by_day: dict[int, list[int]] = {}
        for s, m in state.at[q].items():
            if not inst.pinned[m]:
                by_day.setdefault(inst.day[s], []).append(m)
        for ms in by_day.values():
            if len(ms) < 2:
                continue
            for i in range(len(ms)):
                for j in range(i + 1, len(ms)):
                    m1, m2 = ms[i], ms[j]
                    s1, s2 = state.slot_of[m1], state.slot_of[m2]
                    if s1 < 0 or s2 < 0 or not (inst.dom[m1] >> s2 & 1 and inst.dom[m2] >> s1 & 1):
                        continue
                    people = set(inst.parts[m1]) | set(inst.parts[m2])
                    if len(people) == 2:
                        continue  # the same pair: nothing changes
                    before = sum(state.nbreaks[p] for p in people)
                    state.remove(m1)
                    state.remove(m2)
                    ok = state.can_place(m1, s2)
                    if ok:
                        state.place(m1, s2)
                        ok = state.can_place(m2, s1)
                        if ok:
                            state.place(m2, s1)
                            if sum(state.nbreaks[p] for p in people) < before:
                                saved += before - sum(state.nbreaks[p] for p in people)
                                continue
                            state.remove(m2)
                        state.remove(m1)
                    state.place(m1, s1)
                    state.place(m2, s2)
    return saved


__all__ = ["NO_CAP", "best_slot", "compact", "construct", "default_order", "repair", "swap_pass"]
