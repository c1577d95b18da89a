"""Walking-graph benchmark: a generated 1,100-stand, 6-hall show.

Prints the layout size, the graph build time, the time of the full ``travel.minutes``
matrix (every stand, entrance and place feature) and single-route times, against the
targets (matrix < 20 s on one core, one route < 50 ms). Figures, not a timed test.

    .venv/bin/python tests/bench/bench_walking.py [--stands 1100] [--halls 6] [--seed 0] [--penalty 0.5]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np

from exhibition.floorplans.geometry import validate_plan
from exhibition.floorplans.layout import generate_show_layout
from exhibition.floorplans.walking import WalkingGraph

MATRIX_TARGET_S = 20.0
ROUTE_TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stands", type=int, default=1100)
    parser.add_argument("--halls", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument(
        "--penalty", type=float, default=0.5, help="hall-entry penalty (minutes) for a second matrix"
    )
    args, _ = parser.parse_known_args(argv)  # `make bench` passes the same BENCH_ARGS to every bench

    started = time.perf_counter()
    layout = generate_show_layout(seed=args.seed, n_stands=args.stands, n_halls=args.halls)
    generated = time.perf_counter() - started
    hall = layout.halls[0]
    columns = sum(1 for feature in layout.features if feature.kind == "column")
    print(
        f"layout: {len(layout.stands)} stands in {len(layout.halls)} halls of {hall.width:g} x {hall.depth:g} m "
        f"({hall.width * hall.depth:,.0f} m2 each), {len(layout.blocks)} blocks, {columns} columns, "
        f"{len(layout.place_features)} place features, {len(layout.doors)} doors "
        f"({len(layout.entrances)} entrances); generated in {generated * 1000:.0f} ms"
    )
    problems = validate_plan(layout.halls, layout.stands, layout.features, layout.doors)
    print(f"validate_plan: {len(problems)} problems")

    started = time.perf_counter()
    graph = WalkingGraph.from_layout(layout)
    built = time.perf_counter() - started
    print(
        f"graph: {graph.node_count} nodes, {graph.edge_count} edges, built in {built:.2f} s; problems: {graph.problems}"
    )

    ids = [stand.id for stand in layout.stands]
    ids += [door.id for door in layout.entrances] + [feature.id for feature in layout.place_features]
    started = time.perf_counter()
    travel = graph.matrix(ids)  # the ``travel.minutes`` dict of dicts
    elapsed = time.perf_counter() - started
    minutes = np.array([[travel[a][b] for b in ids] for a in ids])
    finite = bool(np.isfinite(minutes).all())
    print(
        f"matrix: {len(ids)} x {len(ids)} places in {elapsed:.2f} s "
        f"(build + matrix {built + elapsed:.2f} s; target < {MATRIX_TARGET_S:g} s: "
        f"{'ok' if built + elapsed < MATRIX_TARGET_S else 'MISSED'}); all reachable: {finite}; "
        f"symmetric: {bool((minutes == minutes.T).all())}; longest walk {minutes.max():.1f} min"
    )

    if args.penalty:
        penalised = WalkingGraph.from_layout(layout, entry_penalty_minutes=args.penalty)
        started = time.perf_counter()
        with_penalty = penalised.minutes_array(ids)
        print(
            f"matrix with {args.penalty:g} min hall-entry penalty: {time.perf_counter() - started:.2f} s; "
            f"asymmetric pairs: {int((with_penalty != with_penalty.T).sum())}"
        )

    rng = random.Random(args.seed)
    timings = []
    detours = []
    for _ in range(args.routes):
        a, b = rng.sample(ids, 2)
        started = time.perf_counter()
        route = graph.route(a, b)
        timings.append((time.perf_counter() - started) * 1000)
        straight = math.dist(route.points[0], route.points[-1])
        if straight > 1:
            detours.append(route.metres / straight)
    timings.sort()
    print(
        f"route: {args.routes} random pairs, median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(0.95 * len(timings)) - 1]:.1f} ms, max {timings[-1]:.1f} ms "
        f"(target < {ROUTE_TARGET_MS:g} ms: {'ok' if timings[-1] < ROUTE_TARGET_MS else 'MISSED'}); "
        f"mean detour factor {statistics.mean(detours):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
