"""The visitor's and the exhibitor's landing pages are their to-do lists: counts and links."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from exhibition.accounts.models import Membership, TradeVisitor
from exhibition.booking.models import Invoice
from exhibition.delegations.models import Interest, PublishedVisit
from exhibition.meetings import services
from exhibition.meetings.models import Round
from tests.factories import make_company, make_hall, make_member, make_sector
from tests.factories import meetings as f
from tests.factories.delegations import make_official_delegation
from tests.factories.floorplans import make_stand, sell

pytestmark = pytest.mark.django_db


def _todos(client, event, user):
    client.force_login(user)
    resp = client.get(reverse("events:home", kwargs={"event_slug": event.slug}))
    assert resp.status_code == 200
    return resp


def test_visitor_sees_requests_to_answer_suggestions_and_the_open_round(client, event):
    vis = f.visitor(event, seek="Drones", headline="Buyer")
    f.exhibitor(event, "Sky Co", offer="Surveillance drones")
    asker = f.exhibitor(event, "Asker Ltd")
    services.request_meeting(actor=f.actor_of(asker), sender=asker, recipient=vis)
    Round.objects.create(event=event, name="Pre-show")

    resp = _todos(client, event, vis.user)

    lines = {t.key: t for t in resp.context["visitor_todos"]}
    assert lines["meetings.to_answer"].label == "1 meeting request awaits your answer"
    assert lines["meetings.to_answer"].url == f"/{event.slug}/meetings/inbox/"
    assert lines["meetings.suggestions"].label == "1 person you should meet"
    assert lines["meetings.round"].label == "The matchmaking round “Pre-show” is open for requests"
    assert lines["meetings.profile"].label == "Your meeting profile is 50% complete"
    assert lines["meetings.profile"].detail == "Add what you offer, your sectors."
    html = resp.content.decode()
    assert "1 meeting request awaits your answer" in html
    assert "when the meeting system opens" not in html


def test_the_people_to_meet_follow_requests_and_new_profiles_at_once(client, event):
    """The landing's suggestions come from the shared cache: a request sent, or a new
    exhibitor offering what the visitor seeks, shows on the next visit."""
    vis = f.visitor(event, seek="drones")
    sky = f.exhibitor(event, "Sky Co", offer="Surveillance drones")

    def line():
        lines = {t.key: t for t in _todos(client, event, vis.user).context["visitor_todos"]}
        return lines["meetings.suggestions"].label if "meetings.suggestions" in lines else None

    assert line() == "1 person you should meet"
    assert line() == "1 person you should meet"  # the second visit reads it from the cache
    f.exhibitor(event, "Hover Ltd", offer="Drones for the police")
    assert line() == "2 people you should meet"
    services.request_meeting(actor=vis.user, sender=vis, recipient=sky)
    assert line() == "1 person you should meet"


def test_pending_visitor_gets_no_meeting_lines(client, event):
    tv = f.visitor(event, status=TradeVisitor.Status.PENDING)
    resp = _todos(client, event, tv.user)
    assert resp.context["visitor_todos"] == []
    assert "Your registration is being vetted" in resp.content.decode()


def test_exhibitor_sees_requests_invoice_and_hosted_visits(client, event):
    exh = f.exhibitor(event, "Alpha")
    org = exh.organisation
    vis = f.visitor(event)
    services.request_meeting(actor=vis.user, sender=vis, recipient=exh)
    stand = sell(make_stand(event, make_hall(event), "5A-01", 2, 2), org)
    start = f.at(event, 2, "11:00")
    PublishedVisit.objects.create(
        uid=uuid.uuid4(),
        delegation=make_official_delegation(event, "Police"),
        date=start.date(),
        stand=stand,
        start=start,
        end=start + timedelta(minutes=20),
    )
    Invoice.objects.create(
        event=event,
        organisation=org,
        sequence=1,
        number="INV-1",
        issued_on=start.date(),
        due_on=start.date(),
        currency="EUR",
        net=Decimal("1000"),
        vat_rate=Decimal("20"),
        vat=Decimal("200"),
        gross=Decimal("1200"),
        amount_paid=Decimal("200"),
    )

    resp = _todos(client, event, f.actor_of(exh))

    (membership,) = resp.context["memberships"]
    lines = {t.key: t for t in membership.todos}
    assert lines["meetings.to_answer"].label == "1 meeting request awaits your answer"
    assert lines["booking.invoices"].label == "1 invoice to pay"
    assert lines["booking.invoices"].detail == "1,000.00 EUR due"
    assert lines["meetings.visits"].label == "1 delegation visit at your stand"
    assert lines["meetings.visits"].detail.startswith("Next: Wed 19 Nov 11:00, ")
    assert lines["exhibitors.application"].label == "Apply to exhibit"
    assert [t.state for t in membership.todos] == sorted(
        (t.state for t in membership.todos), key=["todo", "wait", "info", "done"].index
    )
    resp = client.get(reverse("events:home", kwargs={"event_slug": event.slug}), HTTP_ACCEPT_LANGUAGE="fr")
    (membership,) = resp.context["memberships"]
    lines = {t.key: t for t in membership.todos}
    assert lines["meetings.visits"].detail.startswith("Prochaine\u00a0: mer 19 nov. 11:00")  # not "19 Nov"


def test_head_of_delegation_reads_the_interests_counted_in_words(client, event):
    delegation = make_official_delegation(event, "Police")
    head = make_member(delegation.organisation, Membership.Role.LEAD)
    Interest.objects.create(delegation=delegation, sector=make_sector(event))
    for name in ("Acme", "Bolt"):
        Interest.objects.create(delegation=delegation, exhibitor=make_company(event, name))

    html = _todos(client, event, head).content.decode()

    assert "Your interests: 1 sector, 2 named exhibitors" in " ".join(html.split())
