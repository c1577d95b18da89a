"""Participants, hosts, availability, places and settings."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.models import Organisation, TradeVisitor, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.formats import when
from exhibition.floorplans.models import Stand

from ..models import (
    Availability,
    ExhibitorHost,
    Meeting,
    MeetingSettings,
    Participant,
    Place,
    PlaceBlocking,
    Round,
)
from ..selectors.access import acting_participant, first_identity

# booking imports stand_place from here at its top: take the module (still loading then), not its names
from . import booking

# The settings an organiser may change (``update_settings``), in the order of the form.
SETTINGS_FIELDS = (
    "slot_minutes",
    "request_expiry_hours",
    "reminder_hours",
    "meeting_reminder_minutes",
    "default_max_requests",
    "default_max_meetings",
)
# PositiveSmallIntegerField: what the database holds for a cap.
MAX_CAP = 32767
# ``send_meeting_reminders`` looks three hours ahead: an earlier reminder would never go out.
MAX_MEETING_REMINDER_MINUTES = 180


def update_settings(*, event: Any, actor: User, **values: Any) -> MeetingSettings:
    """Change some of ``SETTINGS_FIELDS``. Existing meetings keep their times; the slot length
    cannot change while a matchmaking round is being scheduled or has a draft (the draft is
    laid out on the current slot grid)."""
    require_perm(actor, "meetings.manage_meetings", event, _("Only organisers change meeting settings."))
    for key in values:
        if key not in SETTINGS_FIELDS:
            raise DomainError(_("Unknown setting."), field=key)
    with transaction.atomic():
        conf, _created = MeetingSettings.objects.select_for_update().get_or_create(event=event)
        before = {k: getattr(conf, k) for k in SETTINGS_FIELDS}
        for k, v in values.items():
            setattr(conf, k, v)
        try:
            conf.full_clean(exclude=["event"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError(messages[0], field=field) from None
        for k in SETTINGS_FIELDS:
            if not 0 <= getattr(conf, k) <= MAX_CAP:
                raise DomainError(_("Enter a whole number from 0 to %(max)d.") % {"max": MAX_CAP}, field=k)
        if not 10 <= conf.slot_minutes <= 240:
            raise DomainError(_("A slot lasts 10 to 240 minutes."), field="slot_minutes")
        if conf.request_expiry_hours < 1:
            raise DomainError(_("Requests stay open at least one hour."), field="request_expiry_hours")
        if conf.reminder_hours >= conf.request_expiry_hours:
            raise DomainError(
                _(
                    "The reminder must come before the request expires: fewer hours than the expiry, "
                    "or 0 for no reminder."
                ),
                field="reminder_hours",
            )
        if conf.meeting_reminder_minutes > MAX_MEETING_REMINDER_MINUTES:
            raise DomainError(
                _("Meeting reminders go out at most %(n)d minutes before a meeting.")
                % {"n": MAX_MEETING_REMINDER_MINUTES},
                field="meeting_reminder_minutes",
            )
        changes = {k: getattr(conf, k) for k in SETTINGS_FIELDS if getattr(conf, k) != before[k]}
        if (
            "slot_minutes" in changes
            and Round.objects.filter(
                event=event, status__in=[Round.Status.SCHEDULING, Round.Status.DRAFT]
            ).exists()
        ):
            raise ConflictError(
                _(
                    "A matchmaking round is being scheduled or has a draft on the current slots: "
                    "publish or cancel it before changing the slot length."
                ),
                field="slot_minutes",
                code="round_in_progress",
            )
        conf.save()
        audit.record(
            actor=actor,
            action="meetings.settings_changed",
            obj=conf,
            event=event,
            **{k: str(v) for k, v in changes.items()},
        )
    event.__dict__.pop("_meeting_settings", None)
    return conf


def _stand_of(organisation: Organisation) -> Stand | None:
    return (
        Stand.objects.filter(event_id=organisation.event_id, exhibitor=organisation)
        .order_by("number")
        .first()
    )


def ensure_acting_participant(
    *, event: Any, user: Any, participant_id: Any = None, mine: list[Participant] | None = None
) -> Participant | None:
    """The participant the user acts for now (``selectors.acting_participant``); created on
    first use for their approved visitor record, first company or first delegation (a new
    exhibitor gets the user as its first host). None if they may act for nobody."""
    found = acting_participant(event, user, participant_id, mine=mine)
    if found is not None or participant_id:
        return found
    who = first_identity(event, user)
    if who is None:
        return None
    if "visitor" in who:
        return ensure_participant(event=event, visitor=who["visitor"])
    return ensure_participant(event=event, organisation=who["organisation"], host_user=user)


def ensure_participant(
    *,
    event: Any,
    organisation: Organisation | None = None,
    visitor: TradeVisitor | None = None,
    host_user: Any = None,
) -> Participant:
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
                kind = (
                    Participant.Kind.EXHIBITOR
                    if organisation.kind == Organisation.Kind.COMPANY
                    else Participant.Kind.DELEGATION
                )
                stand = _stand_of(organisation) if kind == Participant.Kind.EXHIBITOR else None
                participant = Participant.objects.create(
                    event=event,
                    kind=kind,
                    organisation=organisation,
                    name=organisation.name,
                    country=str(organisation.country or ""),
                    stand=stand,
                    instant_booking=False,
                )
                participant.sectors.set(organisation.sectors.all())
                if kind == Participant.Kind.EXHIBITOR:
                    if host_user is not None:
                        ExhibitorHost.objects.create(participant=participant, user=host_user)
                    if stand is not None:
                        Place.objects.get_or_create(
                            event=event,
                            kind=Place.Kind.STAND,
                            name=_("Stand %s") % stand.number,
                            defaults={"stand": stand, "walking_id": stand.number},
                        )
            else:
                assert visitor is not None  # exactly one of the two, checked above
                participant = Participant.objects.create(
                    event=event,
                    kind=Participant.Kind.VISITOR,
                    visitor=visitor,
                    user=visitor.user,
                    name=visitor.user.get_full_name() or visitor.user.email,
                    headline=f"{visitor.job_title}, {visitor.organisation_name}",
                    seek=visitor.looking_for,
                    country=str(visitor.country or ""),
                )
                participant.sectors.set(visitor.sectors.all())
            audit.record(
                actor=host_user or getattr(visitor, "user", None),
                action="meetings.participant_created",
                obj=participant,
                event=event,
            )
    except IntegrityError:  # created concurrently
        lookup: dict[str, Any] = (
            {"organisation": organisation} if organisation is not None else {"visitor": visitor}
        )
        return Participant.objects.get(event=event, **lookup)
    return participant


def stand_place(participant: Participant) -> Place | None:
    if participant.stand_id is None:
        return None
    return Place.objects.filter(
        event_id=participant.event_id, kind=Place.Kind.STAND, stand_id=participant.stand_id
    ).first()


def update_profile(
    *,
    participant: Participant,
    actor: User,
    headline: str | None = None,
    offer: str | None = None,
    seek: str | None = None,
    sectors: list[Any] | None = None,
    opted_in: bool | None = None,
    instant_booking: bool | None = None,
) -> Participant:
    require_perm(actor, "meetings.change_participant", participant, _("You may not change this profile."))
    changes = {
        k: v
        for k, v in {
            "headline": headline,
            "offer": offer,
            "seek": seek,
            "opted_in": opted_in,
            "instant_booking": instant_booking,
        }.items()
        if v is not None
    }
    with transaction.atomic():
        for k, v in changes.items():
            setattr(participant, k, v.strip() if isinstance(v, str) else v)
        participant.save(update_fields=[*changes, "updated_at"])
        if sectors is not None:
            participant.sectors.set(sectors)
        audit.record(
            actor=actor,
            action="meetings.profile_updated",
            obj=participant,
            event=participant.event,
            fields=sorted(changes),
        )
    return participant


def set_caps(
    *, participant: Participant, actor: User, max_requests: int | None, max_meetings: int | None
) -> Participant:
    """The participant's own caps; ``None`` = the show's default (``MeetingSettings``)."""
    require_perm(actor, "meetings.manage_meetings", participant.event, _("Only organisers set caps."))
    for field, value in (("max_requests", max_requests), ("max_meetings", max_meetings)):
        if value is not None and not 0 <= value <= MAX_CAP:
            raise DomainError(
                _("Enter a whole number from 0 to %(max)d, or leave it empty.") % {"max": MAX_CAP},
                field=field,
            )
    with transaction.atomic():
        participant.max_requests, participant.max_meetings = max_requests, max_meetings
        participant.save(update_fields=["max_requests", "max_meetings", "updated_at"])
        audit.record(
            actor=actor,
            action="meetings.caps_set",
            obj=participant,
            event=participant.event,
            max_requests=max_requests,
            max_meetings=max_meetings,
        )
    return participant


def set_availability(
    *, participant: Participant, actor: User, windows: list[tuple[Any, time, time]]
) -> list[Availability]:
    """Replace the participant's windows: [(date, from, until)]. A day without window = all day."""
    require_perm(
        actor, "meetings.change_participant", participant, _("You may not change this availability.")
    )
    days = {d.date: d for d in participant.event.days.all()}
    rows = []
    for day, start, end in windows:
        if day not in days:
            raise DomainError(_("%(day)s is not a day of the show.") % {"day": day}, field="date")
        if start >= end:
            raise DomainError(_("The window must end after it starts."), field="ends_at")
        opens, closes = days[day].opens_at, days[day].closes_at
        if start < opens or end > closes:
            raise DomainError(
                _("The show is open from %(opens)s to %(closes)s that day.")
                % {"opens": when(opens, "time"), "closes": when(closes, "time")},
                field="starts_at" if start < opens else "ends_at",
            )
        rows.append(Availability(participant=participant, date=day, starts_at=start, ends_at=end))
    with transaction.atomic():
        participant.availability.all().delete()
        Availability.objects.bulk_create(rows)
        audit.record(
            actor=actor,
            action="meetings.availability_set",
            obj=participant,
            event=participant.event,
            windows=len(rows),
        )
    return rows


def add_host(*, participant: Participant, actor: User, user: Any) -> ExhibitorHost:
    """Make a member of the company take meetings (again, if they were removed)."""
    if participant.kind != Participant.Kind.EXHIBITOR:
        raise DomainError(_("Only exhibitors have hosts."))
    require_perm(
        actor, "meetings.change_participant", participant, _("You may not change this company's hosts.")
    )
    if (
        participant.organisation is None
        or not participant.organisation.memberships.filter(user=user).exists()
    ):
        raise DomainError(_("The host must be a member of the company."), field="user")
    if participant.hosts.filter(user=user, is_active=True).exists():
        raise DomainError(
            _("%(name)s already takes meetings.") % {"name": user.get_full_name()},
            field="user",
            code="duplicate",
        )
    with transaction.atomic():
        host, _created = ExhibitorHost.objects.update_or_create(
            participant=participant, user=user, defaults={"is_active": True}
        )
        audit.record(actor=actor, action="meetings.host_added", obj=host, event=participant.event)
    return host


def upcoming_meetings_of_host(host: ExhibitorHost) -> int:
    """Scheduled meetings the host still has to take (not over yet)."""
    return Meeting.objects.filter(
        Q(host=host) | Q(sender_host=host), status=Meeting.Status.SCHEDULED, end__gt=timezone.now()
    ).count()


def remove_host(*, participant: Participant, actor: User, host: ExhibitorHost) -> ExhibitorHost:
    """Stop a staff member taking meetings (the row stays, inactive: past meetings keep their host).

    Refused while the host has upcoming scheduled meetings (they would be left without anyone
    to take them) and for the last active host (the company could no longer be booked)."""
    if participant.kind != Participant.Kind.EXHIBITOR:
        raise DomainError(_("Only exhibitors have hosts."))
    require_perm(
        actor, "meetings.change_participant", participant, _("You may not change this company's hosts.")
    )
    if host.participant_id != participant.pk:
        raise DomainError(_("This person does not take meetings for the company."), field="host")
    with transaction.atomic():
        # The same rows as a booking takes for this host, and the company's row: removals of two
        # hosts of one company queue up, and a booking for this host cannot slip in meanwhile.
        booking.lock_resources(participant.event, [participant.resource_key, host.resource_key])
        host = ExhibitorHost.objects.select_related("user").get(pk=host.pk)
        name = host.user.get_full_name()
        if not host.is_active:
            raise ConflictError(_("%(name)s no longer takes meetings.") % {"name": name}, code="state")
        upcoming = upcoming_meetings_of_host(host)
        if upcoming:
            raise ConflictError(
                ngettext(
                    "%(name)s still has %(n)d upcoming meeting. Cancel it, or wait until it is over, "
                    "before removing %(name)s from the meeting team.",
                    "%(name)s still has %(n)d upcoming meetings. Cancel them, or wait until they are over, "
                    "before removing %(name)s from the meeting team.",
                    upcoming,
                )
                % {"name": name, "n": upcoming},
                code="host_has_meetings",
            )
        if not participant.hosts.filter(is_active=True).exclude(pk=host.pk).exists():
            raise DomainError(
                _(
                    "%(name)s is the only person taking meetings for the company. Add a colleague "
                    "first; to stop receiving requests, hide the company from the directory in the "
                    "meeting profile."
                )
                % {"name": name},
                code="last_host",
            )
        host.is_active = False
        host.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="meetings.host_removed",
            obj=host,
            event=participant.event,
            user_id=host.user_id,
        )
    return host


def _check_place(
    event: Any,
    *,
    name: str,
    kind: str,
    capacity: int,
    opens_at: time | None,
    closes_at: time | None,
    exclude: Place | None = None,
) -> None:
    if not name:
        raise DomainError(_("Enter a name."), field="name")
    if capacity is not None and capacity < 2:
        raise DomainError(_("A meeting place seats at least two people."), field="capacity")
    if opens_at and closes_at and opens_at >= closes_at:
        raise DomainError(_("The place must close after it opens."), field="closes_at")
    same = Place.objects.filter(event=event, kind=kind, name=name)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise DomainError(_("A place with this name exists already."), field="name")


def create_place(
    *,
    event: Any,
    actor: User,
    name: str,
    kind: str = Place.Kind.TABLE,
    capacity: int = 4,
    opens_at: time | None = None,
    closes_at: time | None = None,
    walking_id: str = "",
    is_active: bool = True,
) -> Place:
    require_perm(actor, "meetings.manage_meetings", event, _("Only organisers manage meeting places."))
    _check_place(
        event, name=name.strip(), kind=kind, capacity=capacity, opens_at=opens_at, closes_at=closes_at
    )
    with transaction.atomic():
        place = Place.objects.create(
            event=event,
            kind=kind,
            name=name.strip(),
            capacity=capacity,
            opens_at=opens_at,
            closes_at=closes_at,
            walking_id=walking_id,
            is_active=is_active,
        )
        audit.record(actor=actor, action="meetings.place_created", obj=place, event=event)
    return place


PLACE_FIELDS = ("name", "kind", "capacity", "opens_at", "closes_at", "walking_id", "is_active")


def update_place(*, place: Place, actor: User, **values: Any) -> Place:
    """Change some of ``PLACE_FIELDS``. A stand's place stays a stand, a table or room never becomes one.
    Meetings already booked there keep their place."""
    require_perm(actor, "meetings.change_place", place, _("Only organisers manage meeting places."))
    for key in values:
        if key not in PLACE_FIELDS:
            raise DomainError(_("Unknown field."), field=key)
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    if "walking_id" in values:
        values["walking_id"] = (values["walking_id"] or "").strip()
    merged = {k: values.get(k, getattr(place, k)) for k in PLACE_FIELDS}
    if (merged["kind"] == Place.Kind.STAND) != (place.kind == Place.Kind.STAND):
        raise DomainError(_("A stand stays a stand; tables and rooms cannot become stands."), field="kind")
    _check_place(
        place.event,
        name=merged["name"],
        kind=merged["kind"],
        capacity=merged["capacity"],
        opens_at=merged["opens_at"],
        closes_at=merged["closes_at"],
        exclude=place,
    )
    changes = {k: v for k, v in values.items() if getattr(place, k) != v}
    with transaction.atomic():
        for k, v in changes.items():
            setattr(place, k, v)
        if changes:
            place.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action="meetings.place_changed",
            obj=place,
            event=place.event,
            **{k: str(v) for k, v in changes.items()},
        )
    return place


def delete_place(*, place: Place, actor: User) -> None:
    """Delete a table or room and its blockings. Refused while meetings are still to be held
    there (move or cancel them first, or take the place out of use for new bookings)."""
    require_perm(actor, "meetings.change_place", place, _("Only organisers manage meeting places."))
    if place.kind == Place.Kind.STAND:
        raise DomainError(
            _("A stand's meeting place goes with the stand; take it out of use instead."), field="kind"
        )
    with transaction.atomic():
        # a booking at this table waits, then is counted
        booking.lock_resources(place.event, [place.resource_key])
        upcoming = Meeting.objects.filter(
            place=place, status=Meeting.Status.SCHEDULED, end__gt=timezone.now()
        ).count()
        if upcoming:
            raise ConflictError(
                ngettext(
                    "%(name)s still has %(n)d upcoming meeting. Move or cancel it first, or take the place out of use.",
                    "%(name)s still has %(n)d upcoming meetings. Move or cancel them first, or take the place out of use.",
                    upcoming,
                )
                % {"name": place.name, "n": upcoming},
                code="place_has_meetings",
            )
        audit.record(
            actor=actor, action="meetings.place_deleted", obj=place, event=place.event, name=place.name
        )
        place.delete()


def block_place(*, place: Place, actor: User, start: Any, end: Any, reason: str = "") -> PlaceBlocking:
    require_perm(actor, "meetings.manage_meetings", place.event, _("Only organisers manage meeting places."))
    if start >= end:
        raise DomainError(_("The blocking must end after it starts."), field="end")
    event = place.event
    days = sorted(event.days.values_list("date", flat=True))
    if days and (
        start < event.local(days[0], time(0)) or end > event.local(days[-1] + timedelta(days=1), time(0))
    ):
        raise DomainError(
            _("A blocking lies within the show's days (%(first)s to %(last)s).")
            % {"first": date_format(days[0]), "last": date_format(days[-1])},
            field="start",
        )
    with transaction.atomic():
        blocking = PlaceBlocking.objects.create(place=place, start=start, end=end, reason=reason)
        audit.record(actor=actor, action="meetings.place_blocked", obj=place, event=place.event)
    return blocking


def unblock_place(*, blocking: PlaceBlocking, actor: User) -> None:
    """Lift a blocking: the place can be booked at that time again."""
    place = blocking.place
    require_perm(actor, "meetings.manage_meetings", place.event, _("Only organisers manage meeting places."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="meetings.place_unblocked",
            obj=place,
            event=place.event,
            start=blocking.start.isoformat(),
            end=blocking.end.isoformat(),
            reason=blocking.reason,
        )
        blocking.delete()
