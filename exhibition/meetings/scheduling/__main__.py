"""``python -m exhibition.meetings.scheduling --problem FILE --out FILE [--time-limit S] [--seed N]``"""

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
    args = parser.parse_args(argv)
    try:
        print(run(args.problem, args.out, args.time_limit, args.seed))
    except CommandFailed as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
