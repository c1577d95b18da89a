"""The search: greedy insertion plus iterated local search, delegation by delegation.

See the package docstring for the method. Internals only; the public entry
points are :func:`plan` and :func:`replan_delegation`.

Within one delegation's iterated local search (:func:`_ils`) the search runs in
trajectories: shake (remove S consecutive visits) and re-insert by ratio, going
back to the trajectory's best after ``RESTART_IDLE`` idle iterations; after
``TRAJECTORY_RESTARTS`` such returns without progress a new trajectory starts,
half the time from the overall best and half the time from a fresh randomised
construction (:func:`_rebuild`, GRASP-like: a random first visit every other
time, then a noisy ratio). On the classic single-route benchmark (Righini &
Salani's Solomon-based OPTW instances) this diversification is what reaches the
best known scores where the plain ILS stalls in one part of the floor (rc105,
rc108: 9-10% short). The greedy insertion drops a candidate once it fits
nowhere (an insertion only makes a route later and tighter) and the
best-position scan skips, by bisection on the latest starts, the positions that
cannot work, which roughly doubles the iterations per second.
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import (
    EPS,
    Itinerary,
    Plan,
    Problem,
    ProblemError,
    Visit,
    evaluate,
    plan_from_dict,
)

Progress = Callable[[float, str], None]
ShouldStop = Callable[[], bool]

REQUIRED_BONUS = 1e6  # internal value added to a required visit: never traded away
INF = float("inf")
NOISES = (0.0, 0.3, 1.0)
GRASP_NOISES = (0.5, 1.0, 2.0, 4.0)  # ratio noise of a fresh construction
RESTART_IDLE = 12  # idle iterations before going back to the trajectory's best
TRAJECTORY_RESTARTS = 4  # such returns without progress before a new trajectory


# --------------------------------------------------------------------------- stand timelines


def _free_segments(windows: list[tuple[float, float]], intervals: Iterable[tuple[float, float]], cap: int):
    """Parts of the stand's windows where fewer than ``cap`` delegations are hosted."""
    ivs = [(a, b) for a, b in intervals if b - a > EPS]
    if not ivs:
        return list(windows)
    events = sorted([(a, 1) for a, b in ivs] + [(b, -1) for a, b in ivs])
    busy: list[tuple[float, float]] = []
    load = 0
    since = None
    for t, delta in events:
        load += delta
        if load >= cap and since is None:
            since = t
        elif load < cap and since is not None:
            if t > since:
                busy.append((since, t))
            since = None
    out = []
    for o, c in windows:
        cur = o
        for a, b in busy:
            if b <= cur or a >= c:
                continue
            if a > cur:
                out.append((cur, a))
            if b > cur:
                cur = b
        if cur < c:
            out.append((cur, c))
    return out


def _earliest(segs, a: float, dur: float):
    for u, v in segs:
        s = a if a > u else u
        if s + dur <= v + EPS:
            return s
    return None


def _latest(segs, b: float, dur: float):
    for u, v in reversed(segs):
        s = v - dur
        if s > b:
            s = b
        if s >= u - EPS:
            return s
    return None


# --------------------------------------------------------------------------- state


class _Route:
    """One delegation's day: the visits in walking order with their start times."""

    __slots__ = ("day", "start", "end", "origin", "dest", "release", "seq", "st", "lat", "index")

    def __init__(self, index, day, start, end, origin, dest):
        self.index = index
        self.day = day
        self.start = start
        self.end = end
        self.origin = origin  # local node index
        self.dest = dest
        self.release = -INF  # no new (unpinned) visit may be walked to before this
        self.seq: list[int] = []
        self.st: list[float] = []
        self.lat: list[float] = []


class _Del:
    """A delegation's working data, with travel restricted to its own places."""

    def __init__(self, problem: Problem, di: int):
        d = problem.delegations[di]
        self.index = di
        self.id = d.id
        self.cands = d.candidates
        k = len(d.candidates)
        self.k = k
        self.stand = [c.stand for c in d.candidates]
        self.dur = [c.duration for c in d.candidates]
        self.score = [c.score for c in d.candidates]
        self.val = [c.score + (REQUIRED_BONUS if c.required else 0.0) for c in d.candidates]
        self.required = [c.required for c in d.candidates]
        places = [problem.stands[s].place for s in self.stand]
        ends: list[int] = []
        for w in d.windows.values():
            for p in (w.origin, w.dest):
                if p not in ends:
                    ends.append(p)
        nodes = places + ends
        node_of_end = {p: k + i for i, p in enumerate(ends)}
        tr = problem.travel
        self.T = [[tr[a][b] for b in nodes] for a in nodes]
        self.routes: list[_Route] = []
        for day in sorted(d.windows):
            w = d.windows[day]
            self.routes.append(
                _Route(len(self.routes), day, w.start, w.end, node_of_end[w.origin], node_of_end[w.dest])
            )
        self.route_of_day = {r.day: r for r in self.routes}
        self.where = [-1] * k  # route index per candidate, -1 when not visited
        self.pinned: dict[int, float] = {}  # candidate -> pinned start
        self.soft: set[int] = set()  # pinned, but droppable to place someone's required visit
        self.banned: set[int] = set()  # candidates that must not be planned (replanning)
        # (route, candidate) pairs possible at all: the stand opens that day, inside the window
        self.options: list[list[int]] = [[] for _ in range(k)]
        for ci, c in enumerate(d.candidates):
            st = problem.stands[c.stand]
            for r in self.routes:
                for o, cl in st.windows.get(r.day, []):
                    if max(o, r.start) + c.duration <= min(cl, r.end) + EPS:
                        self.options[ci].append(r.index)
                        break
        self.segs: list[list] = [[None] * k for _ in self.routes]  # free segments while detached
        self.stale = True

    # objective ---------------------------------------------------------------
    def walking(self) -> float:
        T = self.T
        total = 0.0
        for r in self.routes:
            if r.seq:
                loc = r.origin
                for c in r.seq:
                    total += T[loc][c]
                    loc = c
                total += T[loc][r.dest]
        return total

    def value(self) -> float:
        return sum(self.val[c] for c in range(self.k) if self.where[c] >= 0)

    def objective(self) -> tuple[float, float]:
        return (round(self.value(), 6), -round(self.walking(), 6))

    def snapshot(self):
        return ([(list(r.seq), list(r.st), list(r.lat)) for r in self.routes], list(self.where))

    def restore(self, snap):
        rs, where = snap
        for r, (seq, st, lat) in zip(self.routes, rs, strict=True):
            r.seq, r.st, r.lat = list(seq), list(st), list(lat)
        self.where = list(where)


class _State:
    def __init__(self, problem: Problem):
        self.problem = problem
        self.dels = [_Del(problem, i) for i in range(len(problem.delegations))]
        self.occ: dict[tuple[int, int], list[tuple[float, float, int, int]]] = {}
        self.seg_cache: dict[tuple[int, int], list] = {}

    # stand timelines ---------------------------------------------------------
    def segments(self, stand: int, day: int):
        key = (stand, day)
        segs = self.seg_cache.get(key)
        if segs is None:
            st = self.problem.stands[stand]
            wins = st.windows.get(day, [])
            occ = self.occ.get(key, ())
            segs = _free_segments(wins, [(a, b) for a, b, _, _ in occ], st.capacity)
            self.seg_cache[key] = segs
        return segs

    def detach(self, D: _Del):
        """Take the delegation's visits off the stand timelines (so it can move them)."""
        for r in D.routes:
            for c, s in zip(r.seq, r.st, strict=True):
                key = (D.stand[c], r.day)
                lst = self.occ[key]
                lst.remove((s, s + D.dur[c], D.index, c))
                self.seg_cache.pop(key, None)
        segs = D.segs
        for r in D.routes:
            row = segs[r.index]
            for c in range(D.k):
                row[c] = None
        for c in range(D.k):
            for ri in D.options[c]:
                segs[ri][c] = self.segments(D.stand[c], D.routes[ri].day)
        D.stale = False

    def attach(self, D: _Del):
        for r in D.routes:
            for c, s in zip(r.seq, r.st, strict=True):
                key = (D.stand[c], r.day)
                self.occ.setdefault(key, []).append((s, s + D.dur[c], D.index, c))
                self.seg_cache.pop(key, None)
        D.stale = True


# --------------------------------------------------------------------------- route arithmetic (delegation detached)


def _forward(D: _Del, r: _Route, frm: int = 0) -> bool:
    """Earliest start times from position ``frm`` on; False when the route is infeasible."""
    T, dur, pinned = D.T, D.dur, D.pinned
    segs = D.segs[r.index]
    seq = r.seq
    n = len(seq)
    st = r.st
    if len(st) != n:
        del st[n:]
        st.extend([0.0] * (n - len(st)))
    if frm == 0:
        t, loc = r.start, r.origin
    else:
        loc = seq[frm - 1]
        t = st[frm - 1] + dur[loc]
    rel = r.release
    for i in range(frm, n):
        c = seq[i]
        p = pinned.get(c)
        if p is not None:
            if t + T[loc][c] > p + EPS:
                return False
            s = p
        else:
            a = (t if t > rel else rel) + T[loc][c]
            s = _earliest(segs[c], a, dur[c])
            if s is None:
                return False
        st[i] = s
        t = s + dur[c]
        loc = c
    return t + T[loc][r.dest] <= r.end + EPS


def _backward(D: _Del, r: _Route) -> None:
    """Latest start of each visit that keeps the rest of the route feasible."""
    T, dur, pinned = D.T, D.dur, D.pinned
    segs = D.segs[r.index]
    seq = r.seq
    n = len(seq)
    lat = r.lat
    del lat[n:]
    lat.extend([0.0] * (n - len(lat)))
    if not n:
        return
    nxt = r.dest
    b = r.end - T[seq[-1]][nxt] - dur[seq[-1]]
    for i in range(n - 1, -1, -1):
        c = seq[i]
        p = pinned.get(c)
        if p is not None:
            v = p
        else:
            v = _latest(segs[c], b, dur[c])
            if v is None:  # cannot happen for a feasible route; keep the current start
                v = r.st[i]
        lat[i] = v
        if i:
            pc = seq[i - 1]
            b = v - T[pc][c] - dur[pc]


def _refresh(D: _Del, r: _Route, frm: int = 0) -> bool:
    ok = _forward(D, r, frm)
    _backward(D, r)
    return ok


def _best_insertion(D: _Del, r: _Route, c: int):
    """Cheapest feasible position for candidate ``c`` in route ``r``: (extra minutes, position).

    Start times and latest starts increase along the route, so the positions
    before the first visit whose latest start leaves room for ``c`` (bisection)
    and after the first one that ends past ``c``'s last possible start are
    skipped without evaluation."""
    segs_c = D.segs[r.index][c]
    if not segs_c:
        return None
    T, dur, pinned = D.T, D.dur, D.pinned
    Tc = T[c]
    dc = dur[c]
    seq, st, lat = r.seq, r.st, r.lat
    segs = D.segs[r.index]
    n = len(seq)
    rel = r.release
    last_start = segs_c[-1][1] - dc + EPS
    single = len(segs_c) == 1
    u0, v0 = segs_c[0]
    v0 -= dc - EPS
    best = None
    best_shift = INF
    first = bisect_left(lat, u0 + dc - EPS, 0, n) if n and len(lat) == n else 0
    for p in range(first, n + 1):
        if p:
            prev = seq[p - 1]
            prev_end = st[p - 1] + dur[prev]
        else:
            prev = r.origin
            prev_end = r.start
        base = prev_end if prev_end > rel else rel
        if base > last_start:
            break
        a = base + T[prev][c]
        if a > last_start:
            continue
        if single:
            s = a if a > u0 else u0
            if s > v0:
                continue
        else:
            s = _earliest(segs_c, a, dc)
            if s is None:
                continue
        e = s + dc
        if p < n:
            nx = seq[p]
            a2 = e + Tc[nx]
            if a2 > st[p] + EPS:
                if nx in pinned or a2 > lat[p] + EPS:
                    continue
                s2 = _earliest(segs[nx], a2, dur[nx])
                if s2 is None or s2 > lat[p] + EPS:
                    continue
            shift = a2 - (base + T[prev][nx])
        else:
            a2 = e + Tc[r.dest]
            if a2 > r.end + EPS:
                continue
            shift = a2 - (base + T[prev][r.dest])
        if shift < best_shift:
            best_shift = shift
            best = p
    if best is None:
        return None
    return best_shift, best


def _insert(D: _Del, r: _Route, c: int, p: int) -> bool:
    """Insert ``c`` at position ``p``; if the timed route turns out infeasible (the quick
    evaluation in ``_best_insertion`` looks one visit ahead only), undo it and say so."""
    r.seq.insert(p, c)
    r.st.insert(p, 0.0)
    D.where[c] = r.index
    if _refresh(D, r, p):
        return True
    r.seq.pop(p)
    r.st.pop(p)
    D.where[c] = -1
    _refresh(D, r, 0)
    return False


def _remove_positions(D: _Del, r: _Route, positions: list[int]) -> None:
    for p in sorted(positions, reverse=True):
        c = r.seq.pop(p)
        r.st.pop(p)
        D.where[c] = -1
    _refresh(D, r, 0)


# --------------------------------------------------------------------------- heuristics for one delegation


def _insert_greedy(
    D: _Del, only: Iterable[int] | None = None, rng: random.Random | None = None, noise: float = 0.0
) -> int:
    """Insert unvisited candidates by best value^2 / extra-time ratio until none fits.

    An insertion only makes the route later (earliest starts) and tighter (latest
    starts), so a candidate that fits nowhere is dropped for the rest of the call
    and only the still-feasible (route, candidate) pairs of the changed route are
    re-evaluated."""
    routes = D.routes
    options = D.options
    cache: dict[tuple[int, int], tuple[float, int] | None] = {}
    pool = []
    for c in range(D.k) if only is None else only:
        if D.where[c] >= 0 or c in D.banned or not options[c]:
            continue
        alive = False
        for ri in options[c]:
            res = _best_insertion(D, routes[ri], c)
            cache[ri, c] = res
            if res is not None:
                alive = True
        if alive:
            pool.append(c)
    val = D.val
    inserted = 0
    while pool:
        best = None
        best_ratio = -1.0
        for c in pool:
            bc = None
            for ri in options[c]:
                res = cache[ri, c]
                if res is not None and (bc is None or res[0] < bc[0]):
                    bc = (res[0], res[1], ri)
            if bc is None:
                continue
            shift = bc[0] if bc[0] > 0.01 else 0.01
            ratio = val[c] * val[c] / shift
            if noise:
                ratio *= 1.0 + noise * rng.random()
            if ratio > best_ratio:
                best_ratio = ratio
                best = (c, bc[2], bc[1])
        if best is None:
            break
        c, ri, p = best
        r = routes[ri]
        if not _insert(D, r, c, p):
            cache[ri, c] = None  # not feasible after all: try the others
            continue
        inserted += 1
        keep = []
        for c2 in pool:
            if c2 == c:
                continue
            alive = False
            for rj in options[c2]:
                if rj == ri and cache[ri, c2] is not None:
                    cache[ri, c2] = _best_insertion(D, r, c2)
                if cache[rj, c2] is not None:
                    alive = True
            if alive:
                keep.append(c2)
        pool = keep
    return inserted


def _two_opt_walk(D: _Del, r: _Route) -> bool:
    """Or-opt moves (relocate one visit) that shorten the walk and stay feasible.

    The change in walking is computed from the three edges each side touches, so
    only the moves that shorten the walk are timed (one forward pass each)."""
    n = len(r.seq)
    if n < 3:
        return False
    T = D.T
    pinned = D.pinned
    improved = False
    again = True
    while again:
        again = False
        seq = r.seq
        nodes = [r.origin, *seq, r.dest]
        for i in range(n):
            c = seq[i]
            if c in pinned:
                continue
            a, b = nodes[i], nodes[i + 2]
            Tc = T[c]
            gain = T[a][c] + Tc[b] - T[a][b] - 1e-7
            if gain <= 0:
                continue
            for j in range(n + 1):
                if j == i or j == i + 1:
                    continue
                x, y = nodes[j], nodes[j + 1]
                if T[x][c] + Tc[y] - T[x][y] < gain:
                    new = seq[:i] + seq[i + 1 :]
                    new.insert(j if j < i else j - 1, c)
                    old_seq, old_st = r.seq, r.st
                    r.seq, r.st = new, list(old_st)
                    if _forward(D, r, 0):
                        improved = again = True
                        break
                    r.seq, r.st = old_seq, old_st
            if again:
                break
    _backward(D, r)
    return improved


def _shake(D: _Del, S: int, R: int, rng: random.Random) -> None:
    for r in D.routes:
        movable = [i for i, c in enumerate(r.seq) if c not in D.pinned]
        if not movable:
            continue
        n = len(movable)
        start = R % n
        take = [movable[(start + j) % n] for j in range(min(S, n))]
        _remove_positions(D, r, take)


def _rebuild(D: _Del, rng: random.Random) -> None:
    """A fresh randomised greedy construction (GRASP): every movable visit out; then,
    every other time, one random candidate in first (so that constructions also
    start from parts of the floor the ratio would not pick), and the rest
    re-inserted by a noisy ratio. Required visits go back in before anything else."""
    for r in D.routes:
        movable = [i for i, c in enumerate(r.seq) if c not in D.pinned]
        if movable:
            _remove_positions(D, r, movable)
    if any(D.required[c] and D.where[c] < 0 for c in range(D.k)):
        _insert_greedy(D, only=[c for c in range(D.k) if D.required[c]])
    if rng.random() < 0.5:
        free = [c for c in range(D.k) if D.where[c] < 0 and D.options[c] and c not in D.banned]
        if free:
            _insert_greedy(D, only=[rng.choice(free)])
    _insert_greedy(D, rng=rng, noise=rng.choice(GRASP_NOISES))


def _ils(
    D: _Del,
    deadline: float,
    max_iter: int,
    rng: random.Random,
    should_stop: Callable[[], bool],
    reorder: bool = True,
) -> int:
    """Iterated local search on one delegation (others' timelines fixed). Returns iterations.

    The search follows trajectories: each shakes and re-inserts, going back to the
    trajectory's best after ``RESTART_IDLE`` idle iterations; after
    ``TRAJECTORY_RESTARTS`` such returns without progress a new trajectory starts,
    alternately from a fresh randomised construction (diversification) and from
    the overall best (intensification)."""
    _insert_greedy(D)
    best = D.snapshot()
    best_obj = D.objective()
    trail, trail_obj = best, best_obj
    S, R = 1, rng.randrange(8)
    idle = 0
    returns = 0
    it = 0
    total = sum(D.val[c] for c in range(D.k) if D.options[c] and c not in D.banned)
    while it < max_iter:
        if best_obj[0] >= total - 1e-9:  # everything is visited: only walking is left
            break
        if time.perf_counter() > deadline or (it % 8 == 7 and should_stop()):
            break
        it += 1
        _shake(D, S, R, rng)
        _insert_greedy(D, rng=rng, noise=rng.choice(NOISES))
        if reorder:
            shorter = False
            for r in D.routes:
                shorter |= _two_opt_walk(D, r)
            if shorter:
                _insert_greedy(D)
        obj = D.objective()
        if obj > trail_obj:
            trail_obj = obj
            trail = D.snapshot()
            if obj > best_obj:
                best_obj, best = obj, trail
            S = 1
            idle = 0
            returns = 0
        else:
            idle += 1
            S += 1
        sizes = [len(r.seq) for r in D.routes if r.seq]
        small = min(sizes) if sizes else 1
        R += S
        if R >= small:
            R = R - small if small else 0
        if S > max(1, small // 2):
            S = 1
        if idle and idle % RESTART_IDLE == 0:
            returns += 1
            if returns >= TRAJECTORY_RESTARTS:
                returns = 0
                idle = 0
                S = 1
                if rng.random() < 0.5:
                    _rebuild(D, rng)
                    if reorder:
                        for r in D.routes:
                            _two_opt_walk(D, r)
                        _insert_greedy(D)
                    trail_obj = D.objective()
                    trail = D.snapshot()
                    if trail_obj > best_obj:
                        best_obj, best = trail_obj, trail
                else:
                    trail, trail_obj = best, best_obj
            D.restore(trail)
            for r in D.routes:
                _backward(D, r)
            R = rng.randrange(max(1, small))
    D.restore(best)
    for r in D.routes:
        _refresh(D, r)
    return it


def _polish(D: _Del) -> None:
    for r in D.routes:
        _two_opt_walk(D, r)


# --------------------------------------------------------------------------- fixed visits


def _place_pinned(state: _State, fixed: list[dict], soft: bool = False) -> None:
    problem = state.problem
    day_index = {d: i for i, d in enumerate(problem.days)}
    by_route: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for i, f in enumerate(fixed):
        if not isinstance(f, dict):
            raise ProblemError(f"fixed[{i}]: not an object")
        di = problem.delegation_index.get(f.get("delegation"))
        if di is None:
            raise ProblemError(f"fixed[{i}]: unknown delegation {f.get('delegation')!r}")
        day = day_index.get(f.get("day"))
        D = state.dels[di]
        if day is None or day not in D.route_of_day:
            raise ProblemError(f"fixed[{i}]: delegation {D.id!r} has no window on {f.get('day')!r}")
        si = problem.stand_index.get(f.get("stand"))
        ci = problem.delegations[di].candidate_of_stand.get(si) if si is not None else None
        if ci is None:
            raise ProblemError(f"fixed[{i}]: {f.get('stand')!r} is not a candidate visit of {D.id!r}")
        start = f.get("start")
        if not isinstance(start, (int, float)) or isinstance(start, bool):
            raise ProblemError(f"fixed[{i}]: start must be a number")
        if ci in D.pinned:
            raise ProblemError(f"fixed[{i}]: {D.id!r} visits {f.get('stand')!r} twice")
        D.pinned[ci] = float(start)
        if soft:
            D.soft.add(ci)
        by_route.setdefault((di, day), []).append((float(start), ci))
    for (di, day), items in sorted(by_route.items()):
        D = state.dels[di]
        r = D.route_of_day[day]
        items.sort()
        for s, ci in items:
            st = problem.stands[D.stand[ci]]
            if not any(o - EPS <= s and s + D.dur[ci] <= c + EPS for o, c in st.windows.get(day, [])):
                raise ProblemError(
                    f"fixed visit of {D.id!r} to {st.id!r} at {s:g} is outside the stand's hours on {problem.days[day]}"
                )
            r.seq.append(ci)
            r.st.append(s)
            D.where[ci] = r.index
        # travel between the pinned visits must be possible
        loc, t = r.origin, r.start
        for s, ci in items:
            if t + D.T[loc][ci] > s + 1e-6:
                raise ProblemError(
                    f"fixed visits of {D.id!r} on {problem.days[day]}: cannot reach "
                    f"{problem.stands[D.stand[ci]].id!r} by {s:g}"
                )
            loc, t = ci, s + D.dur[ci]
        if t + D.T[loc][r.dest] > r.end + 1e-6:
            raise ProblemError(
                f"fixed visits of {D.id!r} on {problem.days[day]} end too late to be back by {r.end:g}"
            )
    for D in state.dels:
        state.attach(D)
    # capacity among the pinned visits
    for (si, day), occ in sorted(state.occ.items()):
        if len(occ) > problem.stands[si].capacity:
            ivs = [(a, b) for a, b, _, _ in occ if b - a > EPS]
            events = sorted([(a, 1) for a, b in ivs] + [(b, -1) for a, b in ivs])
            load = 0
            for t, delta in events:
                load += delta
                if load > problem.stands[si].capacity:
                    raise ProblemError(
                        f"fixed visits overbook stand {problem.stands[si].id!r} on {problem.days[day]} at {t:g}"
                    )


def _force_required(state: _State, D: _Del, allow_drop_others: bool = True) -> list[int]:
    """Place D's missing required visits, dropping its own optional visits and, if it must,
    others' optional (non-pinned or soft-pinned) visits at that stand. D must be attached.
    Returns the candidates still missing."""
    missing = [c for c in range(D.k) if D.required[c] and D.where[c] < 0 and c not in D.banned]
    if not missing:
        return []
    state.detach(D)
    still = []
    for c in missing:
        if _insert_greedy(D, only=[c]):
            continue
        placed = False
        # drop own optional visits, lowest score first, on each possible day
        for ri in D.options[c]:
            r = D.routes[ri]
            snap = D.snapshot()
            optional = sorted((D.score[x], x) for x in r.seq if not D.required[x] and x not in D.pinned)
            for _, x in optional:
                _remove_positions(D, r, [r.seq.index(x)])
                if _insert_greedy(D, only=[c]):
                    placed = True
                    break
            if placed:
                break
            D.restore(snap)
            _refresh(D, r)
        if not placed and allow_drop_others:
            state.attach(D)
            for ri in D.options[c]:
                day = D.routes[ri].day
                key = (D.stand[c], day)
                victims = sorted(
                    (state.dels[oi].score[oc], oi, oc)
                    for _, _, oi, oc in state.occ.get(key, [])
                    if not state.dels[oi].required[oc]
                    and (oc not in state.dels[oi].pinned or oc in state.dels[oi].soft)
                )
                for _, oi, oc in victims:
                    other = state.dels[oi]
                    state.detach(other)
                    r2 = other.routes[other.where[oc]]
                    _remove_positions(other, r2, [r2.seq.index(oc)])
                    other.pinned.pop(oc, None)
                    other.soft.discard(oc)
                    state.attach(other)
                    state.detach(D)
                    ok = _insert_greedy(D, only=[c]) > 0
                    state.attach(D)
                    if ok:
                        placed = True
                        break
                if placed:
                    break
            state.detach(D)
        if not placed:
            still.append(c)
    state.attach(D)
    return still


# --------------------------------------------------------------------------- output


def _to_plan(state: _State, stats: dict) -> Plan:
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


class Note(str):
    """A progress message that also carries its figures in ``facts`` (score, bound, gap
    in %), for callers that word their own message."""

    facts: dict


def _score_note(dels: list, bound: float, what: str) -> Note:
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
    fixed: list[dict] | None = None,
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
    rng = random.Random(seed)
    state = _State(problem)
    if fixed:
        _place_pinned(state, fixed)
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
            _insert_greedy(D, only=req)
            state.attach(D)
    for i in order:
        _force_required(state, dels[i])
    clock.report("required visits placed", force=True)

    # 2. greedy insertion, delegation by delegation
    for n, i in enumerate(order):
        D = dels[i]
        state.detach(D)
        _insert_greedy(D)
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
            it = _ils(D, deadline, per, rng, clock.stop)
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
        _polish(D)
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
    current_plan: Plan | dict,
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
    state = _State(problem)
    D = state.dels[di]
    day_i = problem.days.index(day)
    if day_i not in D.route_of_day:
        raise ProblemError(f"delegation {delegation!r} has no window on {day}")
    keep_hard: list[dict] = []
    keep_soft: list[dict] = []
    for it in current_plan.itineraries:
        for v in it.visits:
            item = {"delegation": it.delegation, "day": it.day, "stand": v.stand, "start": v.start}
            if it.delegation != delegation:
                keep_soft.append(item)
            elif it.day != day or v.start < not_before - EPS:
                keep_hard.append(item)
    _place_pinned(state, keep_hard + keep_soft)
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
    rng = random.Random(seed)
    _force_required(state, D)
    state.detach(D)
    deadline = t0 + max(0.05, float(time_limit))
    _ils(D, deadline, 10**9, rng, lambda: False)
    _polish(D)
    state.attach(D)
    return _to_plan(state, {"elapsed": round(time.perf_counter() - t0, 3)})
