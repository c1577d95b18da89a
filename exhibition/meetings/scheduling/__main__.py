"""``python -m exhibition.meetings.scheduling --problem FILE --out FILE [--time-limit S] [--seed N] [--quiet]``

Progress (priority sum, bound, gap, breaks) goes to stderr; Ctrl-C stops the search
and writes the best schedule found so far."""

import argparse
import sys

from .cli import CommandFailed, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m exhibition.meetings.scheduling",
        description="Schedule B2B meetings (exhibition.meetings/v1).",
    )
    parser.add_argument("--problem", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)

    def report(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        print(run(args.problem, args.out, args.time_limit, args.seed, report=None if args.quiet else report))
    except CommandFailed as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
