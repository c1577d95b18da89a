"""The one place where time is taken: locking, checking and writing bookings.

Lock once, lock late: everything that can be checked without the lock (slot on the grid,
opening hours, availability, place open) is checked first; then the resource rows are
locked with ``select_for_update`` in key order (the same order everywhere, so two
bookings never deadlock), caps and overlaps are checked under the lock, and the rows are
written. On PostgreSQL the exclusion constraint on ``Booking`` backs this up: if code
ever wrote without the lock, the database would refuse the second row (IntegrityError,
deliberately not turned into a 409: it would be a bug).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.core.errors import ConflictError, DomainError
from exhibition.core.webhooks import emit_webhook
from exhibition.floorplans.models import Stand

from ..models import (
    AgendaItem,
    Availability,
    Booking,
    BookingResource,
    ExhibitorHost,
    Meeting,
    Participant,
    Place,
    PlaceBlocking,
)
from ..slots import ACTIVE, day_slots, meeting_settings
from .participants import stand_place

LOST_RACE = "Someone else booked this time a moment ago."


def lost_race_message() -> str:
    return _("Someone else booked this time a moment ago.")


# --- slots -------------------------------------------------------------------------------


def all_slots(event: Any) -> list[tuple[datetime, datetime]]:
    return [s for day in event.days.all().order_by("date") for s in day_slots(event, day)]


def check_slot(event: Any, start: datetime) -> tuple[datetime, datetime]:
    """A start on the event's slot grid inside opening hours -> (start, end); else DomainError."""
    if timezone.is_naive(start):
        start = timezone.make_aware(start, event.tz)
    local = start.astimezone(event.tz)
    day = next((d for d in event.days.all() if d.date == local.date()), None)
    if day is None:
        raise DomainError(_("The show is not open on that day."), field="start")
    for s, e in day_slots(event, day):
        if s == start:
            return s, e
    raise DomainError(_("Choose one of the meeting slots inside opening hours."), field="start")


def _unavailable(
    event: Any, participants: list[Participant], start: datetime, end: datetime
) -> list[Participant]:
    """Those whose availability windows of that day (if they set any) do not cover the time."""
    local_s, local_e = start.astimezone(event.tz), end.astimezone(event.tz)
    windows: dict[int, list[Availability]] = {}
    for w in Availability.objects.filter(participant__in=participants, date=local_s.date()):
        windows.setdefault(w.participant_id, []).append(w)
    return [
        p
        for p in participants
        if p.pk in windows
        and not any(w.starts_at <= local_s.time() and local_e.time() <= w.ends_at for w in windows[p.pk])
    ]


def check_stand_of_sides(place: Place | None, sides: list[Participant]) -> None:
    """A stand hosts only its own company's meetings: a meeting may be put at the stand of one
    of its two sides (the participant's stand, or any stand of its company), never at another
    company's. Tables and rooms are shared by everybody."""
    if place is None or place.kind != Place.Kind.STAND:
        return
    if place.stand_id is not None:
        if any(p.stand_id == place.stand_id for p in sides):
            return
        companies = [p.organisation_id for p in sides if p.kind == Participant.Kind.EXHIBITOR]
        if Stand.objects.filter(pk=place.stand_id, exhibitor_id__in=companies).exists():
            return
    raise DomainError(
        _(
            "A meeting takes place at the stand of one of its two participants, or at a meeting table or room."
        ),
        field="place",
    )


def check_place(place: Place | None, start: datetime, end: datetime, people: int = 2) -> None:
    if place is None:
        return
    if not place.is_active:
        raise DomainError(_("This place is not in use."), field="place")
    tz = place.event.tz
    ls, le = start.astimezone(tz).time(), end.astimezone(tz).time()
    if (place.opens_at and ls < place.opens_at) or (place.closes_at and le > place.closes_at):
        raise DomainError(_("The place is closed at that time."), field="place")
    if place.capacity and people > place.capacity:
        raise DomainError(_("The place has too few seats."), field="place")
    if PlaceBlocking.objects.filter(place=place, start__lt=end, end__gt=start).exists():
        raise DomainError(_("The place is blocked at that time."), field="place")


# --- resources and locking -----------------------------------------------------------------


def side_key(participant: Participant, host: ExhibitorHost | None) -> str:
    """The person taken by a meeting on one side: the exhibitor's staff member, else the participant."""
    if participant.kind == Participant.Kind.EXHIBITOR:
        if host is None:
            raise DomainError(_("Choose who from the company takes the meeting."), field="host")
        return host.resource_key
    return participant.resource_key


def lock_resources(event: Any, keys: list[str]) -> None:
    """Lock the resources' rows, in key order. Creates missing rows first (idempotent)."""
    keys = sorted(set(keys))
    BookingResource.objects.bulk_create(
        [BookingResource(event=event, key=k) for k in keys], ignore_conflicts=True
    )
    list(
        BookingResource.objects.select_for_update()
        .filter(event=event, key__in=keys)
        .order_by("key")
        .values_list("id", flat=True)
    )


def busy_keys(
    event: Any,
    keys: list[str],
    start: datetime,
    end: datetime,
    *,
    exclude_meeting: Meeting | None = None,
    exclude_item: AgendaItem | None = None,
) -> set[str]:
    qs = Booking.objects.filter(event=event, resource__in=keys, start__lt=end, end__gt=start)
    if exclude_meeting is not None:
        qs = qs.exclude(meeting=exclude_meeting)
    if exclude_item is not None:
        qs = qs.exclude(agenda_item=exclude_item)
    return set(qs.values_list("resource", flat=True))


def check_programmes(
    event: Any, people: dict[str, Participant | ExhibitorHost], start: datetime, end: datetime
) -> None:
    """Refuse a time that one side's own programme takes (a delegation's stand visit or lunch
    break, time blocked for something else), said as such rather than as a lost race.
    ``people``: each side's resource key -> the participant or staff member taking the meeting."""
    taken = (
        Booking.objects.filter(
            event=event, resource__in=list(people), start__lt=end, end__gt=start, agenda_item__isnull=False
        )
        .select_related("agenda_item")
        .order_by("start", "id")
        .first()
    )
    if taken is None:
        return
    who = people[taken.resource]
    name = who.name if isinstance(who, Participant) else (who.user.get_full_name() or who.user.email)
    if taken.agenda_item is not None and taken.agenda_item.source.startswith("delegations.lunch:"):
        message = _("%(name)s has a lunch break at that time: choose another time.")
    else:
        message = _("%(name)s is busy at that time: choose another time.")
    raise ConflictError(message % {"name": name}, field="start", code="busy")


def meeting_count(participant: Participant, *, exclude: Meeting | None = None) -> int:
    qs = Meeting.objects.filter(Q(sender=participant) | Q(recipient=participant), status__in=ACTIVE)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.count()


def max_meetings(participant: Participant, event: Any = None) -> int:
    if participant.max_meetings is not None:
        return participant.max_meetings
    return meeting_settings(event or participant.event).default_max_meetings


def pick_host(
    exhibitor: Participant,
    start: datetime,
    end: datetime,
    *,
    exclude_meeting: Meeting | None = None,
    own: bool = False,
) -> ExhibitorHost:
    """The first active host free at that time (read without lock; the booking re-checks under lock).
    ``own``: the booking exhibitor's own staff (the messages and the field say so)."""
    hosts = list(exhibitor.hosts.filter(is_active=True).order_by("id"))
    if not hosts:
        if own:
            raise DomainError(
                _("Nobody from your company takes meetings yet: add a colleague to your meeting team."),
                field="sender_host",
            )
        raise DomainError(_("This company has nobody taking meetings yet."), field="host")
    taken = busy_keys(
        exhibitor.event, [h.resource_key for h in hosts], start, end, exclude_meeting=exclude_meeting
    )
    for h in hosts:
        if h.resource_key not in taken:
            return h
    if own:
        raise ConflictError(_("Nobody from your company is free at that time."), code="no_host")
    raise ConflictError(_("Nobody from this company is free at that time."), code="no_host")


def book(
    *,
    event: Any,
    sender: Participant,
    recipient: Participant,
    start: datetime,
    host: ExhibitorHost | None,
    place: Place | None,
    request: Any = None,
    round: Any = None,
    existing: Meeting | None = None,
    sender_host: ExhibitorHost | None = None,
) -> Meeting:
    """Take the time for a meeting (new, or ``existing`` moved). Call inside ``transaction.atomic()``.

    ``host`` takes the meeting for the exhibitor side (the recipient when both sides exhibit);
    when an exhibitor books another exhibitor, ``sender_host`` takes it for the sender. Either,
    left out, is the first of the company's team free at that time."""
    start, end = check_slot(event, start)
    exhibitor = (
        recipient
        if recipient.kind == Participant.Kind.EXHIBITOR
        else (sender if sender.kind == Participant.Kind.EXHIBITOR else None)
    )
    both = exhibitor is recipient and sender.kind == Participant.Kind.EXHIBITOR
    if exhibitor is not None and host is None:
        host = pick_host(exhibitor, start, end, exclude_meeting=existing)
    if not both:
        sender_host = None
    elif sender_host is None:
        sender_host = pick_host(sender, start, end, exclude_meeting=existing, own=True)
    elif sender_host.participant_id != sender.pk or not sender_host.is_active:
        raise DomainError(_("This person does not take meetings for your company."), field="sender_host")
    if place is None and exhibitor is not None:
        place = stand_place(exhibitor)  # by default an exhibitor meets at its stand
    if host is not None and (exhibitor is None or host.participant_id != exhibitor.pk or not host.is_active):
        raise DomainError(_("This person does not take meetings for the company."), field="host")
    for p in _unavailable(event, [sender, recipient], start, end):
        raise DomainError(_("%(name)s is not available at that time.") % {"name": p.name}, field="start")
    check_stand_of_sides(place, [sender, recipient])
    check_place(place, start, end)
    person_keys = [
        side_key(sender, sender_host if both else (host if sender is exhibitor else None)),
        side_key(recipient, host if recipient is exhibitor else None),
    ]
    takers = [  # who is taken on each side: the staff member for a company, else the participant
        sender_host if both else (host if sender is exhibitor else sender),
        host if recipient is exhibitor else recipient,
    ]
    check_programmes(
        event, {k: t for k, t in zip(person_keys, takers, strict=True) if t is not None}, start, end
    )
    keys = list(person_keys)
    if place is not None and place.is_bookable:
        keys.append(place.resource_key)
    # Lock late, once, in order: the people and table, and both participants (for the caps).
    lock_resources(event, [*keys, sender.resource_key, recipient.resource_key])
    for h in (host, sender_host):
        if h is not None and not ExhibitorHost.objects.filter(pk=h.pk, is_active=True).exists():
            # removed from the meeting team while this booking waited for the lock
            raise ConflictError(_("This person no longer takes meetings for the company."), code="state")
    if place is not None and not Place.objects.filter(pk=place.pk).exists():
        # deleted while this booking waited for the lock (delete_place takes the same lock)
        raise ConflictError(_("This meeting place no longer exists; choose another."), code="state")
    for p in (sender, recipient):
        if meeting_count(p, exclude=existing) >= max_meetings(p, event):
            raise DomainError(
                _("%(name)s has reached the maximum number of meetings.") % {"name": p.name}, code="cap"
            )
    if busy_keys(event, keys, start, end, exclude_meeting=existing):
        raise ConflictError(lost_race_message())
    if existing is None:
        meeting = Meeting.objects.create(
            event=event,
            request=request,
            round=round,
            sender=sender,
            recipient=recipient,
            host=host,
            sender_host=sender_host,
            start=start,
            end=end,
            place=place,
        )
    else:
        meeting = existing
        meeting.bookings.all().delete()
        meeting.start, meeting.end, meeting.host, meeting.place = start, end, host, place
        meeting.sender_host = sender_host
        meeting.sequence += 1
        meeting.save(update_fields=["start", "end", "host", "sender_host", "place", "sequence", "updated_at"])
    Booking.objects.bulk_create(
        [Booking(event=event, resource=k, start=start, end=end, meeting=meeting) for k in keys]
    )
    if existing is None:
        emit_webhook(event=event, type="meeting.confirmed", ids=meeting_ids(meeting))
    return meeting


def meeting_ids(meeting: Meeting) -> dict[str, int | str]:
    """The ids a meeting's webhook carries (the receiver fetches the rest through the API)."""
    ids: dict[str, int | str] = {
        "meeting": meeting.pk,
        "sender": meeting.sender_id,
        "recipient": meeting.recipient_id,
    }
    return {**ids, "request": meeting.request_id} if meeting.request_id else ids
