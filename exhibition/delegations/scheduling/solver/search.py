"""The heuristics for one delegation, and its iterated local search in trajectories.

Within one delegation's iterated local search (:func:`ils`) the search runs in
trajectories: shake (remove S consecutive visits) and re-insert by ratio, going
back to the trajectory's best after ``RESTART_IDLE`` idle iterations; after
``TRAJECTORY_RESTARTS`` such returns without progress a new trajectory starts,
half the time from the overall best and half the time from a fresh randomised
construction (:func:`rebuild`, GRASP-like: a random first visit every other
time, then a noisy ratio). On the classic single-route benchmark (Righini &
Salani's Solomon-based OPTW instances) this diversification is what reaches the
best known scores where the plain ILS stalls in one part of the floor (rc105,
rc108: 9-10% short). The greedy insertion drops a candidate once it fits
nowhere (an insertion only makes a route later and tighter) and the
best-position scan skips, by bisection on the latest starts, the positions that
cannot work, which roughly doubles the iterations per second."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable
from typing import cast

from .routes import (
    best_insertion,
    insert_at,
    propagate_backward,
    propagate_forward,
    refresh,
    remove_positions,
)
from .state import GRASP_NOISES, NOISES, RESTART_IDLE, TRAJECTORY_RESTARTS, Del, Route

# --------------------------------------------------------------------------- heuristics for one delegation


def insert_greedy(
    D: Del, only: Iterable[int] | None = None, rng: random.Random | None = None, noise: float = 0.0
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
            res = best_insertion(D, routes[ri], c)
            cache[ri, c] = res
            if res is not None:
                alive = True
        if alive:
            pool.append(c)
    val = D.val
    # drawn from only when `noise` is set, and every call with noise passes its rng
    draws = cast(random.Random, rng)
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
                ratio *= 1.0 + noise * draws.random()
            if ratio > best_ratio:
                best_ratio = ratio
                best = (c, bc[2], bc[1])
        if best is None:
            break
        c, ri, p = best
        r = routes[ri]
        if not insert_at(D, r, c, p):
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
                    cache[ri, c2] = best_insertion(D, r, c2)
                if cache[rj, c2] is not None:
                    alive = True
            if alive:
                keep.append(c2)
        pool = keep
    return inserted


def _two_opt_walk(D: Del, r: Route) -> bool:
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
                    if propagate_forward(D, r, 0):
                        improved = again = True
                        break
                    r.seq, r.st = old_seq, old_st
            if again:
                break
    propagate_backward(D, r)
    return improved


def _shake(D: Del, S: int, R: int, rng: random.Random) -> None:
    for r in D.routes:
        movable = [i for i, c in enumerate(r.seq) if c not in D.pinned]
        if not movable:
            continue
        n = len(movable)
        start = R % n
        take = [movable[(start + j) % n] for j in range(min(S, n))]
        remove_positions(D, r, take)


def rebuild(D: Del, rng: random.Random) -> None:
    """A fresh randomised greedy construction (GRASP): every movable visit out; then,
    every other time, one random candidate in first (so that constructions also
    start from parts of the floor the ratio would not pick), and the rest
    re-inserted by a noisy ratio. Required visits go back in before anything else."""
    for r in D.routes:
        movable = [i for i, c in enumerate(r.seq) if c not in D.pinned]
        if movable:
            remove_positions(D, r, movable)
    if any(D.required[c] and D.where[c] < 0 for c in range(D.k)):
        insert_greedy(D, only=[c for c in range(D.k) if D.required[c]])
    if rng.random() < 0.5:
        free = [c for c in range(D.k) if D.where[c] < 0 and D.options[c] and c not in D.banned]
        if free:
            insert_greedy(D, only=[rng.choice(free)])
    insert_greedy(D, rng=rng, noise=rng.choice(GRASP_NOISES))


def ils(
    D: Del,
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
    insert_greedy(D)
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
        insert_greedy(D, rng=rng, noise=rng.choice(NOISES))
        if reorder:
            shorter = False
            for r in D.routes:
                shorter |= _two_opt_walk(D, r)
            if shorter:
                insert_greedy(D)
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
                    rebuild(D, rng)
                    if reorder:
                        for r in D.routes:
                            _two_opt_walk(D, r)
                        insert_greedy(D)
                    trail_obj = D.objective()
                    trail = D.snapshot()
                    if trail_obj > best_obj:
                        best_obj, best = trail_obj, trail
                else:
                    trail, trail_obj = best, best_obj
            D.restore(trail)
            for r in D.routes:
                propagate_backward(D, r)
            R = rng.randrange(max(1, small))
    D.restore(best)
    for r in D.routes:
        refresh(D, r)
    return it


def polish(D: Del) -> None:
    for r in D.routes:
        _two_opt_walk(D, r)
