"""``manage.py plan_itineraries --problem FILE --out FILE [--time-limit S] [--seed N]``."""

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

    def handle(self, *args, problem, out, time_limit, seed, **options):
        if time_limit < 0:
            raise CommandError("--time-limit must be >= 0")
        try:
            summary = run(problem, out, time_limit, seed)
        except InputError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(summary)
