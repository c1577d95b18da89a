"""Long work runs on the planners queue, short work on its own: routes, time limits, real workers."""

from __future__ import annotations

import json
import os
import time

import pytest
import redis
from django.conf import settings
from django.db import connection

from exhibition.celery import app as celery_app
from exhibition.core import queues
from exhibition.core.models import OutboxMessage
from exhibition.exhibitors.models import ScreeningRun
from exhibition.meetings.forms import RoundForm
from tests.celery_worker import Worker
from tests.conftest import require_services
from tests.support.mail import messages


@pytest.fixture(scope="module", autouse=True)
def all_tasks():
    celery_app.loader.import_default_modules()


def _queue(name: str) -> str:
    return celery_app.amqp.router.route({}, name, args=(), kwargs={})["queue"].name


def test_each_planner_task_exists_and_is_routed_to_the_planners_queue():
    ours = {name for name in celery_app.tasks if name.startswith("exhibition.")}
    assert set(queues.PLANNER_TASKS) <= ours, set(queues.PLANNER_TASKS) - ours
    assert {name: _queue(name) for name in queues.PLANNER_TASKS} == dict.fromkeys(
        queues.PLANNER_TASKS, "planners"
    )


@pytest.mark.parametrize(
    "name",
    [
        "exhibition.core.deliver_outbox_message",
        "exhibition.core.sweep_outbox",
        "exhibition.webhooks.deliver",
        "exhibition.webhooks.sweep",
        "exhibition.booking.release_expired_holds",
        "exhibition.meetings.send_meeting_reminders",
    ],
)
def test_short_tasks_go_to_the_short_queue(name):
    assert name in celery_app.tasks
    assert _queue(name) == "short"


def test_time_limits_per_queue_and_visibility_timeout_longer_than_the_longest_task():
    rnd = celery_app.tasks["exhibition.meetings.schedule_round"]
    mail = celery_app.tasks["exhibition.core.deliver_outbox_message"]
    assert (rnd.time_limit, rnd.soft_time_limit) == (7200, 6900)
    assert (mail.time_limit, mail.soft_time_limit) == (300, 240)
    longest = max(celery_app.tasks[n].time_limit for n in celery_app.tasks if n.startswith("exhibition."))
    assert longest == 7200
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 10800 > longest
    # A meeting round may be given an hour of solving (the form's maximum) and still fit.

    assert RoundForm.base_fields["time_limit"].max_value + 600 < rnd.soft_time_limit


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_mail_goes_out_while_a_planner_task_waits_for_a_planners_worker(client, event, organiser, tmp_path):
    url = os.environ.get("REDIS_URL")
    if not url or connection.vendor != "postgresql":
        require_services("PostgreSQL and Redis (set DATABASE_URL and REDIS_URL)")

    broker = redis.Redis.from_url(url)
    broker.flushdb()
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = url, False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    short = Worker(queues="short", redis_url=url, mail_dir=mail_dir, name="short")
    try:
        client.force_login(organiser)
        # A screening run (long work) first, then an invitation (an e-mail).
        assert client.post(f"/{event.slug}/exhibitors/manage/screening/", {"rescreen": "1"}).status_code in (
            200,
            302,
        )
        run = ScreeningRun.objects.get()
        response = client.post(
            f"/{event.slug}/invitations/",
            {"email": "new@example.test", "role": "organiser_staff"},
            HTTP_X_REQUEST_ID="req-invite-0001",
        )
        assert response.status_code == 302

        _wait(lambda: OutboxMessage.objects.get(kind="invitation").status == OutboxMessage.Status.SENT)
        assert len(messages(mail_dir)) == 1
        assert broker.llen("planners") == 1 and broker.llen("short") == 0  # the run waits on its own queue
        run.refresh_from_db()
        assert run.status == ScreeningRun.Status.QUEUED

        # The worker's log: JSON, each line once, the delivery carrying the request's id.
        delivered = [
            json.loads(line)
            for line in short.log
            if line.startswith("{") and "deliver_outbox_message" in line and "succeeded" in line
        ]
        assert len(delivered) == 1 and delivered[0]["request_id"] == "req-invite-0001"

        planners = Worker(queues="planners", redis_url=url, name="planners")
        try:
            _wait(lambda: ScreeningRun.objects.get(pk=run.pk).status == ScreeningRun.Status.DONE)
        finally:
            planners.stop()
        assert broker.llen("planners") == 0
    finally:
        short.stop()
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def _wait(condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")
