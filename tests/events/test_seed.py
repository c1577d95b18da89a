from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from exhibition.accounts.models import Organisation, TradeVisitor, User
from exhibition.booking.models import Invoice, Payment
from exhibition.delegations.models import DelegationDay, DelegationMember, PublishedVisit
from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, build_demo
from exhibition.events.models import Event
from exhibition.meetings.models import AgendaItem, Meeting, MeetingRequest, Round
from tests.support.demo import demo_show

pytestmark = pytest.mark.django_db


def test_demo_show_is_milipol_sized_and_deterministic():
    first = build_demo()
    event = Event.objects.get(slug=DEMO_SLUG)
    days = list(event.days.order_by("date"))
    # the show lies ahead: it opens on a Tuesday 35 to 41 days after the day it was seeded
    today = timezone.localdate(timezone=event.tz)
    assert 35 <= (days[0].date - today).days <= 41 and days[0].date.weekday() == 1
    assert [(d.date - days[0].date).days for d in days] == [0, 1, 2, 3]
    assert (days[0].opens_at.strftime("%H:%M"), days[0].closes_at.strftime("%H:%M")) == ("09:30", "18:00")
    assert days[-1].closes_at.strftime("%H:%M") == "17:00"
    assert event.time_zone == "Europe/Paris"
    halls = list(event.halls.all())
    assert len(halls) >= 4 and all(h.area >= 10_000 for h in halls)
    companies = Organisation.objects.filter(event=event, kind="company")
    assert companies.count() >= 1000
    assert companies.values("country").distinct().count() >= 50
    assert event.sectors.count() >= 8
    delegations = Organisation.objects.filter(event=event, kind="delegation")
    assert delegations.count() >= 150
    assert delegations.values("country").distinct().count() >= 60
    assert DelegationMember.objects.filter(delegation__organisation__event=event).count() >= 3 * 150
    assert TradeVisitor.objects.filter(event=event).count() >= 3000
    names = list(companies.order_by("id").values_list("name", flat=True)[:50])
    _assert_one_story(first, days[0].date, days[-1].date)

    second = build_demo()
    assert (
        list(
            Organisation.objects.filter(event=second.event, kind="company")
            .order_by("id")
            .values_list("name", flat=True)[:50]
        )
        == names
    )
    assert first.event.pk != second.event.pk


def test_demo_logins_work_with_demo_password_and_land_in_their_roles(client):
    demo_show()
    for role, email in DEMO_LOGINS.items():
        user = authenticate(RequestFactory().post("/accounts/login/"), username=email, password=DEMO_PASSWORD)
        assert user is not None, role
    assert (
        User.objects.exclude(email__in=DEMO_LOGINS.values()).filter(password__startswith="md5$").count() == 0
    )
    client.force_login(User.objects.get(email=DEMO_LOGINS["exhibitor"]))
    assert "Invite your colleagues" in client.get(f"/{DEMO_SLUG}/").content.decode()


def _assert_one_story(show, first_day, last_day):
    """Every date of the demo fits a show that lies ahead."""
    event, now = show.event, timezone.now()
    today = timezone.localdate(timezone=event.tz)
    invoices = Invoice.objects.filter(event=event)
    assert invoices.exists()
    assert all(i.issued_on < today and i.due_on < first_day for i in invoices.only("issued_on", "due_on"))
    assert not Payment.objects.filter(invoice__event=event, received_on__gt=today).exists()
    assert Round.objects.filter(event=event, published_at__gt=now).count() == 0
    meetings = Meeting.objects.filter(event=event)
    assert meetings.exists() and not meetings.filter(start__lt=now).exists()
    assert not meetings.exclude(status=Meeting.Status.SCHEDULED).exists()
    visits = PublishedVisit.objects.filter(delegation__organisation__event=event)
    assert (
        visits.exists()
        and not visits.filter(date__lt=first_day).exists()
        and not visits.filter(date__gt=last_day).exists()
    )
    # the programmes keep a lunch break and the 5-minute grid
    for v in visits.only("start", "end")[:500]:
        local = v.start.astimezone(event.tz)
        assert local.minute % 5 == 0 and local.second == 0, v
    lunches = DelegationDay.objects.filter(delegation__organisation__event=event, lunch_start__isnull=False)
    assert lunches.exists()
    assert all("12:00" <= f"{d.lunch_start:%H:%M}" and f"{d.lunch_end:%H:%M}" <= "14:00" for d in lunches)
    # the demo exhibitor: meetings accepted and asked for, and the delegation visits it hosts
    exhibitor = show.users["exhibitor"]
    mine = Meeting.objects.filter(event=event, host__user=exhibitor)
    assert mine.count() >= 2
    assert AgendaItem.objects.filter(
        event=event, host__user=exhibitor, kind=AgendaItem.Kind.DELEGATION_VISIT
    ).exists()
    company = show.companies[0]

    assert MeetingRequest.objects.filter(
        recipient__organisation=company, status=MeetingRequest.Status.REQUESTED
    ).exists()
