from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from exhibition.accounts.models import Organisation, TradeVisitor, User
from exhibition.delegations.models import DelegationMember
from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, build_demo
from exhibition.events.models import Event

pytestmark = pytest.mark.django_db


def test_demo_show_is_milipol_sized_and_deterministic():
    first = build_demo()
    event = Event.objects.get(slug=DEMO_SLUG)
    days = list(event.days.order_by("date"))
    assert [str(d.date) for d in days] == ["2025-11-18", "2025-11-19", "2025-11-20", "2025-11-21"]
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

    second = build_demo()
    assert list(Organisation.objects.filter(event=second.event, kind="company").order_by("id").values_list("name", flat=True)[:50]) == names
    assert first.event.pk != second.event.pk


def test_demo_logins_work_with_demo_password_and_land_in_their_roles(client):
    build_demo()
    for role, email in DEMO_LOGINS.items():
        user = authenticate(RequestFactory().post("/accounts/login/"), username=email, password=DEMO_PASSWORD)
        assert user is not None, role
    assert User.objects.exclude(email__in=DEMO_LOGINS.values()).filter(password__startswith="md5$").count() == 0
    client.force_login(User.objects.get(email=DEMO_LOGINS["exhibitor"]))
    assert "Invite your colleagues" in client.get(f"/{DEMO_SLUG}/").content.decode()
