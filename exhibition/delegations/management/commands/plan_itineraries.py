"""``manage.py plan_itineraries --problem FILE --out FILE [--time-limit S] [--seed N] [--quiet]
[--programme-rules FILE]``.

Progress lines (score, bound, gap) go to stderr; Ctrl-C or SIGTERM stops the search
and the best plan so far is written."""

from django.core.management.base import BaseCommand, CommandError

from exhibition.delegations.scheduling.__main__ import InputError, run


class Command(BaseCommand):
    help = "Plan delegation itineraries for an exhibition.itineraries/v1 problem file (what-if runs)."

    def add_arguments(self, parser):
        parser.add_argument("--problem", required=True, help="exhibition.itineraries/v1 JSON file")
        parser.add_argument(
            "--out", required=True, help="where to write the exhibition.itineraries-plan/v1 JSON"
        )
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds of search (default 30)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--quiet", action="store_true", help="no progress lines")
        parser.add_argument(
            "--programme-rules",
            metavar="FILE",
            dest="rules_out",
            help="add the programme rules (lunch 12:00-14:00, 5-minute grid, 5-minute slack) "
            "and write the problem so rewritten to FILE",
        )

    def handle(self, *args, problem, out, time_limit, seed, quiet=False, rules_out=None, **options):
        if time_limit < 0:
            raise CommandError("--time-limit must be >= 0")
        try:
            summary = run(
                problem, out, time_limit, seed, report=None if quiet else self._progress, rules_out=rules_out
            )
        except InputError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(summary)

    def _progress(self, line: str) -> None:
        self.stderr.write(line)
        self.stderr.flush()
