"""Load test: the demo show on 4 gunicorn workers (DEBUG=0), PostgreSQL and a private Redis, driven
by locust (headless, scripted, pinned in requirements.txt). Prints, per page, throughput and
p50/p95 beside a trivial view measured in the same run, then checks the targets:

* pages     each page alone with 8 closed-loop clients: its throughput at least a tenth of the
            trivial view's (``/api/v1/me/``), that is at most 10x its cost; p95 under 300 ms
* mix       8 closed-loop clients over all the pages at once
* show      50 simulated anonymous visitors on the public directory and plans: 0 errors
* portal    20 exhibitors in their portal: 0 errors
* opening   the opening of meeting booking: 2,000 visitors browsing the meetings directory and
            their suggestions, 200 booking at the same moment: 0 server errors
* no-redis  the private Redis stopped, then the show and mix pages again: 0 server errors

    python tests/bench/bench_load.py                # full run, about 6 minutes
    python tests/bench/bench_load.py --short        # the CI form (tests/core/test_load.py runs it)

Uses (and creates) the database ``ex_bench_load`` (or BENCH_LOAD_DATABASE_URL), seeding the demo
show there once; starts its own redis-server on port 6383 and gunicorn on 8840.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.bench.pg import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ex_bench_load"
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
METRICS_TOKEN = secrets.token_urlsafe(16)  # /metrics of the gunicorn run here (closed without one)


# --- the pieces ----------------------------------------------------------------------------------


def make_users(*, visitors: int, bookers: int, exhibitors: int, path: Path) -> dict:
    """Sessions and API tokens for demo people (no password hashing in the measured requests)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from exhibition.accounts.models import Membership, User
    from exhibition.events.demo import DEMO_SLUG
    from exhibition.events.models import Event
    from exhibition.meetings.models import Participant
    from exhibition.meetings.selectors import directory
    from exhibition.meetings.services import all_slots

    event = Event.objects.get(slug=DEMO_SLUG)

    def session(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    def token(user: User) -> str:
        from exhibition.accounts.services import create_api_token

        return create_api_token(user=user, name="load test", days=1)[1]

    people = list(
        Participant.objects.filter(event=event, kind="visitor", opted_in=True, visitor__status="approved")
        .select_related("user")
        .order_by("pk")[: visitors + bookers]
    )
    admins = list(
        Membership.objects.filter(
            organisation__event=event,
            organisation__kind="company",
            role="admin",
            organisation__exhibitor_application__state="approved",
        )
        .select_related("user")
        .order_by("pk")[:exhibitors]
    )
    # Hosts in the directory (admitted, opted in): their pages answer 200, their calendars book.
    hosts = list(
        directory(event, kind="exhibitor")
        .filter(instant_booking=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:300]
    )
    organiser = User.objects.get(email="organiser@demo.test")
    data = {
        "event": event.slug,
        "halls": list(event.halls.order_by("position").values_list("code", flat=True)),
        "stands": list(
            event.stands.exclude(exhibitor=None).order_by("pk").values_list("number", flat=True)[:60]
        ),
        "csrf": secrets.token_hex(16),
        "visitors": [{"session": session(p.user), "token": token(p.user)} for p in people[:visitors]],
        "bookers": [
            {"session": session(p.user), "token": token(p.user)}
            for p in people[visitors : visitors + bookers]
        ]
        or [{"session": session(p.user), "token": token(p.user)} for p in people[:1]],
        "exhibitors": [{"session": session(m.user), "organisation": m.organisation_id} for m in admins],
        "organiser": {"session": session(organiser)},
        "hosts": hosts,
        "slots": [start.isoformat() for start, _end in all_slots(event)],
    }
    path.write_text(json.dumps(data))
    return data


class PrivateRedis:
    def __init__(self, port: int) -> None:
        self.port, self.proc = port, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(lambda: _tcp_ping(self.port), 10, "redis-server")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None


def _tcp_ping(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(8).startswith(b"+PONG")
    except OSError:
        return False


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up in {timeout:.0f} s")


class Gunicorn:
    def __init__(self, *, database_url: str, redis_url: str, port: int, workers: int, log: Path) -> None:
        from django.conf import settings

        self.port, self.log = port, log
        self.metrics_dir = Path(tempfile.mkdtemp(prefix="bench-metrics-"))
        # Its own static root: collected into the project's staticfiles/, the files would be scanned
        # by WhiteNoise in every test client made after this run (about 0.15 s a test).
        self.static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "exhibition.settings",
            "DEBUG": "0",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "METRICS_TOKEN": METRICS_TOKEN,
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "PROMETHEUS_MULTIPROC_DIR": str(self.metrics_dir),
            "STATIC_ROOT": str(self.static_root),
            "LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
        }
        self.proc = None

    def start(self, *, collectstatic: bool = True) -> None:
        if collectstatic:
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                cwd=REPO,
                env=self.env,
                check=True,
            )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:exhibition.gunicorn_conf", "exhibition.wsgi"],
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        _wait(lambda: self._get("/healthz") == 200, 60, "gunicorn")

    def _get(self, path: str) -> int | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as r:
                return r.status
        except Exception:  # noqa: BLE001 - not up yet
            return None

    def metrics(self) -> str:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.read().decode()

    def stop(self, *, keep_metrics: bool = False) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None
        if not keep_metrics:  # the end of the run: a restart keeps both
            shutil.rmtree(self.metrics_dir, ignore_errors=True)
            shutil.rmtree(self.static_root, ignore_errors=True)


@dataclass
class Row:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    mean: float


@dataclass
class Result:
    scenario: str
    users: int
    seconds: float
    rows: list[Row] = field(default_factory=list)
    failures: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def total(self) -> Row:
        return next(r for r in self.rows if r.name == "Aggregated")

    def server_errors(self) -> int:
        return sum(
            n
            for _name, error, n in self.failures
            if "HTTP 5" in error or "Connection" in error or "RemoteDisconnected" in error
        )

    def row(self, name: str) -> Row | None:
        return next((r for r in self.rows if r.name == name), None)


def run_locust(
    *,
    scenario: str,
    users: int,
    seconds: int,
    spawn_rate: float,
    host: str,
    users_file: Path,
    extra_env: dict[str, str] | None = None,
) -> Result:
    out = Path(tempfile.mkdtemp(prefix="locust-"))
    env = {**os.environ, "BENCH_SCENARIO": scenario, "BENCH_USERS": str(users_file), **(extra_env or {})}
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--host",
        host,
        "--csv",
        str(out / "run"),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "ERROR",
        "--exit-code-on-error",
        "0",
    ]
    subprocess.run(
        cmd,
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=seconds + 180,
    )
    result = Result(scenario, users, seconds)
    with (out / "run_stats.csv").open() as fh:
        for rec in csv.DictReader(fh):
            result.rows.append(
                Row(
                    rec["Name"],
                    int(rec["Request Count"]),
                    int(rec["Failure Count"]),
                    float(rec["Requests/s"]),
                    float(rec["50%"] or 0),
                    float(rec["95%"] or 0),
                    float(rec["Average Response Time"] or 0),
                )
            )
    with (out / "run_failures.csv").open() as fh:
        result.failures = [(rec["Name"], rec["Error"], int(rec["Occurrences"])) for rec in csv.DictReader(fh)]
    shutil.rmtree(out, ignore_errors=True)
    return result


# --- the report ----------------------------------------------------------------------------------


def print_result(result: Result, *, trivial: str | None = None) -> None:
    base = result.row(trivial) if trivial else None
    by_rate = result.scenario == "pages"  # each page alone: cost = trivial throughput / page throughput
    print(
        f"\n[{result.scenario}] {result.users} users, {result.seconds} s: {result.total.requests} requests, "
        f"{result.total.rps:.1f} req/s, {result.total.failures} failures, {result.server_errors()} server errors"
    )
    print(
        f"  {'page':<32} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'mean ms':>8} {'x trivial':>9} {'fail':>5}"
    )
    for row in sorted(result.rows, key=lambda r: (r.name == "Aggregated", r.name)):
        if by_rate:
            ratio = f"{base.rps / row.rps:.1f}" if base and row.rps and row.name != "Aggregated" else ""
        else:
            ratio = f"{row.mean / base.mean:.1f}" if base and base.mean else ""
        print(
            f"  {row.name:<32} {row.rps:>7.1f} {row.p50:>7.0f} {row.p95:>7.0f} {row.mean:>8.1f} {ratio:>9} "
            f"{row.failures:>5}"
        )
    for name, error, n in result.failures[:10]:
        print(f"  failure: {name}: {error} x{n}")


def check_targets(results: dict[str, Result]) -> list[str]:
    problems = []
    pages = results.get("pages")
    if pages:
        base = pages.row("trivial: api/me")
        for row in pages.rows:
            if row.name in ("Aggregated", "trivial: api/me"):
                continue
            if base and row.rps and base.rps > 10 * row.rps:
                problems.append(
                    f"pages: {row.name} costs {base.rps / row.rps:.1f}x the trivial view (target <= 10x)"
                )
            if row.p95 > 300:
                problems.append(f"pages: {row.name} p95 {row.p95:.0f} ms at 8 clients (target < 300 ms)")
    for name, result in results.items():
        if name in ("show", "portal") and result.total.failures:
            problems.append(f"{name}: {result.total.failures} errors (target 0)")
        if result.server_errors():
            problems.append(f"{name}: {result.server_errors()} server errors (target 0)")
    return problems


# --- main ------------------------------------------------------------------------------------------

PAGES = [
    "trivial",
    "landing",
    "directory",
    "directory_search",
    "plan",
    "hall",
    "route",
    "meetings_directory",
    "suggestions",
    "participants",
    "exhibitor_list",
    "portal",
    "organiser_dashboard",
]


def run_pages(*, host: str, users_file: Path, seconds: int = 10, clients: int = 8) -> Result:
    """Each page alone, ``clients`` closed-loop clients: throughput per page, its cost beside the trivial view's."""
    combined = Result("pages", clients, seconds)
    for page in PAGES:
        one = run_locust(
            scenario="page",
            users=clients,
            seconds=seconds,
            spawn_rate=clients,
            host=host,
            users_file=users_file,
            extra_env={"BENCH_PAGE": page},
        )
        combined.rows.extend(r for r in one.rows if r.name != "Aggregated")
        combined.failures.extend(one.failures)
    total = sum(r.requests for r in combined.rows)
    combined.rows.append(
        Row(
            "Aggregated",
            total,
            sum(r.failures for r in combined.rows),
            total / (seconds * len(PAGES)),
            0,
            max(r.p95 for r in combined.rows),
            0,
        )
    )
    return combined


PLANS = {
    # scenario, users, seconds, spawn rate, extra environment
    "full": [
        ("pages", 8, 10, 8, {}),
        ("mix", 8, 45, 8, {}),
        ("show", 50, 40, 25, {}),
        ("portal", 20, 30, 20, {}),
        # 2,000 visitors arrive over 40 s and read each page for 30-90 s; then 200 book at once
        (
            "opening",
            2200,
            120,
            50,
            {"BENCH_BOOKERS": "200", "BENCH_THINK_MIN": "30", "BENCH_THINK_MAX": "90"},
        ),
    ],
    "short": [("mix", 8, 8, 8, {}), ("show", 50, 5, 50, {})],
}


def run(
    *,
    database_url: str,
    short: bool,
    port: int,
    redis_port: int,
    workers: int,
    users_file: Path,
    log: Path,
    report=None,
    only: set[str] | None = None,
) -> dict[str, Result]:
    """Run the scenarios against a server on ``database_url`` (seeded with the demo show)."""
    redis = PrivateRedis(redis_port)
    redis.start()
    server = Gunicorn(database_url=database_url, redis_url=redis.url, port=port, workers=workers, log=log)
    host = f"http://127.0.0.1:{port}"
    results: dict[str, Result] = {}
    try:
        server.start()
        for scenario, users, seconds, rate, env in PLANS["short" if short else "full"]:
            if only and scenario not in only:
                continue
            if scenario == "pages":
                results[scenario] = run_pages(
                    host=host, users_file=users_file, seconds=seconds, clients=users
                )
            else:
                results[scenario] = run_locust(
                    scenario=scenario,
                    users=users,
                    seconds=seconds,
                    spawn_rate=rate,
                    host=host,
                    users_file=users_file,
                    extra_env=env,
                )
            if report:
                report(results[scenario])
        try:
            run.metrics = server.metrics()  # type: ignore[attr-defined] - every worker's counts (multiprocess)
        except OSError as exc:
            run.metrics = ""  # type: ignore[attr-defined]
            print(f"  /metrics did not answer: {exc}")
        if only and "no-redis" not in only:
            return results
        redis.stop()  # Redis goes down: the cache and the broker with it
        # ... and the web processes restart while it is down (a deploy, a crash): they start with
        # nothing in their own memory, so every page that caches goes to the dead Redis first.
        server.stop(keep_metrics=True)
        server.start(collectstatic=False)
        if not short:
            results["no-redis show"] = run_locust(
                scenario="show", users=50, seconds=30, spawn_rate=50, host=host, users_file=users_file
            )
        results["no-redis mix"] = run_locust(
            scenario="mix",
            users=8,
            seconds=8 if short else 20,
            spawn_rate=8,
            host=host,
            users_file=users_file,
        )
        for name in ("no-redis show", "no-redis mix"):
            if name in results:
                results[name].scenario = name
                if report:
                    report(results[name])
    finally:
        server.stop()
        redis.stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the CI form: about 40 s of load")
    parser.add_argument(
        "--quick", action="store_true", help="same as --short (make bench BENCH_ARGS=--quick)"
    )
    parser.add_argument("--port", type=int, default=8840)
    parser.add_argument("--redis-port", type=int, default=6383)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--only", default="", help="comma-separated scenarios: mix,show,portal,opening,no-redis"
    )
    args, _ = parser.parse_known_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # figures as they come, also into a file
    url = os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
    if not shutil.which("redis-server"):
        print("load bench skipped: redis-server not installed")
        return 0
    try:
        ensure_database(url)
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL: say so, do not fail `make bench`
        print(f"load bench skipped: PostgreSQL not reachable ({exc.__class__.__name__})")
        return 0
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exhibition.settings")
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--if-missing", "--force", verbosity=0)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from exhibition.meetings.models import Meeting

    before = Meeting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    short = args.short or args.quick
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    users_file = work / "users.json"
    make_users(
        visitors=2000 if not short else 50, bookers=200 if not short else 10, exhibitors=200, path=users_file
    )
    load = os.getloadavg()[0]
    print(
        f"load test: demo show, {args.workers} gunicorn workers (DEBUG=0), PostgreSQL, Redis; "
        f"{os.cpu_count()} cores, load average before {load:.1f}"
    )
    started = time.monotonic()
    try:
        results = run(
            database_url=url,
            short=short,
            port=args.port,
            redis_port=args.redis_port,
            workers=args.workers,
            users_file=users_file,
            log=work / "gunicorn.log",
            report=lambda r: print_result(
                r, trivial="trivial: api/me" if r.scenario in ("mix", "pages") else None
            ),
            only=set(filter(None, args.only.split(","))) or None,
        )
    finally:
        Meeting.objects.filter(pk__gt=before).delete()  # the bookings the run made
    opening = results.get("opening")
    if opening and opening.row("api: book meeting"):
        print(f"\n  200 bookings at once: {opening.row('api: book meeting').requests} sent")
    problems = check_targets(results)
    print(f"\n{time.monotonic() - started:.0f} s; load average after {os.getloadavg()[0]:.1f}")
    print("targets met" if not problems else "targets missed:\n  " + "\n  ".join(problems))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if problems and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
