from __future__ import annotations

import uuid
from datetime import time, timedelta

import pytest
from django.utils import timezone

from exhibition.accounts.models import TradeVisitor
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.delegations import services as delegation_services
from exhibition.delegations.models import Delegation, PublishedVisit
from exhibition.floorplans.models import Stand
from exhibition.meetings import selectors, services
from exhibition.meetings.models import AgendaItem, Booking, Meeting, MeetingRequest, Place, Round
from exhibition.meetings.services import run_scheduler
from tests.factories import make_hall, make_organiser
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _request(sender, recipient, **kw):
    return services.request_meeting(actor=f.actor_of(sender), sender=sender, recipient=recipient, **kw)


def test_request_then_accept_creates_meeting_and_bookings(
    event, django_capture_on_commit_callbacks, mailoutbox
):
    exh, vis = f.exhibitor(event), f.visitor(event, email="v@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        req = _request(vis, exh, message="Drones?")
    assert req.status == MeetingRequest.Status.REQUESTED
    assert [m.to for m in mailoutbox] == [[f.actor_of(exh).email]]
    start = f.at(event, 1, "10:00")
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_request(actor=f.actor_of(exh), request=req, start=start)
    req.refresh_from_db()
    meeting = req.meeting
    assert req.status == MeetingRequest.Status.ACCEPTED
    assert (meeting.start, meeting.end) == (start, start + timedelta(minutes=30))
    assert meeting.host == exh.hosts.get()
    assert sorted(Booking.objects.filter(meeting=meeting).values_list("resource", flat=True)) == sorted(
        [f"p:{vis.pk}", f"u:{exh.hosts.get().user_id}"]
    )
    assert mailoutbox[-1].to == ["v@example.test"]


def test_pending_visitor_cannot_request(event):
    exh, vis = f.exhibitor(event), f.visitor(event, status=TradeVisitor.Status.PENDING)
    with pytest.raises(NotAllowed):
        _request(vis, exh)
    assert MeetingRequest.objects.count() == 0


def test_request_to_opted_out_refused(event):
    exh, vis = f.exhibitor(event, opted_in=False), f.visitor(event)
    with pytest.raises(DomainError):
        _request(vis, exh)


def test_request_cap_and_duplicate(event):
    vis = f.visitor(event, max_requests=1)
    a, b = f.exhibitor(event), f.exhibitor(event)
    _request(vis, a)
    with pytest.raises(DomainError) as exc:
        _request(vis, a)
    assert (exc.value.status_code, exc.value.code, exc.value.field) == (400, "duplicate", "recipient")
    with pytest.raises(DomainError) as exc:
        _request(vis, b)
    assert exc.value.code == "cap"
    assert MeetingRequest.objects.count() == 1


def test_second_request_refused_while_first_accepted(event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    req = _request(vis, exh)
    services.accept_request(actor=f.actor_of(exh), request=req, start=f.at(event, 1, "10:00"))
    with pytest.raises(DomainError) as exc:
        _request(vis, exh)
    assert exc.value.message == f"You already have a meeting with {exh.name}: see your agenda."
    assert exc.value.field == "recipient"
    assert MeetingRequest.objects.count() == 1


def test_request_back_refused_while_the_other_asked(event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    _request(vis, exh)
    with pytest.raises(DomainError) as exc:
        _request(exh, vis)
    assert exc.value.message == f"{vis.name} already asked you for a meeting: answer their request."
    assert MeetingRequest.objects.count() == 1


def test_new_request_allowed_once_the_meeting_is_cancelled_or_declined(event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    req = _request(vis, exh)
    services.accept_request(actor=f.actor_of(exh), request=req, start=f.at(event, 1, "10:00"))
    req.refresh_from_db()
    services.cancel_meeting(actor=vis.user, meeting=req.meeting)
    second = _request(vis, exh)
    services.decline_request(actor=f.actor_of(exh), request=second)
    third = _request(vis, exh)
    assert third.status == MeetingRequest.Status.REQUESTED
    assert MeetingRequest.objects.count() == 3


def test_meeting_cap(event):
    vis = f.visitor(event, max_meetings=1)
    a, b = f.exhibitor(event, instant=True), f.exhibitor(event, instant=True)
    services.book_instantly(actor=vis.user, sender=vis, recipient=a, start=f.at(event, 1, "10:00"))
    with pytest.raises(DomainError) as exc:
        services.book_instantly(actor=vis.user, sender=vis, recipient=b, start=f.at(event, 1, "11:00"))
    assert exc.value.code == "cap"
    assert Meeting.objects.count() == 1


def test_instant_booking_requires_host_permission(event):
    exh, vis = f.exhibitor(event, instant=False), f.visitor(event)
    with pytest.raises(NotAllowed):
        services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    assert Meeting.objects.count() == 0


def test_slot_must_be_on_grid_and_inside_hours(event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    for bad in (f.at(event, 1, "10:10"), f.at(event, 1, "08:00"), f.at(event, 4, "17:00")):
        with pytest.raises(DomainError):
            services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=bad)
    assert Meeting.objects.count() == 0


def test_double_booking_of_person_refused(event):
    vis = f.visitor(event)
    a, b = f.exhibitor(event, instant=True), f.exhibitor(event, instant=True)
    services.book_instantly(actor=vis.user, sender=vis, recipient=a, start=f.at(event, 1, "10:00"))
    with pytest.raises(ConflictError) as exc:
        services.book_instantly(actor=vis.user, sender=vis, recipient=b, start=f.at(event, 1, "10:00"))
    assert exc.value.message == "Someone else booked this time a moment ago."
    assert Meeting.objects.count() == 1


def test_exhibitor_with_two_hosts_meets_two_at_once_but_not_three(event):
    exh = f.exhibitor(event, hosts=2, instant=True)
    v1, v2, v3 = f.visitor(event), f.visitor(event), f.visitor(event)
    start = f.at(event, 2, "14:00")
    m1 = services.book_instantly(actor=v1.user, sender=v1, recipient=exh, start=start)
    m2 = services.book_instantly(actor=v2.user, sender=v2, recipient=exh, start=start)
    assert {m1.host_id, m2.host_id} == set(exh.hosts.values_list("id", flat=True))
    with pytest.raises(ConflictError):
        services.book_instantly(actor=v3.user, sender=v3, recipient=exh, start=start)
    with pytest.raises(ConflictError):  # the same staff member explicitly
        services.book_instantly(actor=v3.user, sender=v3, recipient=exh, start=start, host=m1.host)
    assert Meeting.objects.count() == 2


def test_double_booking_of_table_refused(event):
    table = f.table(event)
    v1, v2 = f.visitor(event), f.visitor(event)
    d1, d2 = f.delegation(event, instant_booking=True), f.delegation(event, instant_booking=True)
    start = f.at(event, 1, "10:00")
    services.book_instantly(actor=v1.user, sender=v1, recipient=d1, start=start, place=table)
    with pytest.raises(ConflictError):
        services.book_instantly(actor=v2.user, sender=v2, recipient=d2, start=start, place=table)
    services.book_instantly(
        actor=v2.user, sender=v2, recipient=d2, start=start + timedelta(minutes=30), place=table
    )
    assert Meeting.objects.count() == 2


def test_delegation_visit_block_refuses_meeting_and_vice_versa(event):
    dele = f.delegation(event, instant_booking=True)
    vis = f.visitor(event)
    start = f.at(event, 1, "10:00")
    item = services.block_time(
        event=event,
        participant=dele,
        start=start - timedelta(minutes=15),
        end=start + timedelta(minutes=15),
        title="Visit of Aegis stand",
        kind=AgendaItem.Kind.DELEGATION_VISIT,
        source="delegations.visit:1",
    )
    with pytest.raises(ConflictError):
        services.book_instantly(actor=vis.user, sender=vis, recipient=dele, start=start)
    m = services.book_instantly(
        actor=vis.user, sender=vis, recipient=dele, start=start + timedelta(minutes=30)
    )
    with pytest.raises(ConflictError):
        services.block_time(event=event, participant=dele, start=m.start, end=m.end, title="Another visit")
    services.unblock_time(item=item)
    services.book_instantly(
        actor=vis.user, sender=vis, recipient=f.delegation(event, instant_booking=True), start=start
    )
    assert Meeting.objects.count() == 2


def test_staff_member_block_refuses_meeting_with_that_host(event):
    exh = f.exhibitor(event, instant=True)
    vis = f.visitor(event)
    start = f.at(event, 1, "11:00")
    services.block_time(
        event=event,
        host=exh.hosts.get(),
        start=start,
        end=start + timedelta(hours=1),
        title="Delegation at our stand",
        kind=AgendaItem.Kind.DELEGATION_VISIT,
    )
    with pytest.raises(ConflictError) as exc:
        services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=start)
    assert exc.value.code == "no_host"


def test_propose_other_time_then_sender_accepts(event, django_capture_on_commit_callbacks, mailoutbox):
    exh, vis = f.exhibitor(event), f.visitor(event, email="v2@example.test")
    req = _request(vis, exh)
    new = f.at(event, 3, "15:30")
    with django_capture_on_commit_callbacks(execute=True):
        services.propose_other_time(actor=f.actor_of(exh), request=req, start=new, message="Thursday?")
    assert mailoutbox[-1].to == ["v2@example.test"]
    with pytest.raises(NotAllowed):  # now it is the sender's turn
        services.accept_request(actor=f.actor_of(exh), request=req)
    services.accept_request(actor=vis.user, request=req)
    req.refresh_from_db()
    assert (req.status, req.meeting.start) == (MeetingRequest.Status.ACCEPTED, new)


def test_decline_and_answer_twice(event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    req = _request(vis, exh)
    with pytest.raises(NotAllowed):
        services.decline_request(actor=vis.user, request=req)
    services.decline_request(actor=f.actor_of(exh), request=req, reason="Not our field")
    with pytest.raises(ConflictError):
        services.accept_request(actor=f.actor_of(exh), request=req, start=f.at(event, 1, "10:00"))
    assert Meeting.objects.count() == 0


def test_cancel_and_reschedule_notify_other_side(event, django_capture_on_commit_callbacks, mailoutbox):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event, email="v3@example.test")
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        m = services.reschedule_meeting(actor=f.actor_of(exh), meeting=m, start=f.at(event, 1, "12:00"))
    assert (m.start, m.sequence) == (f.at(event, 1, "12:00"), 1)
    assert [x.to for x in mailoutbox] == [["v3@example.test"]]
    assert set(Booking.objects.filter(meeting=m).values_list("start", flat=True)) == {m.start}
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(actor=vis.user, meeting=m, reason="Flight")
    m.refresh_from_db()
    assert (m.status, m.sequence, Booking.objects.count()) == (Meeting.Status.CANCELLED, 2, 0)
    assert mailoutbox[-1].to == [f.actor_of(exh).email]


def test_stranger_cannot_cancel(event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    with pytest.raises(NotAllowed):
        services.cancel_meeting(actor=f.visitor(event).user, meeting=m)
    m.refresh_from_db()
    assert m.status == Meeting.Status.SCHEDULED


def test_expire_requests_reminds_then_expires(event, django_capture_on_commit_callbacks, mailoutbox):
    exh, vis = f.exhibitor(event), f.visitor(event, email="v4@example.test")
    req = _request(vis, exh)
    now = timezone.now()
    assert services.expire_requests(now=now) == {"reminded": 0, "expired": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_requests(now=req.expires_at - timedelta(hours=1)) == {
            "reminded": 1,
            "expired": 0,
        }
        assert services.expire_requests(now=req.expires_at - timedelta(minutes=30)) == {
            "reminded": 0,
            "expired": 0,
        }
        assert services.expire_requests(now=req.expires_at) == {"reminded": 0, "expired": 1}
    req.refresh_from_db()
    assert req.status == MeetingRequest.Status.EXPIRED
    assert [m.to for m in mailoutbox] == [[f.actor_of(exh).email], ["v4@example.test"]]


def test_outcome_and_rating(event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    Meeting.objects.filter(pk=m.pk).update(
        start=timezone.now() - timedelta(hours=1), end=timezone.now() - timedelta(minutes=30)
    )
    services.record_outcome(actor=vis.user, meeting=m, held=True, rating=4, comment="Useful")
    m.refresh_from_db()
    assert (m.status, m.sender_rating, m.sender_comment, m.recipient_rating) == (
        Meeting.Status.HELD,
        4,
        "Useful",
        None,
    )


def test_round_accept_without_slot_then_export_schedule_publish(event):
    org = make_organiser(event)
    rnd = services.create_round(event=event, actor=org, name="Pre-show", time_limit=2)
    exh = f.exhibitor(event, hosts=1)
    visitors = [f.visitor(event) for _ in range(3)]
    for v in visitors:
        req = _request(v, exh, priority=2)
        assert req.round == rnd
        services.accept_request(actor=f.actor_of(exh), request=req)
    problem, _mapping = services.build_problem(event, rnd)
    assert problem["format"] == "exhibition.meetings/v1"
    assert len(problem["meetings"]) == 3
    assert len(problem["slots"]) == 4 * 17 - 2  # 09:30-18:00 x3, 09:30-17:00
    services.start_scheduling(rnd=rnd, actor=org)  # eager Celery: runs now (on commit, in tests immediately?)

    rnd.refresh_from_db()
    if rnd.status == Round.Status.SCHEDULING:
        run_scheduler(rnd=rnd)
        rnd.refresh_from_db()
    assert rnd.status == Round.Status.DRAFT
    assert rnd.draft_stats["scheduled"] == 3
    result = services.publish_round(rnd=rnd, actor=org)
    assert result == {"created": 3, "skipped": 0}
    starts = sorted(Meeting.objects.filter(round=rnd).values_list("start", flat=True))
    assert len(set(starts)) == 3  # one host: three different slots


def test_sync_delegation_visits_blocks_meetings_idempotently(event):
    dele = f.delegation(event, instant_booking=True)
    d = Delegation.objects.create(organisation=dele.organisation, official_name=dele.name)
    stand = Stand.objects.create(
        event=event, hall=make_hall(event), number="5A-01", x=1, y=1, width=3, depth=3, area=9
    )
    start = f.at(event, 1, "10:00")
    visit = PublishedVisit.objects.create(
        uid=uuid.uuid4(),
        delegation=d,
        date=start.date(),
        stand=stand,
        start=start,
        end=start + timedelta(minutes=20),
    )
    assert services.sync_delegation_visits(event=event, delegation_organisation=dele.organisation) == {
        "added": 1,
        "removed": 0,
        "conflicts": [],
    }
    assert (
        services.sync_delegation_visits(event=event, delegation_organisation=dele.organisation)["added"] == 0
    )
    vis = f.visitor(event)
    with pytest.raises(ConflictError):
        services.book_instantly(actor=vis.user, sender=vis, recipient=dele, start=start)
    visit.delete()
    assert (
        services.sync_delegation_visits(event=event, delegation_organisation=dele.organisation)["removed"]
        == 1
    )
    services.book_instantly(actor=vis.user, sender=vis, recipient=dele, start=start)
    assert AgendaItem.objects.count() == 0


def test_exhibitor_meets_at_its_stand_by_default(event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    stand = Stand.objects.create(
        event=event, hall=make_hall(event), number="5A-02", x=1, y=1, width=3, depth=3, area=9
    )
    exh.stand = stand
    exh.save()
    place = Place.objects.create(
        event=event, kind=Place.Kind.STAND, name="Stand 5A-02", stand=stand, walking_id="5A-02"
    )
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    assert m.place == place
    assert sorted(Booking.objects.filter(meeting=m).values_list("resource", flat=True)) == sorted(
        [f"p:{vis.pk}", f"u:{exh.hosts.get().user_id}"]
    )  # a stand is not a one-meeting resource


def test_booking_refused_when_the_table_was_deleted_while_it_waited(event):
    # The booking read the table; by the time it holds the lock the organiser has deleted
    # it (delete_place takes the same lock): a clear refusal, not a foreign-key error.
    exh = f.exhibitor(event, instant=True)
    vis = f.visitor(event)
    table = f.table(event)
    Place.objects.filter(pk=table.pk).delete()

    with pytest.raises(ConflictError, match="no longer exists"):
        services.book_instantly(
            actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"), place=table
        )
    assert Meeting.objects.count() == 0


def test_booking_refused_when_the_host_was_removed_while_it_waited(event):
    # The booking read the host as active; by the time it holds the lock the host has
    # been taken off the meeting team (remove_host takes the same lock).
    exh = f.exhibitor(event, hosts=2, instant=True)
    vis = f.visitor(event)
    stale = exh.hosts.order_by("id").first()
    type(stale).objects.filter(pk=stale.pk).update(is_active=False)

    with pytest.raises(ConflictError, match="no longer takes meetings"):
        services.book_instantly(
            actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"), host=stale
        )
    assert Meeting.objects.count() == 0


def test_exhibitor_books_another_exhibitor_with_a_chosen_colleague(event):
    buyer, seller = f.exhibitor(event, "Buyer", hosts=2), f.exhibitor(event, "Seller", instant=True)
    second = buyer.hosts.order_by("id").last()
    start = f.at(event, 1, "10:00")

    m = services.book_instantly(
        actor=f.actor_of(buyer), sender=buyer, recipient=seller, start=start, sender_host=second
    )

    assert (m.sender_host, m.host) == (second, seller.hosts.get())
    assert sorted(Booking.objects.filter(meeting=m).values_list("resource", flat=True)) == sorted(
        [second.resource_key, seller.hosts.get().resource_key]
    )
    assert m.host_for(buyer.pk) == second and m.host_for(seller.pk) == seller.hosts.get()
    other = f.exhibitor(event, "Other")
    with pytest.raises(DomainError) as exc:
        services.book_instantly(
            actor=f.actor_of(buyer),
            sender=buyer,
            recipient=seller,
            start=f.at(event, 1, "11:00"),
            sender_host=other.hosts.get(),
        )
    assert (exc.value.field, exc.value.message) == (
        "sender_host",
        "This person does not take meetings for your company.",
    )
    assert Meeting.objects.count() == 1


def test_exhibitor_booking_another_exhibitor_gets_its_first_free_colleague(event):
    buyer, seller = f.exhibitor(event, "Buyer", hosts=2), f.exhibitor(event, "Seller", instant=True)
    first, second = buyer.hosts.order_by("id")
    start = f.at(event, 1, "10:00")
    services.book_instantly(
        actor=f.actor_of(buyer),
        sender=buyer,
        recipient=f.exhibitor(event, instant=True),
        start=start,
        sender_host=first,
    )

    m = services.book_instantly(actor=f.actor_of(buyer), sender=buyer, recipient=seller, start=start)

    assert m.sender_host == second


@pytest.mark.parametrize(
    ("start", "end", "field"), [("07:00", "08:00", "starts_at"), ("17:00", "18:30", "ends_at")]
)
def test_availability_outside_the_days_opening_hours_is_refused(event, start, end, field):
    vis = f.visitor(event)
    day = event.days.order_by("date").first().date
    window = (day, *(time.fromisoformat(t) for t in (start, end)))

    with pytest.raises(DomainError) as refused:
        services.set_availability(participant=vis, actor=vis.user, windows=[window])

    assert (refused.value.message, refused.value.field) == (
        "The show is open from 09:30 to 18:00 that day.",
        field,
    )
    assert not vis.availability.exists()


def test_a_delegations_published_lunch_break_is_busy_time(event, organiser, lunching_delegation):
    show, dele, exh = lunching_delegation
    lunch = AgendaItem.objects.get(participant=dele, source__startswith="delegations.lunch:")
    assert (lunch.start, lunch.end, lunch.title, lunch.place_label) == (
        f.at(event, 1, "13:05"),
        f.at(event, 1, "13:50"),
        "Lunch break",
        "VIP lounge",
    )
    day1 = [s for s, _e in selectors.free_slots(event, dele, exh) if s.date() == lunch.start.date()]
    assert f.at(event, 1, "12:30") in day1 and f.at(event, 1, "14:00") in day1
    assert f.at(event, 1, "13:00") not in day1 and f.at(event, 1, "13:30") not in day1
    req = services.request_meeting(actor=show.head, sender=dele, recipient=exh)
    with pytest.raises(ConflictError) as exc:
        services.accept_request(actor=f.actor_of(exh), request=req, start=f.at(event, 1, "13:00"))
    assert (exc.value.message, exc.value.field) == (
        "Brazil – National Police has a lunch break at that time: choose another time.",
        "start",
    )
    req.refresh_from_db()
    assert (req.status, Meeting.objects.count()) == (MeetingRequest.Status.REQUESTED, 0)
    services.accept_request(actor=f.actor_of(exh), request=req, start=f.at(event, 1, "14:00"))
    assert Meeting.objects.get().start == f.at(event, 1, "14:00")


def test_the_round_scheduler_keeps_off_a_delegations_lunch_break(event, organiser, lunching_delegation):
    show, dele, exh = lunching_delegation
    rnd = services.create_round(event=event, actor=organiser, name="Round 1")
    req = services.request_meeting(actor=show.head, sender=dele, recipient=exh)
    assert req.round == rnd
    services.accept_request(actor=f.actor_of(exh), request=req)
    problem, _mapping = services.build_problem(event, rnd)
    me = next(p for p in problem["participants"] if p["id"] == f"P-{dele.pk}")
    assert {"20251118-1300", "20251118-1330"} <= set(me["unavailable"])
    assert "20251118-1400" not in me["unavailable"]


def test_a_moved_lunch_break_moves_its_busy_time_at_the_next_sync(event, organiser, lunching_delegation):
    show, dele, _exh = lunching_delegation
    day = show.delegation.days.get()
    day.lunch_start, day.lunch_end = time(12, 0), time(12, 45)
    day.save()
    out = services.sync_delegation_visits(event=event, delegation_organisation=show.delegation.organisation)
    assert (out["added"], out["removed"]) == (1, 1)
    assert list(
        Booking.objects.filter(
            resource=dele.resource_key, agenda_item__source__startswith="delegations.lunch:"
        ).values_list("start", "end")
    ) == [(f.at(event, 1, "12:00"), f.at(event, 1, "12:45"))]


def test_publishing_a_programme_whose_visits_stand_but_whose_lunch_moved_moves_its_busy_time(
    event, organiser, lunching_delegation
):
    show, dele, _exh = lunching_delegation
    day = show.delegation.days.get()
    day.lunch_start, day.lunch_end = time(12, 0), time(12, 45)
    day.save()
    out = delegation_services.publish_programme(delegation=show.delegation, actor=organiser)
    assert (out["added"], out["moved"], out["removed"]) == (0, 0, 0)  # no visit changed
    lunch = AgendaItem.objects.get(participant=dele, source__startswith="delegations.lunch:")
    assert (lunch.start, lunch.end) == (f.at(event, 1, "12:00"), f.at(event, 1, "12:45"))
