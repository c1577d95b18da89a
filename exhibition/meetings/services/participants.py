"""Participants, hosts, availability, places and settings."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, TradeVisitor
from exhibition.core import audit
from exhibition.core.errors import DomainError, NotAllowed

from ..models import Availability, ExhibitorHost, MeetingSettings, Participant, Place, PlaceBlocking


def meeting_settings(event: Any) -> MeetingSettings:
    """The event's settings; the defaults (unsaved) until an organiser changes them.

    Read-only on purpose: booking paths must not insert rows that concurrent bookings wait on."""
    cached = getattr(event, "_meeting_settings", None)
    if cached is None:
        cached = MeetingSettings.objects.filter(event=event).first() or MeetingSettings(event=event)
        event._meeting_settings = cached
    return cached


def update_settings(*, event: Any, actor: Any, **values: Any) -> MeetingSettings:
    if not actor.has_perm("meetings.manage_meetings", event):
        raise NotAllowed(_("Only organisers change meeting settings."))
    if "slot_minutes" in values and not 10 <= int(values["slot_minutes"]) <= 240:
        raise DomainError(_("A slot lasts 10 to 240 minutes."), field="slot_minutes")
    with transaction.atomic():
        conf, _created = MeetingSettings.objects.get_or_create(event=event)
        for k, v in values.items():
            setattr(conf, k, v)
        conf.save()
        audit.record(actor=actor, action="meetings.settings_changed", obj=conf, event=event, **{k: str(v) for k, v in values.items()})
    event.__dict__.pop("_meeting_settings", None)
    return conf


def _stand_of(organisation: Organisation):
    from exhibition.floorplans.models import Stand

    return Stand.objects.filter(event_id=organisation.event_id, exhibitor=organisation).order_by("number").first()


def ensure_participant(*, event: Any, organisation: Organisation | None = None,
                       visitor: TradeVisitor | None = None, host_user: Any = None) -> Participant:
    """The participant for a company, a delegation or a visitor; created on first use.

    A new exhibitor gets ``host_user`` (the member creating it) as its first host."""
    if (organisation is None) == (visitor is None):
        raise DomainError(_("A participant is an organisation or a visitor."))
    if organisation is not None:
        found = Participant.objects.filter(event=event, organisation=organisation).first()
    else:
        found = Participant.objects.filter(event=event, visitor=visitor).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            if organisation is not None:
                kind = (Participant.Kind.EXHIBITOR if organisation.kind == Organisation.Kind.COMPANY
                        else Participant.Kind.DELEGATION)
                stand = _stand_of(organisation) if kind == Participant.Kind.EXHIBITOR else None
                participant = Participant.objects.create(
                    event=event, kind=kind, organisation=organisation, name=organisation.name,
                    country=str(organisation.country or ""), stand=stand,
                    instant_booking=False,
                )
                participant.sectors.set(organisation.sectors.all())
                if kind == Participant.Kind.EXHIBITOR:
                    if host_user is not None:
                        ExhibitorHost.objects.create(participant=participant, user=host_user)
                    if stand is not None:
                        Place.objects.get_or_create(event=event, kind=Place.Kind.STAND, name=_("Stand %s") % stand.number,
                                                    defaults={"stand": stand, "walking_id": stand.number})
            else:
                participant = Participant.objects.create(
                    event=event, kind=Participant.Kind.VISITOR, visitor=visitor, user=visitor.user,
                    name=visitor.user.get_full_name() or visitor.user.email,
                    headline=f"{visitor.job_title}, {visitor.organisation_name}",
                    seek=visitor.looking_for, country=str(visitor.country or ""),
                )
                participant.sectors.set(visitor.sectors.all())
            audit.record(actor=host_user or getattr(visitor, "user", None), action="meetings.participant_created",
                         obj=participant, event=event)
    except IntegrityError:  # created concurrently
        lookup = {"organisation": organisation} if organisation is not None else {"visitor": visitor}
        return Participant.objects.get(event=event, **lookup)
    return participant


def stand_place(participant: Participant) -> Place | None:
    if participant.stand_id is None:
        return None
    return Place.objects.filter(event_id=participant.event_id, kind=Place.Kind.STAND, stand_id=participant.stand_id).first()


def update_profile(*, participant: Participant, actor: Any, headline: str | None = None, offer: str | None = None,
                   seek: str | None = None, sectors: list | None = None, opted_in: bool | None = None,
                   instant_booking: bool | None = None) -> Participant:
    if not actor.has_perm("meetings.change_participant", participant):
        raise NotAllowed(_("You may not change this profile."))
    changes = {k: v for k, v in {"headline": headline, "offer": offer, "seek": seek, "opted_in": opted_in,
                                  "instant_booking": instant_booking}.items() if v is not None}
    with transaction.atomic():
        for k, v in changes.items():
            setattr(participant, k, v.strip() if isinstance(v, str) else v)
        participant.save(update_fields=[*changes, "updated_at"])
        if sectors is not None:
            participant.sectors.set(sectors)
        audit.record(actor=actor, action="meetings.profile_updated", obj=participant, event=participant.event,
                     fields=sorted(changes))
    return participant


def set_caps(*, participant: Participant, actor: Any, max_requests: int | None, max_meetings: int | None) -> Participant:
    if not actor.has_perm("meetings.manage_meetings", participant.event):
        raise NotAllowed(_("Only organisers set caps."))
    with transaction.atomic():
        participant.max_requests, participant.max_meetings = max_requests, max_meetings
        participant.save(update_fields=["max_requests", "max_meetings", "updated_at"])
        audit.record(actor=actor, action="meetings.caps_set", obj=participant, event=participant.event,
                     max_requests=max_requests, max_meetings=max_meetings)
    return participant


def set_availability(*, participant: Participant, actor: Any, windows: list[tuple[Any, time, time]]) -> list[Availability]:
    """Replace the participant's windows: [(date, from, until)]. A day without window = all day."""
    if not actor.has_perm("meetings.change_participant", participant):
        raise NotAllowed(_("You may not change this availability."))
    days = {d.date for d in participant.event.days.all()}
    rows = []
    for day, start, end in windows:
        if day not in days:
            raise DomainError(_("%(day)s is not a day of the show.") % {"day": day}, field="date")
        if start >= end:
            raise DomainError(_("The window must end after it starts."), field="ends_at")
        rows.append(Availability(participant=participant, date=day, starts_at=start, ends_at=end))
    with transaction.atomic():
        participant.availability.all().delete()
        Availability.objects.bulk_create(rows)
        audit.record(actor=actor, action="meetings.availability_set", obj=participant, event=participant.event,
                     windows=len(rows))
    return rows


def add_host(*, participant: Participant, actor: Any, user: Any) -> ExhibitorHost:
    if participant.kind != Participant.Kind.EXHIBITOR:
        raise DomainError(_("Only exhibitors have hosts."))
    if not actor.has_perm("meetings.change_participant", participant):
        raise NotAllowed(_("You may not change this company's hosts."))
    if not participant.organisation.memberships.filter(user=user).exists():
        raise DomainError(_("The host must be a member of the company."), field="user")
    with transaction.atomic():
        host, _created = ExhibitorHost.objects.update_or_create(participant=participant, user=user, defaults={"is_active": True})
        audit.record(actor=actor, action="meetings.host_added", obj=host, event=participant.event)
    return host


def create_place(*, event: Any, actor: Any, name: str, kind: str = Place.Kind.TABLE, capacity: int = 4,
                 opens_at: time | None = None, closes_at: time | None = None, walking_id: str = "") -> Place:
    if not actor.has_perm("meetings.manage_meetings", event):
        raise NotAllowed(_("Only organisers manage meeting places."))
    if not name.strip():
        raise DomainError(_("Enter a name."), field="name")
    if opens_at and closes_at and opens_at >= closes_at:
        raise DomainError(_("The place must close after it opens."), field="closes_at")
    if Place.objects.filter(event=event, kind=kind, name=name.strip()).exists():
        raise DomainError(_("A place with this name exists already."), field="name")
    with transaction.atomic():
        place = Place.objects.create(event=event, kind=kind, name=name.strip(), capacity=capacity, opens_at=opens_at,
                                     closes_at=closes_at, walking_id=walking_id)
        audit.record(actor=actor, action="meetings.place_created", obj=place, event=event)
    return place


def block_place(*, place: Place, actor: Any, start: Any, end: Any, reason: str = "") -> PlaceBlocking:
    if not actor.has_perm("meetings.manage_meetings", place.event):
        raise NotAllowed(_("Only organisers manage meeting places."))
    if start >= end:
        raise DomainError(_("The blocking must end after it starts."), field="end")
    with transaction.atomic():
        blocking = PlaceBlocking.objects.create(place=place, start=start, end=end, reason=reason)
        audit.record(actor=actor, action="meetings.place_blocked", obj=place, event=place.event)
    return blocking
