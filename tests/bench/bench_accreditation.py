"""Accreditation benchmark on PostgreSQL: issuing and signing badges, a batch PDF, and the gates'
redeem endpoint under load through 4 gunicorn workers.

Figures, not a timed test. Needs PostgreSQL (the database is created and migrated if missing)
and uses Redis when ``REDIS_URL`` is set (the servers' shared cache of the rules):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ex_bench_accred REDIS_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python tests/bench/bench_accreditation.py [--quick]

1. Issue a badge to each of 30,000 approved visitors (``issue_missing_badges``) and sign every
   code (``code_for``): target < 30 s.
2. Print 1,000 badges into one A6 PDF (``pdf.render`` as the batch job does): target < 60 s.
3. Start ``gunicorn -w 4`` (production settings, DEBUG off) on 127.0.0.1:8861 and drive
   ``POST .../checkin/redeem/`` from 8 registered scanners: first at a fixed 200 scans/s for 20 s
   (latency measured from each scan's scheduled time, so a stall counts), then as fast as 12
   clients go for 10 s. The clients run in 4 processes (a GIL each), on the same 2 cores. Target: 200 scans/s sustained, p95 < 50 ms, no errors.
   Every scan is a real one: a distinct badge entering, its signature checked, its row locked,
   its presence and the scan written.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ex_bench_accred"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
PORT = int(os.environ.get("BENCH_PORT", "8861"))
SLUG = "bench-accred"


def ensure_database(url: str) -> None:
    import environ
    import psycopg

    cfg = environ.Env.db_url_config(url)
    if cfg["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"bench_accreditation needs PostgreSQL, not {cfg['ENGINE']} (DATABASE_URL={url})")
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


def build(n_visitors: int):
    from datetime import date, timedelta
    from datetime import time as dtime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from exhibition.accounts.models import EventStaff, TradeVisitor, User
    from exhibition.accreditation import services
    from exhibition.accreditation.models import AccessDay, BadgeCategory
    from exhibition.events.models import Event, Hall, ShowDay

    Event.objects.filter(slug=SLUG).delete()
    User.objects.filter(email__endswith="@bench-accred.test").delete()
    event = Event.objects.create(
        slug=SLUG, name="Bench accreditation", venue="Bench", time_zone="Europe/Paris"
    )
    for i in range(4):
        ShowDay.objects.create(
            event=event,
            date=date(2025, 11, 18) + timedelta(days=i),
            opens_at=dtime(9, 30),
            closes_at=dtime(18, 0),
        )
    for i, code in enumerate(["4", "5A", "5B", "6"]):
        Hall.objects.create(event=event, code=code, name=f"Hall {code}", width=150, depth=120, position=i)
    organiser = User.objects.create_user(
        email="organiser@bench-accred.test", password=None, email_verified_at=timezone.now()
    )
    EventStaff.objects.create(event=event, user=organiser, role=EventStaff.Role.ADMIN)
    services.set_up(event=event, actor=organiser)
    today = timezone.localdate(timezone=event.tz)
    day = AccessDay.objects.create(
        event=event, date=today, kind=AccessDay.Kind.SHOW, opens_at=dtime(0, 0), closes_at=dtime(23, 59)
    )
    for cat in BadgeCategory.objects.filter(event=event):
        cat.days.add(day)
    services.setup.bump(event)
    unusable = make_password(None)
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"v{i:05d}@bench-accred.test",
                full_name=f"Visitor {i:05d}",
                password=unusable,
                email_verified_at=now,
            )
            for i in range(n_visitors)
        ],
        batch_size=5000,
    )
    TradeVisitor.objects.bulk_create(
        [
            TradeVisitor(
                event=event,
                user=u,
                organisation_name="Bench Police",
                job_title="Buyer",
                country="FR",
                status=TradeVisitor.Status.APPROVED,
            )
            for u in users
        ],
        batch_size=5000,
    )
    return event, organiser


def issue_and_sign(event, organiser) -> tuple[float, list[str], list[int]]:
    from exhibition.accreditation import codes, services
    from exhibition.accreditation.models import Badge

    t0 = time.perf_counter()
    issued = services.issue_missing_badges(event=event, actor=organiser)
    badges = list(
        Badge.objects.filter(event=event, status="valid", source="visitor")
        .select_related("key", "category")
        .order_by("pk")
    )
    private = codes.load_private(badges[0].key.private_key)
    signed = [services.code_for(b, private) for b in badges]
    elapsed = time.perf_counter() - t0
    print(
        f"issue and sign: {issued:,} badges issued and {len(signed):,} codes signed in {elapsed:.1f} s "
        f"(target < 30 s)"
    )
    return elapsed, signed, [b.pk for b in badges]


def batch_pdf(event, n: int) -> float:
    from exhibition.accreditation import pdf
    from exhibition.accreditation.services.badges import printable_badges
    from exhibition.accreditation.services.printing import badge_signer

    badges = list(printable_badges(event).order_by("pk")[:n])
    t0 = time.perf_counter()
    data = pdf.render(badges, badge_signer(), fmt="a6")
    elapsed = time.perf_counter() - t0
    print(
        f"batch PDF: {len(badges):,} A6 badges, {len(data) / 1e6:.1f} MB, in {elapsed:.1f} s (target < 60 s)"
    )
    return elapsed


def start_server(env: dict) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "exhibition.wsgi",
        "-w",
        "4",
        "-b",
        f"127.0.0.1:{PORT}",
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            c.request("GET", "/api/v1/me/")
            c.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


class Load:
    def __init__(self, tokens: list[str], codes: list[str], zone: int):
        self.tokens, self.codes, self.zone = tokens, codes, zone
        self.next = 0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.results: dict[str, int] = {}

    def take(self) -> str | None:
        with self.lock:
            if self.next >= len(self.codes):
                return None
            self.next += 1
            return self.codes[self.next - 1]

    def one(self, conn: http.client.HTTPConnection, token: str, code: str, started: float) -> None:
        body = json.dumps({"code": code, "nonce": uuid.uuid4().hex, "zone": self.zone, "direction": "entry"})
        try:
            conn.request(
                "POST",
                f"/api/v1/events/{SLUG}/accreditation/checkin/redeem/",
                body=body,
                headers={
                    "Authorization": f"Device {token}",
                    "Content-Type": "application/json",
                    "Host": "127.0.0.1",
                },
            )
            r = conn.getresponse()
            data = r.read()
            if r.status != 200:
                self.errors.append(f"{r.status} {data[:200]!r}")
                return
            result = json.loads(data)["reason"] or "ok"
        except (OSError, http.client.HTTPException) as exc:
            self.errors.append(repr(exc))
            conn.close()
            return
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            self.results[result] = self.results.get(result, 0) + 1


def _fixed_rate_part(
    load: Load, rate: float, total: int, t0: float, part: int, parts: int, threads: int
) -> None:
    """This process's share of the scans scheduled at ``rate`` per second from ``t0``: slot k
    belongs to process k % parts. Latency counts from each scan's scheduled time."""
    slots = iter(range(part, total, parts))
    slot_lock = threading.Lock()

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while True:
            with slot_lock:
                k = next(slots, None)
            if k is None:
                return
            code = load.take()
            if code is None:
                return
            due = t0 + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            load.one(conn, load.tokens[(part * threads + i) % len(load.tokens)], code, due)

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def _closed_loop_part(load: Load, stop: float, part: int, threads: int) -> None:
    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < stop:
            code = load.take()
            if code is None:
                return
            load.one(conn, load.tokens[(part * threads + i) % len(load.tokens)], code, time.perf_counter())

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def _in_processes(load: Load, parts: int, run) -> None:
    """Run ``run(part_load, part)`` in ``parts`` forked processes, each with its own share of the
    codes, and gather their latencies, errors and results into ``load``. Several processes keep
    the clients' own Python (one GIL each) from adding to the latencies they measure."""
    ctx = multiprocessing.get_context("fork")
    pipes, procs = [], []
    for part in range(parts):
        mine = Load(load.tokens, load.codes[load.next + part :: parts], load.zone)
        recv, send = ctx.Pipe(duplex=False)

        def target(mine=mine, part=part, send=send) -> None:
            run(mine, part)
            send.send((mine.latencies, mine.errors, mine.results))

        proc = ctx.Process(target=target)
        proc.start()
        pipes.append(recv)
        procs.append(proc)
    for recv, proc in zip(pipes, procs, strict=True):
        latencies, errors, results = recv.recv()
        proc.join()
        load.latencies += latencies
        load.errors += errors
        for k, v in results.items():
            load.results[k] = load.results.get(k, 0) + v


def fixed_rate(
    load: Load, rate: float, seconds: float, parts: int = 4, threads: int = 4
) -> tuple[float, float]:
    """Scans scheduled at ``rate`` per second for ``seconds``, from ``parts`` client processes."""
    total = int(rate * seconds)
    t0 = time.perf_counter() + 0.5  # CLOCK_MONOTONIC: the same clock in every process
    _in_processes(
        load, parts, lambda mine, part: _fixed_rate_part(mine, rate, total, t0, part, parts, threads)
    )
    elapsed = time.perf_counter() - t0
    return len(load.latencies) / elapsed, elapsed


def closed_loop(load: Load, seconds: float, parts: int = 4, threads: int = 3) -> float:
    t0 = time.perf_counter()
    stop = t0 + seconds
    _in_processes(load, parts, lambda mine, part: _closed_loop_part(mine, stop, part, threads))
    return len(load.latencies) / (time.perf_counter() - t0)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000 if s else float("nan")


def report(name: str, load: Load, rate: float) -> None:
    lat = load.latencies
    print(
        f"{name}: {rate:.0f} scans/s, {len(lat):,} answered, median {statistics.median(lat) * 1000:.1f} ms, "
        f"p95 {pct(lat, 0.95):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, errors {len(load.errors)}, results {load.results}"
    )
    if load.errors:
        print("  first errors:", load.errors[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="3,000 visitors, 200 badges in the PDF, short runs"
    )
    args = parser.parse_args()
    n_visitors = 3000 if args.quick else 30000
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    event, organiser = build(n_visitors)
    _t, signed, _ids = issue_and_sign(event, organiser)
    batch_pdf(event, 200 if args.quick else 1000)

    from exhibition.accreditation import services
    from exhibition.accreditation.models import Gate

    gate = Gate.objects.get(event=event, zone__code="site")
    tokens = []
    for i in range(8):
        _d, code = services.create_device(event=event, actor=organiser, name=f"Lane {i}", gate=gate)
        tokens.append(services.register_device(event=event, code=code)[1])
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="exhibition.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
    )
    server = start_server(env)
    try:
        warm = Load(tokens, signed[:200], gate.zone_id)
        closed_loop(warm, 3, parts=2, threads=2)
        seconds = 5 if args.quick else 20
        fixed = Load(tokens, signed[200:], gate.zone_id)
        rate, _e = fixed_rate(fixed, 200, seconds)
        report(f"redeem at a fixed 200 scans/s for {seconds} s", fixed, rate)
        rest = signed[200 + int(200 * seconds) :]
        fast = Load(tokens, rest, gate.zone_id)
        rate = closed_loop(fast, 5 if args.quick else 10)
        report("redeem as fast as 12 clients go", fast, rate)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
