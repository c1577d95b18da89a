import time

from django.core.management.base import BaseCommand

from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build the Milipol-sized demo show (replaces any earlier demo data). Deterministic."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, seed: int, **options):
        started = time.monotonic()
        show = build_demo(seed=seed, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo show '{show.event.slug}' ready in {time.monotonic() - started:.1f} s."))
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<11} {email}")
