"""Route arithmetic, with one delegation detached from the shared stands: forward and
backward time propagation, the best insertion of a candidate, inserting and removing."""

from __future__ import annotations

from bisect import bisect_left

from ..model import EPS
from .state import INF, Del, Route, earliest_start, latest_start

# --------------------------------------------------------------------------- route arithmetic (delegation detached)


def propagate_forward(D: Del, r: Route, frm: int = 0) -> bool:
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
    s: float | None
    for i in range(frm, n):
        c = seq[i]
        p = pinned.get(c)
        if p is not None:
            if t + T[loc][c] > p + EPS:
                return False
            s = p
        else:
            a = (t if t > rel else rel) + T[loc][c]
            s = earliest_start(segs[c], a, dur[c])
            if s is None:
                return False
        st[i] = s
        t = s + dur[c]
        loc = c
    return t + T[loc][r.dest] <= r.end + EPS


def propagate_backward(D: Del, r: Route) -> None:
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
    v: float | None
    for i in range(n - 1, -1, -1):
        c = seq[i]
        p = pinned.get(c)
        if p is not None:
            v = p
        else:
            v = latest_start(segs[c], b, dur[c])
            if v is None:  # cannot happen for a feasible route; keep the current start
                v = r.st[i]
        lat[i] = v
        if i:
            pc = seq[i - 1]
            b = v - T[pc][c] - dur[pc]


def refresh(D: Del, r: Route, frm: int = 0) -> bool:
    ok = propagate_forward(D, r, frm)
    propagate_backward(D, r)
    return ok


def best_insertion(D: Del, r: Route, c: int) -> tuple[float, int] | None:
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
    s: float | None
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
            s = earliest_start(segs_c, a, dc)
            if s is None:
                continue
        e = s + dc
        if p < n:
            nx = seq[p]
            a2 = e + Tc[nx]
            if a2 > st[p] + EPS:
                if nx in pinned or a2 > lat[p] + EPS:
                    continue
                s2 = earliest_start(segs[nx], a2, dur[nx])
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


def insert_at(D: Del, r: Route, c: int, p: int) -> bool:
    """Insert ``c`` at position ``p``; if the timed route turns out infeasible (the quick
    evaluation in ``best_insertion`` looks one visit ahead only), undo it and say so."""
    r.seq.insert(p, c)
    r.st.insert(p, 0.0)
    D.where[c] = r.index
    if refresh(D, r, p):
        return True
    r.seq.pop(p)
    r.st.pop(p)
    D.where[c] = -1
    refresh(D, r, 0)
    return False


def remove_positions(D: Del, r: Route, positions: list[int]) -> None:
    for p in sorted(positions, reverse=True):
        c = r.seq.pop(p)
        r.st.pop(p)
        D.where[c] = -1
    refresh(D, r, 0)
