"""Floor-plan benchmark on PostgreSQL: the hall plan page, the stored walking matrix, single routes.

Figures, not a timed test. Needs a PostgreSQL database (created and migrated if missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ex_bench_plan .venv/bin/python tests/bench/bench_plan.py

(that URL is the default). It builds an event with one hall of 400 stands and one of 10 (exhibitors
with sectors, pavilions, features), then:

* times ``GET /<event>/plan/<hall>/`` as an organiser with the Django test client (in-process, so
  server time): median of 20 after a warm-up, and counts the queries for 10 and for 400 stands
  (targets: < 150 ms with 400 stands, same query count). If the page is not there (404), it times
  the API list ``/api/v1/events/<event>/stands/?hall=...`` instead and says so;
* loads the demo layout (``generate_show_layout(seed=2025, n_stands=1120)``) into a second event
  and times, pinned to one core, the walking graph + full matrix as ``compute_and_store`` does it
  (target < 20 s) and single routes, median over 200 random pairs, both on the built graph and
  through ``selectors.route_between`` (cache included) (target < 50 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

# One core for numpy/scipy: set before they are imported (the process is pinned to one CPU
# before the matrix is computed).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ex_bench_plan"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

PAGE_TARGET_MS = 150.0
MATRIX_TARGET_S = 20.0
ROUTE_TARGET_MS = 50.0
SLUG = "bench-plan"
DEMO_SLUG = "bench-plan-demo"


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist yet."""
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    if cfg["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"bench_plan needs PostgreSQL, not {cfg['ENGINE']} (DATABASE_URL={url})")
    conninfo = {
        "host": cfg.get("HOST") or "127.0.0.1",
        "port": cfg.get("PORT") or 5432,
        "user": cfg.get("USER") or "postgres",
        "dbname": "postgres",
        "autocommit": True,
    }
    if cfg.get("PASSWORD"):
        conninfo["password"] = cfg["PASSWORD"]
    with psycopg.connect(**conninfo) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
            print(f"created database {cfg['NAME']}")


def build_event():
    """The event with hall H400 (400 stands) and H10 (10 stands), rebuilt from scratch."""
    from exhibition.accounts.models import EventStaff, Organisation, User
    from exhibition.events.models import Event, Hall, Sector
    from exhibition.floorplans.models import Feature, Pavilion, Stand
    from exhibition.floorplans.services import plan_settings, price_for

    Event.objects.filter(slug=SLUG).delete()
    event = Event.objects.create(
        slug=SLUG, name="Bench plan", venue="Bench", time_zone="Europe/Paris", is_public=True
    )
    settings_ = plan_settings(event)
    sectors = [
        Sector.objects.create(
            event=event,
            code=f"s{i}",
            name_en=f"Sector {i}",
            name_fr=f"Secteur {i}",
            colour=f"#{(i * 2654435761) % 0xFFFFFF:06x}",
        )
        for i in range(12)
    ]
    pavilions = [Pavilion.objects.create(event=event, name=f"Pavilion {i}", country="DE") for i in range(4)]
    companies = Organisation.objects.bulk_create(
        Organisation(event=event, kind=Organisation.Kind.COMPANY, name=f"Company {i:03d}", country="FR")
        for i in range(420)
    )
    through = Organisation.sectors.through
    rng = random.Random(7)
    through.objects.bulk_create(
        through(organisation_id=c.pk, sector_id=s.pk) for c in companies for s in rng.sample(sectors, 2)
    )
    organiser, _ = User.objects.get_or_create(
        email="bench-organiser@example.test", defaults={"full_name": "Bench"}
    )
    EventStaff.objects.create(event=event, user=organiser, role=EventStaff.Role.ADMIN)

    big = Hall.objects.create(event=event, code="H400", name="Hall 400", width=200, depth=120, position=0)
    small = Hall.objects.create(
        event=event, code="H10", name="Hall 10", width=60, depth=40, origin_x=210, position=1
    )
    rows = []
    # H400: 20 blocks of 2 x 10 stands of 3 x 3 m, 4 m aisles.
    for b in range(20):
        bx, by = 6 + (b % 5) * 38, 6 + (b // 5) * 28
        rows.extend((big, f"H400-{b:02d}{r}{c}", bx + 3 * c, by + 3 * r) for r in range(2) for c in range(10))
    rows.extend((small, f"H10-{c:02d}", 6 + 3 * c, 6) for c in range(10))
    stands = []
    for i, (hall, number, x, y) in enumerate(rows):
        sold = i % 5 != 0
        stands.append(
            Stand(
                event=event,
                hall=hall,
                number=number,
                x=x,
                y=y,
                width=3,
                depth=3,
                area=9.0,
                open_sides=1,
                kind=Stand.Kind.SHELL,
                status=Stand.Status.SOLD if sold else Stand.Status.AVAILABLE,
                exhibitor=companies[i] if sold else None,
                pavilion=pavilions[i % 4] if i % 7 == 0 else None,
                price=price_for(area=9.0, kind="shell", open_sides=1, settings_=settings_),
            )
        )
    Stand.objects.bulk_create(stands, batch_size=500)
    Feature.objects.bulk_create(
        Feature(
            event=event,
            hall=hall,
            code=f"{hall.code}-COL{i}",
            kind=Feature.Kind.COLUMN,
            x=2 + 10 * i,
            y=1,
            width=0.5,
            depth=0.5,
        )
        for hall in (big, small)
        for i in range(5)
    )
    return event, organiser


def load_demo_layout():
    """The demo layout (1,120 stands, 6 halls) as a second event, bulk-created like seed_demo."""
    from exhibition.events.models import Event, Hall
    from exhibition.floorplans.layout import generate_show_layout
    from exhibition.floorplans.models import Door, Feature, Stand
    from exhibition.floorplans.services import plan_settings

    Event.objects.filter(slug=DEMO_SLUG).delete()
    event = Event.objects.create(
        slug=DEMO_SLUG, name="Bench demo layout", venue="Bench", time_zone="Europe/Paris"
    )
    plan_settings(event)
    layout = generate_show_layout(seed=2025, n_stands=1120)
    halls = {
        h.id: Hall.objects.create(
            event=event,
            code=h.id,
            name=h.id,
            width=h.width,
            depth=h.depth,
            origin_x=h.origin_x,
            origin_y=h.origin_y,
            position=i,
        )
        for i, h in enumerate(layout.halls)
    }
    Feature.objects.bulk_create(
        Feature(
            event=event,
            hall=halls[f.hall_id],
            code=f.id,
            kind=f.kind if f.kind in Feature.Kind.values else Feature.Kind.SERVICE,
            x=f.x,
            y=f.y,
            width=f.width,
            depth=f.depth,
        )
        for f in layout.features
    )
    Door.objects.bulk_create(
        Door(
            event=event,
            code=d.id,
            hall_a=halls[d.hall_a],
            hall_b=halls[d.hall_b] if d.hall_b else None,
            x=d.x,
            y=d.y,
            width=d.width,
        )
        for d in layout.doors
    )
    Stand.objects.bulk_create(
        (
            Stand(
                event=event,
                hall=halls[s.hall_id],
                number=s.id,
                x=s.x,
                y=s.y,
                width=s.width,
                depth=s.depth,
                rotation=s.rotation,
                area=s.width * s.depth,
            )
            for s in layout.stands
        ),
        batch_size=500,
    )
    return event, layout


def time_get(client, url: str, runs: int) -> tuple[float, float, int, int, int]:
    """(median wall ms, median CPU ms of this process, status, bytes, query count) of ``runs`` GETs
    after two warm-up requests. CPU time leaves out PostgreSQL's own work and other load."""
    from django.db import connection

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    for _ in range(2):
        client.get(url)
    with connection.execute_wrapper(count):
        response = client.get(url)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return (
        statistics.median(walls),
        statistics.median(cpus),
        response.status_code,
        len(response.content),
        queries,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--routes", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args, _ = parser.parse_known_args(argv)  # `make bench` passes the same BENCH_ARGS to every bench

    url = os.environ["DATABASE_URL"]
    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.DEBUG = False  # no query log while timing (CaptureQueriesContext counts anyway)
    call_command("migrate", verbosity=0)
    print(
        f"database: {settings.DATABASES['default']['NAME']} on PostgreSQL; cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}"
    )

    started = time.perf_counter()
    event, organiser = build_event()
    print(
        f"built event {event.slug}: halls H400 (400 stands) and H10 (10 stands) in {time.perf_counter() - started:.1f} s"
    )

    client = Client()
    client.force_login(organiser)
    page = lambda code: f"/{event.slug}/plan/{code}/"  # noqa: E731
    what = "hall plan page"
    if client.get(page("H10")).status_code == 404:
        what = "API stand list (hall page not found)"
        page = lambda code: f"/api/v1/events/{event.slug}/stands/?hall={code}&page_size=500"  # noqa: E731
    results = {}
    for code in ("H10", "H400"):
        results[code] = time_get(client, page(code), args.runs)
        ms, cpu, status, size, queries = results[code]
        print(
            f"{what} {page(code)}: HTTP {status}, {size:,} bytes, median {ms:.1f} ms wall / {cpu:.1f} ms CPU "
            f"over {args.runs}, {queries} queries"
        )
    same = results["H10"][4] == results["H400"][4]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"  400 stands: {results['H400'][0]:.1f} ms (target < {PAGE_TARGET_MS:g} ms: "
        f"{'ok' if results['H400'][0] < PAGE_TARGET_MS else 'MISSED'}); queries 10 vs 400 stands: "
        f"{results['H10'][4]} vs {results['H400'][4]} ({'same' if same else 'DIFFERENT'}); "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )

    from exhibition.floorplans import selectors
    from exhibition.floorplans.matrix import compute_and_store

    demo, layout = load_demo_layout()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    started = time.perf_counter()
    matrix = compute_and_store(demo, force=True)
    total = time.perf_counter() - started
    n = len(matrix.places)
    print(
        f"walking matrix (compute_and_store, demo layout {len(layout.stands)} stands in {len(layout.halls)} halls, "
        f"cpu {cpus}): {n} x {n} places, status {matrix.status}, {total:.2f} s with graph build and storage "
        f"(target < {MATRIX_TARGET_S:g} s: {'ok' if total < MATRIX_TARGET_S else 'MISSED'})"
    )

    graph = selectors.walking_graph(demo)  # builds and caches
    ids = [s.id for s in layout.stands]
    rng = random.Random(args.seed)
    pairs = [tuple(rng.sample(ids, 2)) for _ in range(args.routes)]
    pure, full = [], []
    for a, b in pairs:
        started = time.perf_counter()
        graph.route(a, b)
        pure.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        selectors.route_between(demo, a, b)
        full.append((time.perf_counter() - started) * 1000)
    for label, timings in (("graph.route", pure), ("selectors.route_between (cache + plan version)", full)):
        timings.sort()
        print(
            f"single route, {label}: median {statistics.median(timings):.1f} ms, p95 "
            f"{timings[int(0.95 * len(timings)) - 1]:.1f} ms over {args.routes} random stand pairs "
            f"(target < {ROUTE_TARGET_MS:g} ms: {'ok' if statistics.median(timings) < ROUTE_TARGET_MS else 'MISSED'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
