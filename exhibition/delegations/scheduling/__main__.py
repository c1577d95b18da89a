"""Command line: ``python -m exhibition.delegations.scheduling --problem FILE --out FILE``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Callable

from . import Problem, ProblemError, plan, plan_to_dict, read_problem
from .rules import Rules, with_rules


class InputError(Exception):
    pass


def load_problem(path: str, rules_out: str | None = None) -> Problem:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    except ValueError as e:
        raise InputError(f"{path} is not valid JSON: {e}") from None
    try:
        if rules_out:
            data = with_rules(data, Rules())
            try:
                with open(rules_out, "w", encoding="utf-8") as f:
                    json.dump(data, f)
            except OSError as e:
                raise InputError(f"cannot write {rules_out}: {e.strerror or e}") from None
        return read_problem(data)
    except ProblemError as e:
        raise InputError(f"{path}: {e.message}") from None


def run(
    problem_path: str,
    out_path: str,
    time_limit: float,
    seed: int,
    report: Callable[[str], None] | None = None,
    rules_out: str | None = None,
) -> str:
    """Plan and write; returns the one-line summary. Progress lines (score, bound, gap)
    go to ``report``; Ctrl-C or SIGTERM stops the search and the best plan so far is
    written. ``rules_out``: plan the problem with the programme rules written in
    (:mod:`.rules`, default rules) and save that problem there, for the checker."""
    t0 = time.perf_counter()
    problem = load_problem(problem_path, rules_out)
    stop = threading.Event()
    last = [0.0]

    def progress(fraction: float, message: str) -> None:
        now = time.perf_counter()
        if report is not None and (now - last[0] >= 2.0 or fraction >= 1.0):
            last[0] = now
            report(f"[{now - t0:6.1f} s] {message}")

    old = {}
    if threading.current_thread() is threading.main_thread():
        old = {
            sig: signal.signal(sig, lambda signum, frame: stop.set())
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
    try:
        result = plan(problem, time_limit=time_limit, seed=seed, progress=progress, should_stop=stop.is_set)
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    try:
        with open(out_path, "w", encoding="utf-8") as f:
            json.dump(plan_to_dict(result), f)
    except OSError as e:
        raise InputError(f"cannot write {out_path}: {e.strerror or e}") from None
    missing = len(result.required_missing)
    return (
        f"{len(problem.delegations)} delegations: {result.visit_count} visits, "
        f"score {result.score:g} of {problem.score_total:g}, walking {result.walking_minutes:.1f} min, "
        f"required missing {missing}, {time.perf_counter() - t0:.1f} s"
        + (", stopped early: best so far" if result.stats.get("stopped") else "")
    )


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m exhibition.delegations.scheduling", description="Plan delegation itineraries."
    )
    p.add_argument("--problem", required=True, help="exhibition.itineraries/v1 JSON file")
    p.add_argument("--out", required=True, help="where to write the exhibition.itineraries-plan/v1 JSON")
    p.add_argument("--time-limit", type=float, default=30.0, help="seconds of search (default 30)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--programme-rules",
        metavar="FILE",
        dest="rules_out",
        help="add the programme rules (lunch 12:00-14:00, 5-minute grid, 5-minute buffer) and "
        "write the problem so rewritten to FILE (check the plan against it)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        report = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
        print(
            run(args.problem, args.out, args.time_limit, args.seed, report=report, rules_out=args.rules_out)
        )
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
