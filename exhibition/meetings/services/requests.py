"""Requests and meetings: request, accept, decline, propose, instant booking, cancel,
reschedule, expiry and reminders, outcome and rating, busy blocks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Membership, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed, require_perm
from exhibition.core.notifications import queue_email
from exhibition.core.webhooks import emit_webhook
from exhibition.delegations.models import DelegationDay, PublishedVisit
from exhibition.delegations.places import place_names

from ..models import (
    ADMITTED,
    AgendaItem,
    Booking,
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    Participant,
    Place,
    Round,
)
from ..slots import meeting_settings
from .booking import book, busy_keys, check_slot, lock_resources, lost_race_message, meeting_ids, side_key
from .participants import ensure_participant

# --- notifications -------------------------------------------------------------------------


def contact_emails(participant: Participant) -> list[str]:
    if participant.kind == Participant.Kind.VISITOR:
        return [participant.user.email] if participant.user is not None else []
    emails = list(participant.hosts.filter(is_active=True).values_list("user__email", flat=True))
    if not emails and participant.organisation_id is not None:
        emails = list(
            Membership.objects.filter(
                organisation_id=participant.organisation_id,
                role__in=[Membership.Role.ADMIN, Membership.Role.LEAD],
            ).values_list("user__email", flat=True)
        )
    return emails


def notify_participant(participant: Participant, template: str, **context: Any) -> None:
    for email in contact_emails(participant):
        queue_email(
            to=email,
            kind=f"meetings.{template}",
            template=f"meetings_{template}",
            context={"participant": participant, **context},
            event=participant.event,
        )


# --- checks --------------------------------------------------------------------------------


def may_book(participant: Participant) -> bool:
    """Only admitted participants meet (a security show admits vetted professionals only):
    approved visitors, admitted companies and delegations. Read fresh from the database."""
    return Participant.objects.filter(ADMITTED, pk=participant.pk).exists()


def _require_acting(actor: User, participant: Participant) -> None:
    require_perm(actor, "meetings.act_for", participant, _("You do not act for this participant."))


def _check_pair(sender: Participant, recipient: Participant) -> None:
    if sender.pk == recipient.pk:
        raise DomainError(_("You cannot meet yourself."))
    if sender.event_id != recipient.event_id:
        raise DomainError(_("This participant is not at this event."))
    if not may_book(sender):
        raise NotAllowed(
            _("Your registration must be approved before you can book meetings."), code="not_approved"
        )
    if not may_book(recipient):
        raise DomainError(_("This participant cannot take meetings."))
    if not recipient.opted_in:
        raise DomainError(_("This participant does not take meeting requests."))


def _open_round(event: Any) -> Round | None:
    return Round.objects.filter(event=event, status=Round.Status.OPEN).order_by("-created_at").first()


# --- requests ------------------------------------------------------------------------------


def request_meeting(
    *,
    actor: User,
    sender: Participant,
    recipient: Participant,
    message: str = "",
    preferred_times: str = "",
    priority: int = 1,
    in_round: bool = True,
) -> MeetingRequest:
    _require_acting(actor, sender)
    _check_pair(sender, recipient)
    if not 1 <= int(priority) <= 5:
        raise DomainError(_("Priority runs from 1 to 5."), field="priority")
    event = sender.event
    conf = meeting_settings(event)
    with transaction.atomic():
        # Both sides' rows, in key order: the cap on open requests and the one-request-per-pair
        # rule hold under concurrency (also when both ask each other at the same moment).
        lock_resources(event, [sender.resource_key, recipient.resource_key])
        _check_not_duplicate(sender, recipient)
        cap = sender.max_requests if sender.max_requests is not None else conf.default_max_requests
        if MeetingRequest.objects.filter(sender=sender, status__in=MeetingRequest.OPEN).count() >= cap:
            raise DomainError(
                _("You have reached the maximum of %(n)d open requests.") % {"n": cap}, code="cap"
            )
        req = MeetingRequest.objects.create(
            event=event,
            sender=sender,
            recipient=recipient,
            sent_by=actor,
            message=message.strip(),
            preferred_times=preferred_times.strip()[:200],
            priority=int(priority),
            round=_open_round(event) if in_round else None,
            expires_at=timezone.now() + timedelta(hours=conf.request_expiry_hours),
        )
        audit.record(actor=actor, action="meetings.requested", obj=req, event=event)
        emit_webhook(event=event, type="meeting.requested", ids=_request_ids(req))
        notify_participant(recipient, "request", request=req)
    return req


def pending_between(sender: Participant, recipient: Participant) -> MeetingRequest | None:
    """The request between the two that is still open or was accepted (and its meeting, if
    any, not cancelled): in either direction, latest first."""
    live = Q(status__in=MeetingRequest.OPEN) | (
        Q(status=MeetingRequest.Status.ACCEPTED)
        & (Q(meeting__isnull=True) | ~Q(meeting__status=Meeting.Status.CANCELLED))
    )
    pair = Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender)
    return MeetingRequest.objects.filter(pair).filter(live).order_by("-created_at", "-id").first()


def _check_not_duplicate(sender: Participant, recipient: Participant) -> None:
    """One request per pair while it is open or accepted: a second one is refused with what to do instead."""
    found = pending_between(sender, recipient)
    if found is None:
        return
    name = recipient.name
    if found.status == MeetingRequest.Status.ACCEPTED:
        message = _("You already have a meeting with %(name)s: see your agenda.") % {"name": name}
    elif found.sender_id == sender.pk:
        message = _("You already asked %(name)s for a meeting: see your sent requests.") % {"name": name}
    else:
        message = _("%(name)s already asked you for a meeting: answer their request.") % {"name": name}
    raise DomainError(message, field="recipient", code="duplicate")


def _request_ids(req: MeetingRequest) -> dict[str, int | str]:
    return {"request": req.pk, "sender": req.sender_id, "recipient": req.recipient_id}


def _lock_request(req: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("sender", "recipient", "event")
        .get(pk=req.pk)
    )


def _responder(req: MeetingRequest) -> Participant:
    """Who answers now: the recipient, or the sender when the recipient proposed another time."""
    if req.status == MeetingRequest.Status.PROPOSED and req.proposed_by_id == req.recipient_id:
        return req.sender
    return req.recipient


def accept_request(
    *,
    actor: User,
    request: MeetingRequest,
    start: datetime | None = None,
    host: ExhibitorHost | None = None,
    place: Place | None = None,
) -> MeetingRequest:
    """Accept: with a slot (and place) it becomes a meeting now; without one, a request of an
    open round is accepted for the batch scheduler."""
    with transaction.atomic():
        req = _lock_request(request)
        if not req.is_open:
            raise ConflictError(_("This request was already answered."), code="state")
        responder = _responder(req)
        _require_acting(actor, responder)
        if not may_book(req.sender) or not may_book(req.recipient):
            raise NotAllowed(_("Only approved visitors can meet."), code="not_approved")
        if start is None and req.status == MeetingRequest.Status.PROPOSED:
            start = req.proposed_start
        meeting = None
        if start is not None:
            meeting = book(
                event=req.event,
                sender=req.sender,
                recipient=req.recipient,
                start=start,
                host=host,
                place=place,
                request=req,
                round=None,
            )
        elif not (req.round_id and Round.objects.filter(pk=req.round_id, status=Round.Status.OPEN).exists()):
            raise DomainError(_("Choose a time for the meeting."), field="start")
        req.status, req.responded_at = MeetingRequest.Status.ACCEPTED, timezone.now()
        req.save(update_fields=["status", "responded_at", "updated_at"])
        audit.record(
            actor=actor,
            action="meetings.accepted",
            obj=req,
            event=req.event,
            meeting=meeting.pk if meeting else None,
        )
        other = req.sender if responder.pk == req.recipient_id else req.recipient
        notify_participant(other, "accepted", request=req, meeting=meeting)
    request.status = req.status
    return req


def decline_request(*, actor: User, request: MeetingRequest, reason: str = "") -> MeetingRequest:
    with transaction.atomic():
        req = _lock_request(request)
        if not req.is_open:
            raise ConflictError(_("This request was already answered."), code="state")
        responder = _responder(req)
        _require_acting(actor, responder)
        req.status, req.response, req.responded_at = (
            MeetingRequest.Status.DECLINED,
            reason.strip(),
            timezone.now(),
        )
        req.save(update_fields=["status", "response", "responded_at", "updated_at"])
        audit.record(actor=actor, action="meetings.declined", obj=req, event=req.event)
        emit_webhook(event=req.event, type="meeting.declined", ids=_request_ids(req))
        other = req.sender if responder.pk == req.recipient_id else req.recipient
        notify_participant(other, "declined", request=req)
    return req


def propose_other_time(
    *, actor: User, request: MeetingRequest, start: datetime, message: str = ""
) -> MeetingRequest:
    with transaction.atomic():
        req = _lock_request(request)
        if not req.is_open:
            raise ConflictError(_("This request was already answered."), code="state")
        responder = _responder(req)
        _require_acting(actor, responder)
        start, _end = check_slot(req.event, start)
        req.status, req.proposed_start, req.proposed_by = MeetingRequest.Status.PROPOSED, start, responder
        req.response = message.strip()
        req.expires_at = timezone.now() + timedelta(hours=meeting_settings(req.event).request_expiry_hours)
        req.reminded_at = None
        req.save(
            update_fields=[
                "status",
                "proposed_start",
                "proposed_by",
                "response",
                "expires_at",
                "reminded_at",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor, action="meetings.proposed", obj=req, event=req.event, start=start.isoformat()
        )
        other = req.sender if responder.pk == req.recipient_id else req.recipient
        notify_participant(other, "proposed", request=req)
    return req


def withdraw_request(*, actor: User, request: MeetingRequest) -> MeetingRequest:
    with transaction.atomic():
        req = _lock_request(request)
        _require_acting(actor, req.sender)
        if not req.is_open:
            raise ConflictError(_("This request was already answered."), code="state")
        req.status = MeetingRequest.Status.CANCELLED
        req.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action="meetings.withdrawn", obj=req, event=req.event)
    return req


def book_instantly(
    *,
    actor: User,
    sender: Participant,
    recipient: Participant,
    start: datetime,
    host: ExhibitorHost | None = None,
    place: Place | None = None,
    message: str = "",
    sender_host: ExhibitorHost | None = None,
) -> Meeting:
    """Book a free slot directly where the host allows it (no request round-trip). An exhibitor
    booking another exhibitor names who from its own team takes it (``sender_host``; else the
    first of them free)."""
    _require_acting(actor, sender)
    _check_pair(sender, recipient)
    if not recipient.instant_booking:
        raise NotAllowed(
            _("This participant does not take instant bookings; send a request."), code="no_instant"
        )
    event = sender.event
    with transaction.atomic():
        req = MeetingRequest.objects.create(
            event=event,
            sender=sender,
            recipient=recipient,
            sent_by=actor,
            message=message.strip(),
            status=MeetingRequest.Status.ACCEPTED,
            responded_at=timezone.now(),
        )
        meeting = book(
            event=event,
            sender=sender,
            recipient=recipient,
            start=start,
            host=host,
            place=place,
            request=req,
            sender_host=sender_host,
        )
        audit.record(actor=actor, action="meetings.booked_instantly", obj=meeting, event=event)
        notify_participant(recipient, "booked", meeting=meeting)
    return meeting


# --- meetings ------------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("sender", "recipient", "event")
        .get(pk=meeting.pk)
    )


def _acting_side(actor: User, meeting: Meeting) -> Participant | None:
    for p in (meeting.sender, meeting.recipient):
        # django-rules checks any object; django-stubs types has_perm's object as a user
        if actor.has_perm("meetings.act_for", p):  # type: ignore[arg-type]
            return p
    return None


def cancel_meeting(*, actor: User, meeting: Meeting, reason: str = "") -> Meeting:
    with transaction.atomic():
        m = _lock_meeting(meeting)
        require_perm(actor, "meetings.change_meeting", m, _("You may not cancel this meeting."))
        if m.status != Meeting.Status.SCHEDULED:
            raise ConflictError(_("Only a scheduled meeting can be cancelled."), code="state")
        m.status, m.sequence = Meeting.Status.CANCELLED, m.sequence + 1
        m.save(update_fields=["status", "sequence", "updated_at"])
        m.bookings.all().delete()
        audit.record(actor=actor, action="meetings.cancelled", obj=m, event=m.event, reason=reason)
        emit_webhook(event=m.event, type="meeting.cancelled", ids=meeting_ids(m))
        side = _acting_side(actor, m)
        for p in (m.sender, m.recipient):
            if side is None or p.pk != side.pk:
                notify_participant(p, "cancelled", meeting=m, reason=reason)
    return m


def reschedule_meeting(
    *,
    actor: User,
    meeting: Meeting,
    start: datetime,
    place: Place | None = None,
    host: ExhibitorHost | None = None,
) -> Meeting:
    with transaction.atomic():
        m = _lock_meeting(meeting)
        require_perm(actor, "meetings.change_meeting", m, _("You may not move this meeting."))
        if m.status != Meeting.Status.SCHEDULED:
            raise ConflictError(_("Only a scheduled meeting can be moved."), code="state")
        old = m.start
        m = book(
            event=m.event,
            sender=m.sender,
            recipient=m.recipient,
            start=start,
            host=host,
            place=place if place is not None else m.place,
            existing=m,
        )
        audit.record(
            actor=actor,
            action="meetings.rescheduled",
            obj=m,
            event=m.event,
            old=old.isoformat(),
            new=m.start.isoformat(),
        )
        emit_webhook(event=m.event, type="meeting.rescheduled", ids=meeting_ids(m))
        side = _acting_side(actor, m)
        for p in (m.sender, m.recipient):
            if side is None or p.pk != side.pk:
                notify_participant(p, "rescheduled", meeting=m, old_start=old)
    return m


def record_outcome(
    *, actor: User, meeting: Meeting, held: bool, rating: int | None = None, comment: str = ""
) -> Meeting:
    """After the meeting: held or no-show, and this side's rating (1-5)."""
    with transaction.atomic():
        m = _lock_meeting(meeting)
        side = _acting_side(actor, m)
        if side is None:
            raise NotAllowed(_("Only the participants record how a meeting went."))
        if m.status == Meeting.Status.CANCELLED:
            raise ConflictError(_("This meeting was cancelled."), code="state")
        if m.start > timezone.now():
            raise DomainError(_("The meeting has not started yet."))
        if rating is not None and not 1 <= rating <= 5:
            raise DomainError(_("Rate from 1 to 5."), field="rating")
        m.status = Meeting.Status.HELD if held else Meeting.Status.NO_SHOW
        if side.pk == m.sender_id:
            m.sender_rating, m.sender_comment = rating, comment.strip()[:300]
        else:
            m.recipient_rating, m.recipient_comment = rating, comment.strip()[:300]
        m.save()
        audit.record(actor=actor, action=f"meetings.{m.status}", obj=m, event=m.event, rating=rating)
    return m


# --- periodic ------------------------------------------------------------------------------


def expire_requests(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the recipient first (``reminder_hours`` before expiry), then expire."""
    now = now or timezone.now()
    reminded = expired = 0
    open_q = Q(status__in=MeetingRequest.OPEN, expires_at__isnull=False)
    for req in MeetingRequest.objects.filter(open_q, reminded_at__isnull=True).select_related(
        "event", "sender", "recipient"
    ):
        hours = meeting_settings(req.event).reminder_hours
        expires = req.expires_at
        if expires is not None and expires - timedelta(hours=hours) <= now < expires:
            with transaction.atomic():
                if MeetingRequest.objects.filter(pk=req.pk, reminded_at__isnull=True).update(reminded_at=now):
                    notify_participant(_responder(req), "reminder", request=req)
                    reminded += 1
    for req in MeetingRequest.objects.filter(open_q, expires_at__lte=now).select_related(
        "event", "sender", "recipient"
    ):
        with transaction.atomic():
            if MeetingRequest.objects.filter(pk=req.pk, status__in=MeetingRequest.OPEN).update(
                status=MeetingRequest.Status.EXPIRED, updated_at=now
            ):
                audit.record(actor=None, action="meetings.expired", obj=req, event=req.event)
                notify_participant(req.sender, "expired", request=req)
                expired += 1
    return {"reminded": reminded, "expired": expired}


def send_meeting_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    qs = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        reminded_at__isnull=True,
        start__gt=now,
        start__lte=now + timedelta(hours=3),
    ).select_related("event", "sender", "recipient", "place")
    for m in qs:
        if m.start - timedelta(minutes=meeting_settings(m.event).meeting_reminder_minutes) > now:
            continue
        with transaction.atomic():
            if Meeting.objects.filter(pk=m.pk, reminded_at__isnull=True).update(reminded_at=now):
                for p in (m.sender, m.recipient):
                    notify_participant(p, "meeting_reminder", meeting=m)
                sent += 1
    return sent


# --- busy blocks (delegation visits and other agenda items) ----------------------------------


def block_time(
    *,
    event: Any,
    start: datetime,
    end: datetime,
    title: str,
    participant: Participant | None = None,
    host: ExhibitorHost | None = None,
    kind: str = AgendaItem.Kind.BUSY,
    place_label: str = "",
    walking_id: str = "",
    source: str = "",
    actor: User | None = None,
) -> AgendaItem:
    """Reserve time of one participant or staff member for something that is not a meeting.

    Used by delegation programmes (kind ``delegation_visit``): the same lock and constraint
    as meetings, so a visit and a meeting can never overlap. ConflictError when taken."""
    owner: Participant | ExhibitorHost | None = participant if participant is not None else host
    if owner is None or (participant is not None and host is not None):
        raise DomainError(_("Block time of one participant or one staff member."))
    if start >= end:
        raise DomainError(_("The block must end after it starts."), field="end")
    key = owner.resource_key
    if participant is not None and participant.kind == Participant.Kind.EXHIBITOR:
        raise DomainError(_("Block time of the company's staff member, not of the company."))
    with transaction.atomic():
        lock_resources(event, [key])
        if busy_keys(event, [key], start, end):
            raise ConflictError(lost_race_message())
        item = AgendaItem.objects.create(
            event=event,
            participant=participant,
            host=host,
            kind=kind,
            title=title,
            place_label=place_label,
            walking_id=walking_id,
            start=start,
            end=end,
            source=source,
        )
        Booking.objects.create(event=event, resource=key, start=start, end=end, agenda_item=item)
        if actor is not None:
            audit.record(actor=actor, action="meetings.time_blocked", obj=item, event=event)
    return item


def unblock_time(*, item: AgendaItem, actor: User | None = None) -> None:
    with transaction.atomic():
        if actor is not None:
            audit.record(actor=actor, action="meetings.time_unblocked", obj=item, event=item.event)
        item.delete()


__all__ = ["side_key"]


def _published_programme(event: Any, delegation_organisation: Any) -> dict[str, dict[str, Any]]:
    """The busy blocks a delegation's published programme asks for, by source: its stand visits
    and, on each day it has visits, its lunch break (as its published programme shows it)."""
    visits = list(
        PublishedVisit.objects.filter(delegation__organisation=delegation_organisation).select_related(
            "stand"
        )
    )
    out: dict[str, dict[str, Any]] = {
        f"delegations.visit:{v.uid}": {
            "start": v.start,
            "end": v.end,
            "title": _("Delegation visit: stand %s") % v.stand.number,
            "kind": AgendaItem.Kind.DELEGATION_VISIT,
            "place_label": v.stand.number,
            "walking_id": v.stand.number,
        }
        for v in visits
    }
    days = list(
        DelegationDay.objects.filter(
            delegation__organisation=delegation_organisation,
            date__in={v.date for v in visits},
            lunch_start__isnull=False,
            lunch_end__isnull=False,
        )
    )
    names = place_names(event, {d.lunch_place for d in days})
    for d in days:
        start, end = event.local(d.date, d.lunch_start), event.local(d.date, d.lunch_end)
        if start < end:
            out[f"delegations.lunch:{d.pk}"] = {
                "start": start,
                "end": end,
                "title": _("Lunch break"),
                "kind": AgendaItem.Kind.EVENT,
                "place_label": names.get(d.lunch_place, "")[:100],
                "walking_id": d.lunch_place,
            }
    return out


def sync_delegation_visits(*, event: Any, delegation_organisation: Any) -> dict[str, Any]:
    """Mirror a delegation's published programme (its stand visits and its lunch breaks) as busy
    blocks of the delegation, so that meetings and the programme never overlap.

    Idempotent (by visit uid and programme day); returns what it added, removed and could not
    add because the time was already taken by a meeting (those are left to the organiser)."""
    participant = ensure_participant(event=event, organisation=delegation_organisation)
    wanted = _published_programme(event, delegation_organisation)
    existing = {
        it.source: it
        for it in AgendaItem.objects.filter(event=event, participant=participant).filter(
            Q(source__startswith="delegations.visit:") | Q(source__startswith="delegations.lunch:")
        )
    }
    added, removed, conflicts = 0, 0, []
    for source, item in existing.items():
        w = wanted.get(source)
        if w is None or (w["start"], w["end"]) != (item.start, item.end):
            AgendaItem.objects.filter(event=event, participant=participant, source=source).delete()
            removed += 1
    kept = set(
        AgendaItem.objects.filter(event=event, participant=participant, source__in=list(wanted)).values_list(
            "source", flat=True
        )
    )
    for source, w in wanted.items():
        if source in kept:
            continue
        try:
            block_time(event=event, participant=participant, source=source, **w)
            added += 1
        except ConflictError:
            conflicts.append(source)
    return {"added": added, "removed": removed, "conflicts": conflicts}
