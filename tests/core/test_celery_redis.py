"""The outbox through a real Celery worker and the real Redis, and with Redis down.

Needs PostgreSQL (the worker is another process and must see the test database)
and REDIS_URL: skipped visibly without them, failing under REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from exhibition.accounts.models import Invitation
from exhibition.celery import app as celery_app
from exhibition.core.models import OutboxMessage
from tests.conftest import require_services
from tests.support.mail import messages

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
REPO = Path(__file__).resolve().parents[2]


def _use_broker(url: str, *, eager: bool = False) -> None:
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = eager
    celery_app._pool = None  # producers are pooled per broker URL by kombu: just drop our references
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        require_services("Redis (set REDIS_URL)")
    if connection.vendor != "postgresql":
        require_services("PostgreSQL (set DATABASE_URL)")

    redis.Redis.from_url(url).flushdb()
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    _use_broker(url)
    yield url
    _use_broker(saved[0], eager=saved[1])


@pytest.fixture
def worker(redis_url, tmp_path):
    """A real `celery worker` process on the test database, writing e-mail to files."""
    s = connection.settings_dict
    db_url = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail_dir),
        "DJANGO_SETTINGS_MODULE": "exhibition.settings",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "exhibition",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    deadline = time.monotonic() + 30
    while not any("ready" in line for line in log):
        assert proc.poll() is None and time.monotonic() < deadline, "worker did not start:\n" + "".join(log)
        time.sleep(0.2)
    yield mail_dir
    proc.terminate()
    proc.wait(timeout=10)


def _wait_sent(pk: int, timeout: float = 20) -> OutboxMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = OutboxMessage.objects.get(pk=pk)
        if msg.status == OutboxMessage.Status.SENT:
            return msg
        time.sleep(0.2)
    raise AssertionError(f"message {pk} still {msg.status} after {timeout}s: {msg.last_error}")


def _mails(mail_dir: Path) -> list[str]:
    return messages(mail_dir)


def test_invitation_from_page_is_delivered_by_real_worker_exactly_once(worker, client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        f"/{event.slug}/invitations/", {"email": "new@example.test", "role": "organiser_staff"}
    )
    assert response.status_code == 302
    msg = _wait_sent(OutboxMessage.objects.get(kind="invitation").pk)
    time.sleep(1)  # would a duplicate delivery show up?
    mails = _mails(worker)
    assert len(mails) == 1
    assert "To: new@example.test" in mails[0]
    assert "/accounts/invitation/" in mails[0]
    assert msg.attempts == 1


class _HangingServer:
    """Accepts TCP connections and never answers: a Redis that hangs."""

    def __enter__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        return self

    def __exit__(self, *exc):
        self.sock.close()


@pytest.mark.parametrize("broker", ["refused", "hanging"])
def test_request_succeeds_with_redis_down_and_mail_goes_out_once_redis_is_back(
    broker, worker, client, event, organiser, redis_url
):
    client.force_login(organiser)
    with _HangingServer() as hanging:
        dead = "redis://127.0.0.1:1/0" if broker == "refused" else f"redis://127.0.0.1:{hanging.port}/0"
        _use_broker(dead)
        started = time.monotonic()
        response = client.post(
            f"/{event.slug}/invitations/", {"email": "late@example.test", "role": "organiser_staff"}
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 8, f"request blocked {elapsed:.1f}s on a dead broker"
    assert Invitation.objects.filter(email="late@example.test").count() == 1
    msg = OutboxMessage.objects.get(kind="invitation")
    assert msg.status == OutboxMessage.Status.PENDING
    assert _mails(worker) == []

    # Redis is back: the periodic sweep (as beat runs it) delivers what was left behind.
    _use_broker(redis_url)
    OutboxMessage.objects.filter(pk=msg.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    celery_app.send_task("exhibition.core.sweep_outbox")
    _wait_sent(msg.pk)
    celery_app.send_task("exhibition.core.sweep_outbox")
    time.sleep(1.5)
    assert len(_mails(worker)) == 1


def test_exhibitor_import_runs_on_the_real_worker_with_its_progress_in_the_shared_cache(
    worker, client, event, organiser
):
    """The page's request only checks the file; the worker (another process) writes the rows in one
    transaction and reports how far it got through Redis, where this process reads it."""
    rows = "".join(f"Company {i:03d},FR,{'buyer@example.test' if i == 0 else ''}\n" for i in range(500))
    client.force_login(organiser)
    started = client.post(
        f"/api/v1/events/{event.slug}/applications/import/",
        {"csv": "name,country,contact_email\n" + rows},
        content_type="application/json",
    )
    assert started.status_code == 202
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(started["Location"]).json()
        seen.append((job["status"], job["done"]))
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.05)

    assert seen[-1] == ("done", 500), seen[-5:]
    assert any(status == "running" and 0 < done < 500 for status, done in seen), seen
    assert client.get(started["Location"]).json()["imported"] == 500
    msg = _wait_sent(OutboxMessage.objects.get(kind="invitation").pk)
    assert "To: buyer@example.test" in _mails(worker)[0] and msg.attempts == 1
