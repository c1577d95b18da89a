"""Loss of admission end to end with a real Celery worker and the real Redis: the organiser
rejects an approved company on the page; every upcoming meeting is cancelled at once and
each person on the other side gets exactly one notice, delivered by the worker."""

from __future__ import annotations

import time

import pytest

from exhibition.core.models import OutboxMessage
from exhibition.exhibitors.models import Application
from exhibition.meetings import services as meeting_services
from exhibition.meetings.models import Meeting
from tests import factories
from tests.core.test_celery_redis import _mails, redis_url, worker  # noqa: F401 - fixtures
from tests.factories import meetings as mf
from tests.factories.exhibitors import make_application

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_rejecting_a_company_cancels_its_meetings_and_tells_each_visitor_once(
    worker,  # noqa: F811 - the fixture imported above
    client,
    event,
    organiser,
):
    mf.move_to_future(event)
    company = factories.make_company(event, "Aegis Systems")
    app = make_application(event, company, state=Application.State.APPROVED)
    exh = mf.exhibitor_of(company, instant=True)
    visitors = [mf.visitor(event, email=f"visitor{i}@example.test") for i in range(4)]
    meetings = [
        meeting_services.book_instantly(
            actor=v.user, sender=v, recipient=exh, start=mf.at(event, 1, f"1{i}:00")
        )
        for i, v in enumerate(visitors)
    ]
    deadline = time.monotonic() + 30  # the booking notices go out first
    while (
        OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()
        and time.monotonic() < deadline
    ):
        time.sleep(0.2)

    client.force_login(organiser)
    r = client.post(
        f"/{event.slug}/exhibitors/manage/applications/{app.pk}/",
        {"action": "reject", "reason": "Export licence withdrawn"},
    )
    assert r.status_code == 302
    assert {m.status for m in Meeting.objects.filter(pk__in=[m.pk for m in meetings])} == {
        Meeting.Status.CANCELLED
    }

    notices = OutboxMessage.objects.filter(kind="meetings.cancelled")
    deadline = time.monotonic() + 30
    while notices.exclude(status=OutboxMessage.Status.SENT).exists() or notices.count() < 4:
        assert time.monotonic() < deadline, list(notices.values_list("status", "last_error"))
        time.sleep(0.2)
    time.sleep(1.5)  # would a duplicate delivery show up?
    cancelled = [m for m in _mails(worker) if "was cancelled" in m]
    recipients = sorted(
        line.split(": ", 1)[1] for m in cancelled for line in m.splitlines() if line.startswith("To: ")
    )
    assert recipients == [f"visitor{i}@example.test" for i in range(4)]
    assert all(n.attempts == 1 for n in notices)
    assert all("Export licence" not in m for m in cancelled)  # the other side never learns why
