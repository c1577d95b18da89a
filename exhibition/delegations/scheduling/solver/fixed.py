"""Pinned visits placed first, and required visits forced in."""

from __future__ import annotations

from typing import Any

from ..model import (
    EPS,
    ProblemError,
)
from .routes import refresh, remove_positions
from .search import insert_greedy
from .state import Del, State

# --------------------------------------------------------------------------- fixed visits


def place_pinned(state: State, fixed: list[dict[str, Any]], soft: bool = False) -> None:
    problem = state.problem
    day_index = {d: i for i, d in enumerate(problem.days)}
    by_route: dict[tuple[int, int], list[tuple[float, int]]] = {}
    for i, f in enumerate(fixed):
        if not isinstance(f, dict):
            raise ProblemError(f"fixed[{i}]: not an object")
        # the ids are strings: any other value (JSON from outside) names nothing
        did, day_name, stand = f.get("delegation"), f.get("day"), f.get("stand")
        di = problem.delegation_index.get(did) if isinstance(did, str) else None
        if di is None:
            raise ProblemError(f"fixed[{i}]: unknown delegation {f.get('delegation')!r}")
        day = day_index.get(day_name) if isinstance(day_name, str) else None
        D = state.dels[di]
        if day is None or day not in D.route_of_day:
            raise ProblemError(f"fixed[{i}]: delegation {D.id!r} has no window on {f.get('day')!r}")
        si = problem.stand_index.get(stand) if isinstance(stand, str) else None
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


def force_required(state: State, D: Del, allow_drop_others: bool = True) -> list[int]:
    """Place D's missing required visits, dropping its own optional visits and, if it must,
    others' optional (non-pinned or soft-pinned) visits at that stand. D must be attached.
    Returns the candidates still missing."""
    missing = [c for c in range(D.k) if D.required[c] and D.where[c] < 0 and c not in D.banned]
    if not missing:
        return []
    state.detach(D)
    still = []
    for c in missing:
        if insert_greedy(D, only=[c]):
            continue
        placed = False
        # drop own optional visits, lowest score first, on each possible day
        for ri in D.options[c]:
            r = D.routes[ri]
            snap = D.snapshot()
            optional = sorted((D.score[x], x) for x in r.seq if not D.required[x] and x not in D.pinned)
            for _, x in optional:
                remove_positions(D, r, [r.seq.index(x)])
                if insert_greedy(D, only=[c]):
                    placed = True
                    break
            if placed:
                break
            D.restore(snap)
            refresh(D, r)
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
                    remove_positions(other, r2, [r2.seq.index(oc)])
                    other.pinned.pop(oc, None)
                    other.soft.discard(oc)
                    state.attach(other)
                    state.detach(D)
                    ok = insert_greedy(D, only=[c]) > 0
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
