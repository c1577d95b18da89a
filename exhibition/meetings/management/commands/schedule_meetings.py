"""``python manage.py schedule_meetings --problem FILE --out FILE [--time-limit S] [--seed N] [--quiet]``

Progress lines (priority sum, bound, gap, breaks) go to stderr as the search goes;
Ctrl-C or SIGTERM stops it and the best schedule found so far is written.

Runs the batch meeting scheduler on an `exhibition.meetings/v1` file (what-if plans,
benchmark instances) and writes an `exhibition.meetings-schedule/v1` file.
"""

from django.core.management.base import BaseCommand, CommandError

from exhibition.meetings.scheduling.cli import CommandFailed, run


class Command(BaseCommand):
    help = "Schedule B2B meetings from an exhibition.meetings/v1 problem file."

    def add_arguments(self, parser):
        parser.add_argument("--problem", required=True, help="problem file (exhibition.meetings/v1 JSON)")
        parser.add_argument("--out", required=True, help="where to write the schedule JSON")
        parser.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--quiet", action="store_true", help="no progress lines")

    def handle(self, *args, **options):
        if options["time_limit"] < 0:
            raise CommandError("--time-limit must not be negative")
        try:
            summary = run(
                options["problem"],
                options["out"],
                options["time_limit"],
                options["seed"],
                report=None if options["quiet"] else self._progress,
            )
        except CommandFailed as e:
            raise CommandError(str(e)) from None
        self.stdout.write(summary)

    def _progress(self, line: str) -> None:
        self.stderr.write(line)
        self.stderr.flush()
