"""Exhibitor CSV import benchmark: last year's exhibitors, 1,000 and 5,000 rows, on PostgreSQL.

Creates (or reuses) the database ``ex_bench_import`` and a fresh show in it for each size. Prints
what the page's request does (read and check the file, store the import: the organiser waits for
it) and what the worker does (check again, then write the companies, drafts, profiles and
invitations in one transaction, the invitation e-mails queued on commit), with the rows per
second, against the targets: the request under 3 s at 5,000 rows; the worker under half the
short queue's soft time limit (240 s) at the largest file an import takes (10,000 rows).
With Redis (``REDIS_URL``, default database 14) the e-mails are queued there, as in production,
and the queue emptied afterwards; without it they are sent in the worker's time.

    .venv/bin/python tests/bench/bench_imports.py [--rows 1000,5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.pg import ensure_database

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ex_bench_import"
REQUEST_TARGET_S = 3.0
SOFT_LIMIT_S = 240.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,5000,10000", help="sizes to import, comma-separated")
    args, _ = parser.parse_known_args(argv)
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        url = DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    try:
        ensure_database(url)
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL: say so, do not fail `make bench`
        print(f"import bench skipped: PostgreSQL not reachable ({exc.__class__.__name__})")
        return 0
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from exhibition.exhibitors import services

    setup_test_environment()  # e-mail to memory
    call_command("migrate", verbosity=0)

    from django.conf import settings

    from exhibition.celery import app as celery_app

    settings.BACKGROUND_THREADS = False
    redis_url = os.environ.get("BENCH_IMPORT_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = redis_url, False
        mail = "queued on Redis, as in production"
    except Exception:  # noqa: BLE001
        redis_url = None
        celery_app.conf.task_always_eager = True
        mail = "sent in the worker's time (no Redis)"
    print(
        f"exhibitor import on PostgreSQL, rows as last year's export (sectors, contact e-mail); e-mails {mail}"
    )
    worst_request = 0.0
    rate = None
    for n in (int(x) for x in args.rows.split(",")):
        checked, written, job = _run(n)
        worst_request = max(worst_request, checked)
        rate = n / written
        print(
            f"  {n:>6,} rows: request {checked:5.2f} s (read, check, store); worker {written:6.1f} s "
            f"({rate:,.0f} rows/s), {job.status}, {job.imported:,} drafts"
        )
        if redis_url:
            redis.Redis.from_url(redis_url).flushdb()  # the queued e-mails: nobody is to get them
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    biggest = services.MAX_ROWS / rate if rate else 0.0
    print(
        f"request {worst_request:.2f} s at most (target < {REQUEST_TARGET_S:.0f} s): "
        f"{'OK' if worst_request < REQUEST_TARGET_S else 'MISSED'}; {services.MAX_ROWS:,} rows (the most an "
        f"import takes) at the last rate {biggest:.0f} s (target < {SOFT_LIMIT_S / 2:.0f} s, half the soft "
        f"limit): {'OK' if biggest < SOFT_LIMIT_S / 2 else 'MISSED'}  [load average {load:.1f} on {os.cpu_count()} CPUs]"
    )
    return 0


def _run(n: int):
    from django.db import connection

    from exhibition.events.models import Event, Sector
    from exhibition.exhibitors import services
    from exhibition.exhibitors.models import ExhibitorImport
    from tests import factories

    slug = f"bench-import-{n}"
    from exhibition.accounts.models import User

    Event.objects.filter(slug=slug).delete()
    User.objects.filter(email=f"organiser-{n}@bench.test").delete()
    event = factories.make_event(slug)
    organiser = factories.make_organiser(event, email=f"organiser-{n}@bench.test")
    for code in ("cyber", "drones", "optics"):
        Sector.objects.create(event=event, code=code, name_en=code.title(), name_fr=code.title())
    rows = "".join(
        f"Company {i:05d},Company {i:05d} SAS,FR,https://c{i}.example,cyber|optics,"
        f"Security systems,Systèmes de sécurité,contact{i}@c{i}.example\n"
        for i in range(n)
    )
    text = "name,legal_name,country,website,sectors,description_en,description_fr,contact_email\n" + rows
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queued = []
    from exhibition.core import background

    real_dispatch = background.dispatch
    background.dispatch = lambda task, **kw: queued.append(kw)  # time the two halves apart
    try:
        started = time.perf_counter()
        job = services.start_exhibitor_import(event=event, actor=organiser, text=text.encode())
        checked = time.perf_counter() - started
    finally:
        background.dispatch = real_dispatch
    started = time.perf_counter()
    services.run_exhibitor_import(job_id=queued[0]["job_id"])
    written = time.perf_counter() - started
    return checked, written, ExhibitorImport.objects.get(pk=job.pk)


if __name__ == "__main__":
    raise SystemExit(main())
