"""Faults with real processes: a worker killed in the middle of sending an e-mail, or of a
planning run, never leaves the work stuck or duplicated unseen; each case ends visibly
within two minutes. Needs PostgreSQL and Redis (skipped visibly without them)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from exhibition.accounts import services as account_services
from exhibition.accounts.models import Organisation
from exhibition.celery import app as celery_app
from exhibition.core.models import OutboxMessage
from exhibition.delegations import services as delegation_services
from exhibition.delegations.models import PlanningRun
from exhibition.exhibitors import selectors as exhibitor_selectors
from exhibition.exhibitors import services as exhibitor_services
from exhibition.exhibitors.models import ExhibitorImport
from exhibition.meetings import services as meeting_services
from exhibition.meetings.models import Round
from exhibition.meetings.services import rounds
from tests import factories
from tests.core.test_celery_redis import redis_url  # noqa: F401 - fixture
from tests.factories import make_organiser
from tests.factories import meetings as mf
from tests.factories.delegations import candidate, make_show
from tests.factories.floorplans import make_stand, sell
from tests.support.mail import messages

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[2]


class Worker:
    """A real `celery worker` process group on the test database and the real Redis."""

    def __init__(self, redis: str, mail_dir: Path, *, pool: str = "solo", **env: str):
        s = connection.settings_dict
        full_env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
            "REDIS_URL": redis,
            "EMAIL_URL": "filemail://",
            "EMAIL_FILE_PATH": str(mail_dir),
            "DJANGO_SETTINGS_MODULE": "exhibition.settings",
            **env,
        }
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "exhibition",
            "worker",
            f"--pool={pool}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            "short,planners",
        ]
        if pool == "prefork":
            args.append("--concurrency=1")
        self.proc = subprocess.Popen(
            args,
            cwd=REPO,
            env=full_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.proc.stdout), daemon=True).start()
        deadline = time.monotonic() + 30
        while not any("ready" in line for line in self.log):
            assert self.proc.poll() is None and time.monotonic() < deadline, (
                "worker did not start:\n" + "".join(self.log)
            )
            time.sleep(0.2)

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def kill(self) -> None:
        """Kill the whole worker, as the OOM killer or a lost host would: no clean-up at all."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def workers(redis_url):  # noqa: F811
    started: list[Worker] = []

    def start(mail_dir, **kw):
        w = Worker(redis_url, mail_dir, **kw)
        started.append(w)
        return w

    yield start
    for w in started:
        w.stop()


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_a_worker_killed_after_the_mail_server_took_the_message_resends_it_once_marked(
    workers, tmp_path, event, organiser
):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    first = workers(mail_dir, EMAIL_BACKEND="tests.support.slow_mail.EmailBackend", SLOW_MAIL_SECONDS="60")
    account_services.invite(event=event, actor=organiser, email="boss@aegis.test", role="organiser_staff")
    message = OutboxMessage.objects.get(kind="invitation")
    _wait(lambda: list(mail_dir.iterdir()), 30, "the first worker handing the message to the mail server")
    first.kill()  # the server has the message; the row was never marked sent
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING

    workers(mail_dir, OUTBOX_SENDING_STALE_SECONDS="1")
    time.sleep(1.5)
    celery_app.send_task("exhibition.core.sweep_outbox")
    _wait(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT, 30, "the resend"
    )
    time.sleep(1.5)  # a third copy would show up now
    mails = messages(mail_dir)
    assert len(mails) == 2
    ids = {line for m in mails for line in m.splitlines() if line.startswith("Message-ID: ")}
    assert ids == {f"Message-ID: {message.message_id}"}  # the same message: recognisable as a duplicate
    assert sum("X-Exhibition-Resend: 1" in m for m in mails) == 1
    message.refresh_from_db()
    assert (message.resends, message.attempts) == (1, 2)


def _busy_show(event):
    """Far more worthwhile stands than a delegation's day can hold: the planner searches until
    its time limit."""
    show = make_show(event)
    stands = list(show.stands)
    for i in range(36):
        company = factories.make_company(event, f"Company {i:02d}")
        stands.append(
            sell(
                make_stand(
                    event,
                    show.hall,
                    f"5A-{200 + i}",
                    x=5 + 8 * (i % 9),
                    y=35 + 8 * (i // 9),
                    width=5,
                    depth=5,
                ),
                company,
            )
        )
    for d in (show.delegation, show.other):
        for n, s in enumerate(stands):
            candidate(d, s, score=5 + (n * 7) % 11, duration=15 + 5 * (n % 3))
    return show


def test_a_planning_run_whose_worker_process_is_killed_is_taken_over_and_finishes(
    workers, tmp_path, event, organiser
):
    show = _busy_show(event)
    worker = workers(tmp_path, pool="prefork", RUN_HEARTBEAT_SECONDS="1", RUN_STALE_SECONDS="3")
    run = delegation_services.start_planning(event=show.event, actor=organiser, time_limit=8)
    _wait(
        lambda: PlanningRun.objects.get(pk=run.pk).status == PlanningRun.Status.RUNNING,
        30,
        "the run starting",
    )
    time.sleep(1)
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would
    run = _wait(
        lambda: PlanningRun.objects.filter(pk=run.pk).exclude(status__in=PlanningRun.ACTIVE).first(),
        120,
        "the run ending",
    )
    assert (run.status, run.attempts) == (PlanningRun.Status.DONE, 2), run.message
    assert run.stats["written"] > 0


def test_a_planning_run_whose_whole_worker_dies_fails_visibly_and_planning_can_start_again(
    workers, tmp_path, event, organiser
):
    show = _busy_show(event)
    first = workers(tmp_path, RUN_HEARTBEAT_SECONDS="1")
    run = delegation_services.start_planning(event=show.event, actor=organiser, time_limit=30)
    _wait(lambda: PlanningRun.objects.get(pk=run.pk).heartbeat_at, 30, "the run beating")
    first.kill()  # its message stays unacknowledged in Redis until the visibility timeout
    workers(tmp_path, RUN_DEAD_SECONDS="4")
    time.sleep(5)
    celery_app.send_task("exhibition.delegations.sweep_planning_runs")  # as beat does every minute
    run = _wait(
        lambda: PlanningRun.objects.filter(pk=run.pk, status=PlanningRun.Status.FAILED).first(),
        30,
        "the sweep marking the run failed",
    )
    assert "stopped" in run.message and "start again" in run.message
    again = delegation_services.start_planning(event=show.event, actor=organiser, time_limit=1)
    _wait(lambda: PlanningRun.objects.get(pk=again.pk).status == PlanningRun.Status.DONE, 60, "a new run")


def _busy_round(event, *, time_limit: int):
    """A round of 300 accepted requests: the scheduler works for its whole time limit."""
    organiser = make_organiser(event)
    rnd = meeting_services.create_round(event=event, actor=organiser, name="Pre-show", time_limit=time_limit)
    exhibitors = [mf.exhibitor(event, hosts=1) for _ in range(12)]
    for i in range(60):
        visitor = mf.visitor(event)
        for k in range(5):
            exh = exhibitors[(i * 7 + k * 5) % len(exhibitors)]
            req = meeting_services.request_meeting(
                actor=visitor.user, sender=visitor, recipient=exh, priority=1 + (i + k) % 5
            )
            meeting_services.accept_request(actor=mf.actor_of(exh), request=req)
    return organiser, rnd


def test_a_round_whose_worker_process_is_killed_is_taken_over_and_ends_with_a_draft(workers, tmp_path, event):
    organiser, rnd = _busy_round(event, time_limit=8)
    worker = workers(tmp_path, pool="prefork", RUN_HEARTBEAT_SECONDS="1", RUN_STALE_SECONDS="3")
    meeting_services.start_scheduling(rnd=rnd, actor=organiser)
    _wait(lambda: Round.objects.get(pk=rnd.pk).heartbeat_at, 30, "the scheduler beating")
    time.sleep(1)
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would
    rnd = _wait(
        lambda: Round.objects.filter(pk=rnd.pk).exclude(status=Round.Status.SCHEDULING).first(),
        120,
        "the round ending",
    )
    assert (rnd.status, rnd.attempts) == (Round.Status.DRAFT, 2), rnd.progress_message
    assert rnd.draft_stats["scheduled"] > 250


def test_a_round_whose_whole_worker_dies_ends_visibly_and_keeps_its_previous_draft(workers, tmp_path, event):
    organiser, rnd = _busy_round(event, time_limit=2)
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.SCHEDULING)
    rounds.run_scheduler(rnd=Round.objects.select_related("event").get(pk=rnd.pk))  # a first draft
    first = Round.objects.get(pk=rnd.pk)
    assert first.status == Round.Status.DRAFT and first.draft
    first_worker = workers(tmp_path, RUN_HEARTBEAT_SECONDS="1")
    meeting_services.start_scheduling(rnd=first, actor=organiser, time_limit=30)
    _wait(lambda: Round.objects.get(pk=rnd.pk).heartbeat_at, 30, "the scheduler beating")
    first_worker.kill()  # its message stays unacknowledged in Redis until the visibility timeout
    workers(tmp_path, RUN_DEAD_SECONDS="4")
    time.sleep(5)
    celery_app.send_task("exhibition.meetings.sweep_rounds")  # as beat does every minute
    rnd = _wait(
        lambda: Round.objects.filter(pk=rnd.pk).exclude(status=Round.Status.SCHEDULING).first(),
        30,
        "the sweep ending the run",
    )
    assert rnd.status == Round.Status.DRAFT and "worker stopped" in rnd.progress_message
    assert rnd.draft == first.draft  # the previous draft is still there, to publish or run again


def test_an_exhibitor_import_whose_worker_process_is_killed_is_written_once_on_the_next_delivery(
    workers, tmp_path, event, organiser
):
    """The worker writing an import dies half-way: its transaction rolls back (no company half
    imported), the task comes back, and the next process writes every row, once."""
    rows = "".join(f"Company {i:04d},FR\n" for i in range(3000))
    worker = workers(tmp_path, pool="prefork")
    job = exhibitor_services.start_exhibitor_import(
        event=event, actor=organiser, text="name,country\n" + rows
    )
    _wait(lambda: exhibitor_selectors.exhibitor_import(event, job.pk).done > 0, 60, "rows being written")
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)  # as the out-of-memory killer would
    assert Organisation.objects.filter(event=event).count() == 0  # nothing of the dead attempt is seen

    job = _wait(
        lambda: ExhibitorImport.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
        120,
        "the import ending",
    )
    assert (job.status, job.imported, job.errors) == ("done", 3000, [])
    assert Organisation.objects.filter(event=event).count() == 3000
