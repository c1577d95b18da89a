import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, build_demo
from exhibition.events.models import Event


class Command(BaseCommand):
    help = "Build the Milipol-sized demo show (replaces any earlier demo data). Deterministic."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if the demo show exists.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (it creates accounts with a known password).",
        )

    def handle(self, *args, seed: int, if_missing: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password and replaces the demo show: "
                "it runs only with DEBUG=1 (as `make demo` sets), or with --force."
            )
        if if_missing and Event.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write(f"Demo show '{DEMO_SLUG}' already there (make reseed rebuilds it).")
            self._print_logins()
            return
        started = time.monotonic()
        show = build_demo(seed=seed, stdout=self.stdout)
        self._analyze()
        self.stdout.write(
            self.style.SUCCESS(f"Demo show '{show.event.slug}' ready in {time.monotonic() - started:.1f} s.")
        )
        self._print_logins()

    @staticmethod
    def _analyze():
        """Fresh statistics for the query planner. Thousands of rows just arrived in bulk and
        autovacuum has not looked yet: with empty statistics PostgreSQL estimates one row per
        table and picks nested loops that made the exhibitor directory take over 300 ms."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _print_logins(self):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<11} {email}")
