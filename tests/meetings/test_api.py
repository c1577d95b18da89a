from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from exhibition.accounts.models import TradeVisitor
from exhibition.floorplans.models import Stand
from exhibition.meetings import services
from exhibition.meetings.models import Booking, Meeting, MeetingRequest, Place
from tests.factories import make_hall, make_organiser
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def _u(event, path):
    return f"/api/v1/events/{event.slug}/meetings/{path}"


def test_book_conflict_is_409_with_clear_body(event):
    exh = f.exhibitor(event, instant=True)
    v1, v2 = f.visitor(event), f.visitor(event)
    start = f.at(event, 1, "10:00").isoformat()
    r1 = _api(v1.user).post(_u(event, "book/"), {"recipient": exh.pk, "start": start}, format="json")
    assert r1.status_code == 201
    assert r1.json()["host"] == exh.hosts.get().pk
    r2 = _api(v2.user).post(
        _u(event, "book/"), {"recipient": exh.pk, "start": start, "host": exh.hosts.get().pk}, format="json"
    )
    assert r2.status_code == 409
    assert r2.json() == {"detail": "Someone else booked this time a moment ago.", "code": "conflict"}
    assert Meeting.objects.count() == 1


def test_request_and_transitions(event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    r = _api(vis.user).post(
        _u(event, "requests/"), {"recipient": exh.pk, "message": "Hi", "priority": 4}, format="json"
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    assert _api(vis.user).post(_u(event, f"requests/{pk}/accept/"), {}, format="json").status_code == 403
    start = f.at(event, 1, "14:00").isoformat()
    r = _api(f.actor_of(exh)).post(_u(event, f"requests/{pk}/propose/"), {"start": start}, format="json")
    assert (r.status_code, r.json()["status"]) == (200, "proposed")
    r = _api(vis.user).post(_u(event, f"requests/{pk}/accept/"), {}, format="json")
    assert (r.status_code, r.json()["status"]) == (200, "accepted")
    mid = r.json()["meeting"]
    r = _api(vis.user).get(_u(event, f"meetings/{mid}/"))
    assert (r.json()["start"], r.json()["status"]) == ("2025-11-18T14:00:00+01:00", "scheduled")


def test_priority_is_the_senders_to_read_not_the_recipients(event):
    """The sender ranks its wishes; the person asked sees the request, not how keen the sender is."""
    exh, vis = f.exhibitor(event), f.visitor(event)
    r = _api(vis.user).post(_u(event, "requests/"), {"recipient": exh.pk, "priority": 5}, format="json")
    assert (r.status_code, r.json()["priority"]) == (201, 5)
    pk = r.json()["id"]
    assert [x["priority"] for x in _api(vis.user).get(_u(event, "requests/?box=sent")).json()["results"]] == [
        5
    ]
    host = _api(f.actor_of(exh))
    received = host.get(_u(event, "requests/")).json()["results"]
    assert [(x["id"], x["priority"]) for x in received] == [(pk, None)]
    r = host.post(_u(event, f"requests/{pk}/decline/"), {"message": "Fully booked"}, format="json")
    assert (r.status_code, r.json()["status"], r.json()["priority"]) == (200, "declined", None)
    assert MeetingRequest.objects.get(pk=pk).priority == 5  # hidden from them, kept for the planner


def test_pending_visitor_refused_everywhere(event):
    exh = f.exhibitor(event, instant=True)
    tv = f.visitor(event, status=TradeVisitor.Status.PENDING)
    c = _api(tv.user)
    assert c.get(_u(event, "participants/")).status_code == 403
    assert c.post(_u(event, "requests/"), {"recipient": exh.pk}, format="json").status_code == 403
    assert MeetingRequest.objects.count() == 0


def test_other_event_participant_not_found(event, other_event):
    vis = f.visitor(event)
    foreign = f.exhibitor(other_event)
    r = _api(vis.user).post(_u(event, "requests/"), {"recipient": foreign.pk}, format="json")
    assert r.status_code == 404


def test_stranger_gets_404_on_meeting(event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    other = f.visitor(event)
    assert _api(other.user).get(_u(event, f"meetings/{m.pk}/")).status_code == 404
    assert _api(other.user).post(_u(event, f"meetings/{m.pk}/cancel/"), {}, format="json").status_code == 404
    m.refresh_from_db()
    assert m.status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize("n", [1, 3])
def test_meeting_list_query_count(event, django_assert_num_queries, n):
    vis = f.visitor(event, max_meetings=10)
    for i in range(n):
        exh = f.exhibitor(event, instant=True)
        services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, f"1{i}:00"))
    c = _api(vis.user)
    with django_assert_num_queries(4):
        r = c.get(_u(event, "meetings/"))
    assert r.json()["count"] == n


@pytest.mark.parametrize("n", [1, 3])
def test_request_list_query_count(event, django_assert_num_queries, n):
    exh = f.exhibitor(event)
    for _ in range(n):
        v = f.visitor(event)
        services.request_meeting(actor=v.user, sender=v, recipient=exh)
    c = _api(f.actor_of(exh))
    with django_assert_num_queries(7):
        r = c.get(_u(event, "requests/"))
    assert r.json()["count"] == n


def test_rounds_and_tables_organiser_only(event):
    org = make_organiser(event)
    vis = f.visitor(event)
    assert _api(vis.user).post(_u(event, "rounds/"), {"name": "R"}, format="json").status_code == 403
    assert (
        _api(vis.user).post(_u(event, "tables/"), {"name": "T1", "kind": "table"}, format="json").status_code
        == 403
    )
    r = _api(org).post(_u(event, "rounds/"), {"name": "R", "time_limit": 2}, format="json")
    assert (r.status_code, r.json()["status"]) == (201, "open")
    r = _api(org).post(_u(event, "tables/"), {"name": "T1", "kind": "table", "capacity": 4}, format="json")
    assert r.status_code == 201
    assert _api(org).get(_u(event, "statistics/")).json()["totals"]["scheduled"] == 0


def test_summary_has_meetings(event):
    org = make_organiser(event)
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    body = _api(org).get(f"/api/v1/events/{event.slug}/summary/").json()
    assert body["meetings"]["by_status"]["scheduled"] == 1


def test_duplicate_request_is_400_on_the_recipient_field(event):
    exh, vis = f.exhibitor(event, "Drone Guard"), f.visitor(event)
    c = _api(vis.user)
    assert c.post(_u(event, "requests/"), {"recipient": exh.pk}, format="json").status_code == 201
    r = c.post(_u(event, "requests/"), {"recipient": exh.pk}, format="json")
    assert r.status_code == 400
    assert r.json() == {"recipient": ["You already asked Drone Guard for a meeting: see your sent requests."]}
    assert MeetingRequest.objects.count() == 1


def test_exhibitor_books_another_exhibitor_naming_its_colleague(event):
    buyer, seller = f.exhibitor(event, "Buyer", hosts=2), f.exhibitor(event, "Seller", instant=True)
    colleague = buyer.hosts.order_by("id").last()
    r = _api(f.actor_of(buyer)).post(
        _u(event, "book/"),
        {"recipient": seller.pk, "start": f.at(event, 1, "10:00").isoformat(), "sender_host": colleague.pk},
        format="json",
    )
    assert r.status_code == 201
    body = r.json()
    assert (body["sender_host"], body["sender_host_name"], body["host"]) == (
        colleague.pk,
        colleague.user.full_name,
        seller.hosts.get().pk,
    )
    stranger = f.exhibitor(event).hosts.get()
    r = _api(f.actor_of(buyer)).post(
        _u(event, "book/"),
        {"recipient": seller.pk, "start": f.at(event, 1, "11:00").isoformat(), "sender_host": stranger.pk},
        format="json",
    )
    assert r.status_code == 404
    assert Meeting.objects.count() == 1


def _stand_of(exh, number, hall):
    """The exhibitor's stand and the meeting place there (as ``ensure_participant`` makes them)."""
    stand = Stand.objects.create(
        event=exh.event,
        hall=hall,
        number=number,
        x=1,
        y=1,
        width=3,
        depth=3,
        area=9,
        exhibitor=exh.organisation,
    )
    exh.stand = stand
    exh.save(update_fields=["stand"])
    return Place.objects.create(
        event=exh.event, kind=Place.Kind.STAND, name=f"Stand {number}", stand=stand, walking_id=number
    )


def test_a_meeting_cannot_be_put_on_another_companys_stand(event):
    hall = make_hall(event)
    exh, vis = f.exhibitor(event, "Aegis", instant=True), f.visitor(event)
    own = _stand_of(exh, "3-A001", hall)
    foreign = _stand_of(f.exhibitor(event, "Stranger Ltd"), "3-A100", hall)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    req = services.request_meeting(actor=vis.user, sender=vis, recipient=f.exhibitor(event, "Other"))
    refused = {
        "place": [
            "A meeting takes place at the stand of one of its two participants, or at a meeting table or room."
        ]
    }
    new = f.at(event, 1, "11:00").isoformat()

    r = _api(f.actor_of(exh)).post(
        _u(event, f"meetings/{m.pk}/reschedule/"), {"start": new, "place": foreign.pk}, format="json"
    )
    assert (r.status_code, r.json()) == (400, refused)
    m.refresh_from_db()
    assert (m.start, m.place, m.sequence) == (f.at(event, 1, "10:00"), own, 0)
    r = _api(vis.user).post(
        _u(event, "book/"), {"recipient": exh.pk, "start": new, "place": foreign.pk}, format="json"
    )
    assert (r.status_code, r.json()) == (400, refused)
    r = _api(f.actor_of(req.recipient)).post(
        _u(event, f"requests/{req.pk}/accept/"), {"start": new, "place": foreign.pk}, format="json"
    )
    assert (r.status_code, r.json()) == (400, refused)
    req.refresh_from_db()
    assert (req.status, Meeting.objects.count()) == (MeetingRequest.Status.REQUESTED, 1)
    assert not Booking.objects.filter(resource=foreign.resource_key).exists()


def test_a_meeting_may_move_to_either_sides_stand_or_a_table(event):
    hall = make_hall(event)
    buyer, seller = f.exhibitor(event, "Buyer"), f.exhibitor(event, "Seller", instant=True)
    buyers_stand, sellers_stand = _stand_of(buyer, "3-A001", hall), _stand_of(seller, "3-A002", hall)
    table = f.table(event, "Business centre 01")
    m = services.book_instantly(
        actor=f.actor_of(buyer), sender=buyer, recipient=seller, start=f.at(event, 1, "10:00")
    )
    assert m.place == sellers_stand
    c = _api(f.actor_of(buyer))
    for hhmm, place in (("11:00", buyers_stand), ("12:00", table), ("14:00", sellers_stand)):
        r = c.post(
            _u(event, f"meetings/{m.pk}/reschedule/"),
            {"start": f.at(event, 1, hhmm).isoformat(), "place": place.pk},
            format="json",
        )
        assert (r.status_code, r.json()["place_name"]) == (200, place.name)


@pytest.mark.parametrize("bad", ["abc", "²", "9" * 30, "-1", ""])
def test_a_bad_as_is_refused_not_a_server_error(event, bad):
    vis = f.visitor(event)
    c = _api(vis.user)
    expected = 200 if bad == "" else 403
    assert c.get(_u(event, f"profile/?as={bad}")).status_code == expected
    assert (
        c.patch(_u(event, f"profile/?as={bad}"), {"headline": "Hacked"}, format="json").status_code
        == expected
    )
    vis.refresh_from_db()
    assert vis.headline == ("Hacked" if bad == "" else "")
