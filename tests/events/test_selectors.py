"""The organiser's to-do list: each domain says what waits, with a count and where to act."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from exhibition.accounts.models import TradeVisitor
from exhibition.booking import services as booking_services
from exhibition.booking.models import Booking
from exhibition.events.selectors import (
    organiser_charts,
    organiser_todos,
    visitor_in_event,
    visitors_for_vetting,
)
from exhibition.exhibitors.models import Application
from exhibition.floorplans import services as floorplan_services
from tests import factories
from tests.factories.booking import make_exhibitor, make_stand
from tests.factories.exhibitors import make_application
from tests.factories.floorplans import make_door

pytestmark = pytest.mark.django_db


def test_a_new_show_is_first_asked_for_its_halls_sectors_and_to_go_public(client, event, organiser):
    event.is_public = False
    event.save()
    assert [t.key for t in organiser_todos(event)] == ["setup.halls", "setup.sectors", "setup.public"]
    client.force_login(organiser)
    html = client.get(f"/{event.slug}/").content.decode()
    assert f'href="/{event.slug}/manage/show/#halls">Add the show&#x27;s halls</a>' in html
    hall = factories.make_hall(event)
    factories.make_hall(event, "6", origin_x=100)
    factories.make_sector(event)
    # then the floor plan, in the order of the work; going public stays the last step
    assert [t.key for t in organiser_todos(event)] == [
        "setup.stands.5A",
        "setup.stands.6",
        "setup.entrance",
        "setup.prices",
        "setup.public",
    ]
    cache.clear()  # the dashboard's figures are cached until a write commits (never, in this test)
    assert "Draw the stands of Hall 5A" in client.get(f"/{event.slug}/").content.decode()
    make_stand(event, "5A-1", hall=hall)
    make_door(event, "ENTRANCE-5A", hall, None, 0, 20)
    floorplan_services.update_plan_settings(event=event, actor=organiser, shell_rate="500")
    assert [t.key for t in organiser_todos(event)] == ["setup.stands.6", "setup.public"]


def _todos(event):
    return {t.key: (t.count, t.label) for t in organiser_todos(event)}


def test_a_quiet_show_has_nothing_to_do(event):
    factories.make_hall(event)
    factories.make_sector(event)
    assert [t for t in organiser_todos(event) if not t.key.startswith("setup.")] == []
    assert all(chart.empty for chart in organiser_charts(event))


def test_todos_count_what_waits_in_order(client, event, organiser):
    hall = factories.make_hall(event, "5A", width=2000, depth=80)
    factories.make_sector(event)
    make_application(
        event, state=Application.State.SUBMITTED, submitted_at=timezone.now() - timedelta(days=3)
    )
    make_application(event, state=Application.State.UNDER_REVIEW, submitted_at=timezone.now())
    make_application(event, state=Application.State.APPROVED)  # decided: not a to-do
    waiting = make_exhibitor(event, "Waiting Co")[0]
    placed = make_exhibitor(event, "Placed Co")[0]
    booking_services.assign_stand(
        event=event, stand=make_stand(event, "5A-1", hall=hall), organisation=placed, actor=organiser
    )
    held = make_stand(event, "5A-2", hall=hall)
    Booking.objects.create(
        event=event,
        stand=held,
        organisation=waiting,
        status=Booking.Status.HELD,
        held_until=timezone.now() + timedelta(hours=5),
    )
    factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    todos = [t for t in organiser_todos(event) if not t.key.startswith("setup.")]  # set up: see above
    keys = [t.key for t in todos]
    assert keys == ["applications", "stands", "holds", "invoices", "visitors"]
    found = _todos(event)
    assert found["applications"] == (2, "2 exhibitor applications awaiting a decision")
    # Waiting Co holds a stand (a live hold counts as one); the approved application from
    # make_application has no booking: it waits.
    assert found["stands"] == (1, "1 approved company without a stand")
    assert found["holds"] == (1, "1 stand hold expires within 48 hours")
    assert found["invoices"][0] == 1 and found["invoices"][1] == "1 invoice not fully paid"
    assert found["visitors"] == (2, "2 visitors await vetting")
    assert next(t for t in todos if t.key == "holds").urgent is True
    client.force_login(organiser)
    html = client.get(f"/{event.slug}/").content.decode()
    assert (
        f'href="/{event.slug}/exhibitors/manage/applications/?state=pending">2 exhibitor applications awaiting a decision</a>'
        in html
    )
    assert "1 approved company without a stand" in html and "2 visitors await vetting" in html


def test_visitors_for_vetting_filter_by_a_known_status_and_ignore_others(event, other_event):
    pending = factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    approved = factories.make_visitor(event, status=TradeVisitor.Status.APPROVED)
    elsewhere = factories.make_visitor(other_event, status=TradeVisitor.Status.PENDING)
    assert list(visitors_for_vetting(event, TradeVisitor.Status.PENDING)) == [pending]
    assert list(visitors_for_vetting(event, TradeVisitor.Status.APPROVED)) == [approved]
    assert list(visitors_for_vetting(event, "nonsense")) == [pending, approved]
    assert visitor_in_event(event, pending.pk) == pending
    with pytest.raises(Http404):
        visitor_in_event(event, elsewhere.pk)
    with pytest.raises(Http404):
        visitor_in_event(event, None)
