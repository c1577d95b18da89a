"""A matchmaking round of the demo's size, as an organiser runs it (not part of `make test`).

    DATABASE_URL=postgres://... .venv/bin/python tests/bench/bench_meetings_round.py [--time-limit S]

Seeds the demo show first if the database has none, then on its open round
("Show-days matchmaking"):

1. runs the scheduler as the worker does (the round task, in a thread: without
   ``REDIS_URL`` Celery runs it eagerly), polls the progress the review screen shows,
   and stops it 3 s in (as an impatient organiser would): the best schedule so far must
   become the draft;
2. resumes from that draft to the time limit;
3. after a few changes (three participants become busy in the slot of one of their
   draft meetings, one draft meeting pinned), runs again: the pin must hold, and the
   meetings moved are counted;
4. checks every draft with ``shared/tools/check_meetings.py`` (when shared/ is there).

The round is put back as it was at the end (open, no draft, the blockings removed).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exhibition.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from exhibition.accounts.models import User  # noqa: E402
from exhibition.events.demo import DEMO_SLUG  # noqa: E402
from exhibition.events.models import Event  # noqa: E402
from exhibition.meetings import services  # noqa: E402
from exhibition.meetings.models import Participant, Round  # noqa: E402
from tests.shared_data import TOOLS_DIR  # noqa: E402


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def check(rnd: Round) -> str:
    problem, _ = services.build_problem(rnd.event, rnd, at_tables=rnd.at_tables)
    if not (TOOLS_DIR / "check_meetings.py").exists():
        return "checker not found"
    with tempfile.TemporaryDirectory() as tmp:
        p, s = Path(tmp) / "p.json", Path(tmp) / "s.json"
        p.write_text(json.dumps(problem))
        s.write_text(json.dumps(rnd.draft["schedule"]))
        out = subprocess.run(
            [sys.executable, str(TOOLS_DIR / "check_meetings.py"), str(p), str(s)],
            capture_output=True,
            text=True,
        )
    v = json.loads(out.stdout.strip().splitlines()[-1])
    return f"valid={v['valid']} checker bound {v['upper_bound']}"


def run(rnd: Round, organiser, stop_after: float | None) -> tuple[Round, list[str], float]:
    """Start the scheduler in a worker thread; poll its progress; stop it after
    ``stop_after`` seconds if given."""
    started = time.monotonic()
    worker = threading.Thread(target=services.start_scheduling, kwargs={"rnd": rnd, "actor": organiser})
    worker.start()
    seen: list[str] = []
    stopped = False
    while worker.is_alive():
        time.sleep(1.0)
        row = Round.objects.filter(pk=rnd.pk).values_list("status", "progress_message").first()
        if row and row[1] and (not seen or seen[-1] != row[1]):
            seen.append(row[1])
        if stop_after is not None and not stopped and time.monotonic() - started > stop_after:
            services.stop_scheduling(rnd=Round.objects.get(pk=rnd.pk), actor=organiser)
            stopped = True
    worker.join()
    rnd.refresh_from_db()
    return rnd, seen, time.monotonic() - started


def facts(rnd: Round) -> str:
    s = rnd.draft_stats
    out = (
        f"status {rnd.status}, {s['scheduled']}/{s['meetings']} meetings, priority {s['priority_sum']}"
        f" of at most {s['bound']}, {s['breaks']} breaks, stopped={s['stopped']}"
    )
    if "moved" in s:
        out += f", moved {s['moved']}, dropped {s['dropped']}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--time-limit", type=int, default=None, help="seconds per run (default 60, 20 with --quick)"
    )
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    args.time_limit = args.time_limit or (20 if args.quick else 60)
    call_command("migrate", verbosity=0)
    if not Event.objects.filter(slug=DEMO_SLUG).exists():
        t = time.monotonic()
        call_command("seed_demo", verbosity=0)
        print(f"seeded the demo in {time.monotonic() - t:.0f} s")
    event = Event.objects.get(slug=DEMO_SLUG)
    rnd = (
        Round.objects.filter(event=event, status__in=[Round.Status.OPEN, Round.Status.DRAFT])
        .order_by("-id")
        .first()
    )
    organiser = next(
        u
        for u in User.objects.filter(is_active=True).order_by("id")
        if u.has_perm("meetings.manage_meetings", event)
    )
    Round.objects.filter(pk=rnd.pk).update(
        status=Round.Status.OPEN, draft=None, draft_stats={}, time_limit=args.time_limit
    )
    rnd.refresh_from_db()
    n = len(services.build_problem(event, rnd)[0]["meetings"])
    print(f"round {rnd.name!r}: {n} accepted requests, time limit {args.time_limit} s ({load()})")
    blockings = []
    try:
        rnd, seen, took = run(rnd, organiser, stop_after=3.0)
        print(f"1. asked to stop at 3 s, ended at {took:.1f} s: {facts(rnd)}; {check(rnd)} ({load()})")
        print(f"   progress seen on the review screen: {' | '.join(seen)}")
        rnd, seen, took = run(rnd, organiser, stop_after=None)
        print(f"2. resumed, {took:.1f} s: {facts(rnd)}; {check(rnd)} ({load()})")
        draft = rnd.draft
        assignments = draft["schedule"]["assignments"]
        pinned = assignments[0]
        req = rnd.requests.get(pk=int(pinned["meeting"].removeprefix("REQ-")))
        services.pin_draft_meeting(rnd=rnd, actor=organiser, request=req, pinned=True)
        changed = 0
        for a in assignments[10:]:
            r = rnd.requests.select_related("sender").get(pk=int(a["meeting"].removeprefix("REQ-")))
            if r.sender.kind != Participant.Kind.VISITOR:
                continue
            start = datetime.fromisoformat(draft["slots"][a["slot"]])
            blockings.append(
                services.block_time(
                    event=event,
                    participant=r.sender,
                    start=start,
                    end=start + timedelta(minutes=30),
                    title="Bench: busy",
                )
            )
            changed += 1
            if changed == 3:
                break
        rnd.refresh_from_db()
        rnd, seen, took = run(rnd, organiser, stop_after=None)
        where = {a["meeting"]: a["slot"] for a in rnd.draft["schedule"]["assignments"]}
        print(
            f"3. after 3 participants became busy in a draft slot and 1 pin, {took:.1f} s: {facts(rnd)}; "
            f"pin held={where.get(pinned['meeting']) == pinned['slot']}; {check(rnd)} ({load()})"
        )
    finally:
        for b in blockings:
            services.unblock_time(item=b)
        Round.objects.filter(pk=rnd.pk).update(status=Round.Status.OPEN, draft=None, draft_stats={})


if __name__ == "__main__":
    main()
