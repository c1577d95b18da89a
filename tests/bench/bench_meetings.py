"""Benchmark of the batch meeting scheduler (not part of `make test`).

    .venv/bin/python tests/bench/bench_meetings.py [--quick] [--time-limit S] [--only SUBSTR]
        [--show-time S] [--no-show]

1. Every published B2B instance in ``shared/data/b2b-instances/json``: scheduled/total,
   breaks against ``best-known.csv`` (fairness d = 2), time. Each schedule is checked
   by ``shared/tools/check_meetings.py``. Target: every meeting placed, breaks at or
   below the best known, within 60 s.
2. Show scale (``gen_meetings.py``: 3,670 participants, 20,000 requests, 4 days):
   time, priority sum, the checker's upper_bound and their ratio. Target: under 120 s,
   ratio >= 0.99.

``--quick``: 20 s per B2B instance, the 17 original instances only, and a 60 s show run.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_meetings import generate  # noqa: E402

from exhibition.meetings.scheduling import ProblemError, read_problem, schedule_to_dict, solve  # noqa: E402
from tests.shared_data import B2B_DIR, TOOLS_DIR  # noqa: E402


def check(problem_path: Path, schedule: dict) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(schedule, f)
    res = subprocess.run(
        [sys.executable, str(TOOLS_DIR / "check_meetings.py"), str(problem_path), f.name],
        capture_output=True,
        text=True,
    )
    Path(f.name).unlink()
    return json.loads(res.stdout.strip().splitlines()[-1])


def best_known() -> dict[str, str]:
    out = {}
    with open(B2B_DIR / "best-known.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["fairness_d"] == "2":
                out[f"{row['instance']}.{row['variant']}"] = row["result"]
    return out


def bench_b2b(time_limit: float, only: str, quick: bool) -> None:
    known = best_known()
    files = sorted((B2B_DIR / "json").glob("*.json"))
    if quick:
        files = [f for f in files if ".original." in f.name]
    files = [f for f in files if only in f.name]
    print(f"{'instance':34} {'sched':>9} {'breaks':>6} {'best':>10} {'time':>6}  met?")
    met = total = 0
    for path in files:
        name = path.name.removesuffix(".json")
        problem = read_problem(json.loads(path.read_text(encoding="utf-8")))
        t = time.monotonic()
        best = known.get(name, "?")
        try:
            schedule = solve(problem, time_limit=time_limit, seed=0)
        except ProblemError as exc:  # the pinned meetings cannot all be kept
            elapsed = time.monotonic() - t
            verdict = "ok (infeasible: " + str(exc) + ")" if best == "infeasible" else f"ERROR: {exc}"
            met += verdict.startswith("ok")
            total += 1
            print(f"{name:34} {'-':>9} {'-':>6} {best:>10} {elapsed:6.1f}  {verdict}", flush=True)
            continue
        elapsed = time.monotonic() - t
        v = check(path, schedule_to_dict(schedule))
        if not v["valid"]:
            verdict = "INVALID"
        elif best == "infeasible":
            verdict = "ok (infeasible: not all placed)" if v["scheduled"] < v["total"] else "BETTER?"
        elif v["scheduled"] == v["total"] and best.isdigit() and v["breaks"] <= int(best):
            verdict = "ok"
        else:
            verdict = "MISSED"
        total += 1
        met += verdict.startswith("ok")
        print(
            f"{name:34} {v['scheduled']:>4}/{v['total']:<4} {v['breaks']:>6} {best:>10} {elapsed:6.1f}  {verdict}"
            f"  [{schedule.info.get('method')}]",
            flush=True,
        )
    print(f"b2b: {met}/{total} instances at the target")


def bench_show(time_limit: float, tables: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "show.json"
        data = generate(seed=1, tables=tables)
        path.write_text(json.dumps(data), encoding="utf-8")
        problem = read_problem(data)
        t = time.monotonic()
        schedule = solve(problem, time_limit=time_limit, seed=0)
        elapsed = time.monotonic() - t
        v = check(path, schedule_to_dict(schedule))
    ratio = v["priority_sum"] / v["upper_bound"]
    label = f"show scale{f' ({tables} tables)' if tables else ''}"
    print(
        f"{label}: {len(data['participants'])} participants, {v['total']} requests, {len(data['slots'])} slots; "
        f"valid={v['valid']} time={elapsed:.1f}s scheduled={v['scheduled']} priority_sum={v['priority_sum']} "
        f"upper_bound={v['upper_bound']} ratio={ratio:.4f} breaks={v['breaks']} [{schedule.info.get('method')}]",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--time-limit", type=float, default=None, help="seconds per B2B instance (default 60)"
    )
    parser.add_argument(
        "--show-time", type=float, default=None, help="seconds for the show run (default 110)"
    )
    parser.add_argument("--only", default="", help="only B2B instances whose name contains this")
    parser.add_argument("--no-show", action="store_true")
    parser.add_argument("--no-b2b", action="store_true")
    parser.add_argument("--tables", type=int, default=0, help="also run show scale with this many tables")
    args = parser.parse_args()
    if not args.no_b2b:
        bench_b2b(args.time_limit or (20.0 if args.quick else 60.0), args.only, args.quick)
    if not args.no_show:
        show_time = args.show_time or (60.0 if args.quick else 110.0)
        bench_show(show_time, 0)
        if args.tables:
            bench_show(show_time, args.tables)


if __name__ == "__main__":
    main()
