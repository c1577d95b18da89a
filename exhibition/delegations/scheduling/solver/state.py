"""Constants of the search, the free segments of a stand's timeline, and the search state:
one route per delegation and day, one delegation's candidates and routes, the whole show."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeAlias

from ..model import (
    EPS,
    Problem,
)

Progress = Callable[[float, str], None]
ShouldStop = Callable[[], bool]
Segments: TypeAlias = list[tuple[float, float]]  # free (from, until) parts of a stand's day, in order
# a delegation's routes (visits, their starts and latest starts) and candidates' route indices
Snapshot: TypeAlias = tuple[list[tuple[list[int], list[float], list[float]]], list[int]]

REQUIRED_BONUS = 1e6  # internal value added to a required visit: never traded away
INF = float("inf")
NOISES = (0.0, 0.3, 1.0)
GRASP_NOISES = (0.5, 1.0, 2.0, 4.0)  # ratio noise of a fresh construction
RESTART_IDLE = 12  # idle iterations before going back to the trajectory's best
TRAJECTORY_RESTARTS = 4  # such returns without progress before a new trajectory


# --------------------------------------------------------------------------- stand timelines


def _free_segments(
    windows: list[tuple[float, float]], intervals: Iterable[tuple[float, float]], cap: int
) -> Segments:
    """Parts of the stand's windows where fewer than ``cap`` delegations are hosted."""
    ivs = [(a, b) for a, b in intervals if b - a > EPS]
    if not ivs:
        return list(windows)
    events = sorted([(a, 1) for a, b in ivs] + [(b, -1) for a, b in ivs])
    busy: list[tuple[float, float]] = []
    load = 0
    since: float | None = None
    for t, delta in events:
        load += delta
        if load >= cap and since is None:
            since = t
        elif load < cap and since is not None:
            if t > since:
                busy.append((since, t))
            since = None
    out: Segments = []
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


def earliest_start(segs: Sequence[tuple[float, float]], a: float, dur: float) -> float | None:
    for u, v in segs:
        s = a if a > u else u
        if s + dur <= v + EPS:
            return s
    return None


def latest_start(segs: Sequence[tuple[float, float]], b: float, dur: float) -> float | None:
    for u, v in reversed(segs):
        s = v - dur
        if s > b:
            s = b
        if s >= u - EPS:
            return s
    return None


# --------------------------------------------------------------------------- state


class Route:
    """One delegation's day: the visits in walking order with their start times."""

    __slots__ = ("day", "dest", "end", "index", "lat", "origin", "release", "seq", "st", "start")

    def __init__(self, index: int, day: int, start: float, end: float, origin: int, dest: int) -> None:
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


class Del:
    """A delegation's working data, with travel restricted to its own places."""

    def __init__(self, problem: Problem, di: int) -> None:
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
        self.routes: list[Route] = []
        for day in sorted(d.windows):
            w = d.windows[day]
            self.routes.append(
                Route(len(self.routes), day, w.start, w.end, node_of_end[w.origin], node_of_end[w.dest])
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
        # free segments per route and candidate while detached (none: not an option there)
        self.segs: list[list[Sequence[tuple[float, float]]]] = [[()] * k for _ in self.routes]
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

    def snapshot(self) -> Snapshot:
        return ([(list(r.seq), list(r.st), list(r.lat)) for r in self.routes], list(self.where))

    def restore(self, snap: Snapshot) -> None:
        rs, where = snap
        for r, (seq, st, lat) in zip(self.routes, rs, strict=True):
            r.seq, r.st, r.lat = list(seq), list(st), list(lat)
        self.where = list(where)


class State:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.dels = [Del(problem, i) for i in range(len(problem.delegations))]
        self.occ: dict[tuple[int, int], list[tuple[float, float, int, int]]] = {}
        self.seg_cache: dict[tuple[int, int], Segments] = {}

    # stand timelines ---------------------------------------------------------
    def segments(self, stand: int, day: int) -> Segments:
        key = (stand, day)
        segs = self.seg_cache.get(key)
        if segs is None:
            st = self.problem.stands[stand]
            wins = st.windows.get(day, [])
            occ = self.occ.get(key, ())
            segs = _free_segments(wins, [(a, b) for a, b, _, _ in occ], st.capacity)
            self.seg_cache[key] = segs
        return segs

    def detach(self, D: Del) -> None:
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
                row[c] = ()
        for c in range(D.k):
            for ri in D.options[c]:
                segs[ri][c] = self.segments(D.stand[c], D.routes[ri].day)
        D.stale = False

    def attach(self, D: Del) -> None:
        for r in D.routes:
            for c, s in zip(r.seq, r.st, strict=True):
                key = (D.stand[c], r.day)
                self.occ.setdefault(key, []).append((s, s + D.dur[c], D.index, c))
                self.seg_cache.pop(key, None)
        D.stale = True
