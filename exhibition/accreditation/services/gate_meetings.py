"""Meetings at the gate: a badge scanned at a meeting table checks its holder's side in for the
meeting at that table now; once both sides are in, the meeting is held. A meeting at a table
with a scanner that nobody scanned into within the grace time becomes a no-show (periodic)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from exhibition.core import audit
from exhibition.meetings.models import Meeting, Participant, Place

from ..models import Badge, Gate, MeetingArrival, Scan
from .setup import settings_for

EARLY = timedelta(minutes=20)


def _participants(badge: Badge) -> list[int]:
    q = Q()
    if badge.visitor_id:
        q |= Q(visitor_id=badge.visitor_id)
    if badge.organisation_id:
        q |= Q(organisation_id=badge.organisation_id)
    if not q:
        return []
    return list(Participant.objects.filter(q, event_id=badge.event_id).values_list("pk", flat=True))


def arrive(*, badge: Badge, place: Place, scan: Scan, when: datetime) -> dict[str, Any] | None:
    """Record the holder's side as arrived for their meeting at this table (inside the redeem
    transaction). Returns what the steward sees about the meeting, or None."""
    mine = _participants(badge)
    if not mine:
        return None
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("sender", "recipient")
        .filter(
            place=place,
            status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD],
            start__lte=when + EARLY,
            end__gte=when,
        )
        .filter(Q(sender_id__in=mine) | Q(recipient_id__in=mine))
        .order_by("start")
        .first()
    )
    if meeting is None:
        return {"state": "none"}
    side = meeting.sender if meeting.sender_id in mine else meeting.recipient
    other = meeting.recipient if side.pk == meeting.sender_id else meeting.sender
    MeetingArrival.objects.get_or_create(
        meeting=meeting, participant=side, defaults={"scan": scan, "arrived_at": when}
    )
    arrived = set(MeetingArrival.objects.filter(meeting=meeting).values_list("participant_id", flat=True))
    if meeting.status == Meeting.Status.SCHEDULED and {meeting.sender_id, meeting.recipient_id} <= arrived:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=None, action="meetings.held", obj=meeting, event=badge.event, by="gate", scan=scan.pk
        )
    local = timezone.localtime(meeting.start, badge.event.tz)
    return {
        "state": "held" if meeting.status == Meeting.Status.HELD else "waiting",
        "with": other.name,
        "start": local.strftime("%H:%M"),
        "meeting": meeting.pk,
    }


def mark_no_shows(*, now: datetime | None = None) -> int:
    """Meetings at tables with a scanner, still scheduled past their start plus the event's grace
    time: no-shows (the audit entry says which side, if any, had arrived)."""
    now = now or timezone.now()
    places = Gate.objects.filter(place__isnull=False).values_list("place_id", flat=True)
    count = 0
    candidates = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED, place_id__in=places, start__lte=now)
        .select_related("event")
        .order_by("start")[:2000]
    )
    grace_by_event: dict[int, timedelta] = {}
    for m in candidates:
        grace = grace_by_event.setdefault(
            m.event_id, timedelta(minutes=settings_for(m.event_id).meeting_grace_minutes)
        )
        if m.start + grace > now:
            continue
        with transaction.atomic():
            locked = (
                Meeting.objects.select_for_update().filter(pk=m.pk, status=Meeting.Status.SCHEDULED).first()
            )
            if locked is None:
                continue
            arrived = list(
                MeetingArrival.objects.filter(meeting=locked).values_list("participant_id", flat=True)
            )
            locked.status = Meeting.Status.NO_SHOW
            locked.save(update_fields=["status", "updated_at"])
            audit.record(
                actor=None, action="meetings.no_show", obj=locked, event=m.event, by="gate", arrived=arrived
            )
            count += 1
    return count
