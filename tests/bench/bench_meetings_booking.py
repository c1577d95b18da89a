"""Median server time of instant booking (POST /api/v1/events/<slug>/meetings/book/) on the demo data.

Run against PostgreSQL: DATABASE_URL=postgres://... python tests/bench/bench_meetings_booking.py
(seeds the demo show first if the database has none). Prints median and p90 over 200 bookings,
then deletes the meetings it made.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exhibition.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from exhibition.events.demo import DEMO_SLUG  # noqa: E402
from exhibition.events.models import Event  # noqa: E402
from exhibition.meetings.models import Meeting, Participant  # noqa: E402
from exhibition.meetings.services import all_slots  # noqa: E402


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    if not Event.objects.filter(slug=DEMO_SLUG).exists():
        call_command("seed_demo", verbosity=0)
    rng = random.Random(1)
    visitors = list(
        Participant.objects.filter(event__slug=DEMO_SLUG, kind="visitor", opted_in=True).select_related(
            "user"
        )[:400]
    )
    hosts = list(
        Participant.objects.filter(event__slug=DEMO_SLUG, kind="exhibitor", instant_booking=True)[:300]
    )
    slots = all_slots(visitors[0].event)
    times: list[float] = []
    codes: dict[int, int] = {}
    made: list[int] = []
    for i in range(200):
        client = APIClient()
        client.force_authenticate(visitors[i].user)
        start, _end = rng.choice(slots)
        t = time.perf_counter()
        r = client.post(
            f"/api/v1/events/{DEMO_SLUG}/meetings/book/",
            {"recipient": rng.choice(hosts).pk, "start": start.isoformat()},
            format="json",
        )
        times.append((time.perf_counter() - t) * 1000)
        codes[r.status_code] = codes.get(r.status_code, 0) + 1
        if r.status_code == 201:
            made.append(r.json()["id"])
    p90 = statistics.quantiles(times, n=10)[-1]
    print(
        f"instant booking on {connection.vendor}: n=200 median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, status codes {codes}"
    )
    Meeting.objects.filter(pk__in=made).delete()


if __name__ == "__main__":
    main()
