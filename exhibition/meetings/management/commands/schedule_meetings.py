"""``python manage.py schedule_meetings --problem FILE --out FILE [--time-limit S] [--seed N]``

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

    def handle(self, *args, **options):
        if options["time_limit"] < 0:
            raise CommandError("--time-limit must not be negative")
        try:
            summary = run(options["problem"], options["out"], options["time_limit"], options["seed"])
        except CommandFailed as e:
            raise CommandError(str(e)) from None
        self.stdout.write(summary)
