"""Inboxes, agendas and free slots."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from exhibition.delegations.models import PublishedVisit
from exhibition.delegations.selectors import Appointment
from exhibition.floorplans.selectors import walking_graph

from ..models import (
    AgendaItem,
    Booking,
    Meeting,
    MeetingRequest,
    Participant,
    Place,
)
from ..slots import day_slots

# --- inbox ---------------------------------------------------------------------------------


def requests_received(participant: Participant) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(recipient=participant)
        .select_related("sender", "recipient", "meeting", "round")
        .order_by("-created_at", "-id")
    )


def requests_sent(participant: Participant) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(sender=participant)
        .select_related("sender", "recipient", "meeting", "round")
        .order_by("-created_at", "-id")
    )


def requests_for_event(event: Any) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(event=event)
        .select_related("sender", "recipient")
        .order_by("-created_at", "-id")
    )


# --- meetings and agenda --------------------------------------------------------------------


def meetings_for_participant(
    event: Any, participant: Participant, *, include_cancelled: bool = False
) -> QuerySet[Meeting]:
    qs = (
        Meeting.objects.filter(event=event)
        .filter(Q(sender=participant) | Q(recipient=participant))
        .select_related("sender", "recipient", "place", "host__user", "sender_host__user", "place__stand")
    )
    if not include_cancelled:
        qs = qs.exclude(status=Meeting.Status.CANCELLED)
    return qs.order_by("start", "id")


def meetings_for_event(event: Any) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(event=event)
        .select_related("sender", "recipient", "place", "host__user", "sender_host__user")
        .order_by("start", "id")
    )


def delegation_appointments(delegation: Any) -> list[Appointment]:
    """The delegation's B2B meetings, as its programme shows them among its stand visits (the
    same meetings as its agenda: all but the cancelled ones). Registered with
    ``delegations.selectors.appointments_provider``."""
    event = delegation.organisation.event
    participant = Participant.objects.filter(
        event=event, kind=Participant.Kind.DELEGATION, organisation_id=delegation.organisation_id
    ).first()
    if participant is None:
        return []
    out = []
    for m in meetings_for_participant(event, participant):
        other = m.recipient if m.sender_id == participant.pk else m.sender
        host = m.host_for(other.pk)  # who takes the meeting on the other side
        where, place = _where(m)
        out.append(
            Appointment(
                start=m.start,
                end=m.end,
                counterpart=other.name,
                where=where,
                place=place,
                contact=host.user.get_full_name() if host is not None else "",
                uid=m.uid,
                sequence=m.sequence,
            )
        )
    return out


def agenda_items_for(event: Any, participant: Participant) -> QuerySet[AgendaItem]:
    q = Q(participant=participant)
    if participant.kind == Participant.Kind.EXHIBITOR:
        q |= Q(host__participant=participant)
    return (
        AgendaItem.objects.filter(event=event).filter(q).select_related("host__user").order_by("start", "id")
    )


@dataclass
class AgendaEntry:
    start: datetime
    end: datetime
    title: str
    where: str
    walking_id: str
    meeting: Meeting | None = None
    item: AgendaItem | None = None
    walk_minutes: float | None = None
    walk_note: str = ""
    kind_label: str = ""
    walk_from: str = ""


def _where(m: Meeting) -> tuple[str, str]:
    if m.place is None:
        return "", ""
    return str(m.place), (m.place.walking_id or (m.place.stand.number if m.place.stand is not None else ""))


def hosted_visits(event: Any, participant: Participant) -> QuerySet[PublishedVisit]:
    """The delegation visits published at an exhibitor's stands (none for anybody else)."""
    if participant.kind != Participant.Kind.EXHIBITOR or not participant.organisation_id:
        return PublishedVisit.objects.none()
    return (
        PublishedVisit.objects.filter(stand__event=event, stand__exhibitor_id=participant.organisation_id)
        .select_related("delegation__organisation", "stand")
        .order_by("start", "pk")
    )


def visits_behind(items: list[AgendaItem]) -> dict[str, PublishedVisit]:
    """The published delegation visits that agenda items mirror (``delegations.visit:<uid>`` in a
    delegation's agenda, ``delegations.hosting:<uid>`` in its host's), by uid."""
    uids = []
    for it in items:
        source, _sep, uid = it.source.partition(":")
        if source in ("delegations.visit", "delegations.hosting"):
            try:
                uids.append(uuid.UUID(uid))
            except ValueError:
                continue
    found = PublishedVisit.objects.filter(uid__in=uids).select_related(
        "delegation__organisation", "stand__exhibitor"
    )
    return {str(v.uid): v for v in found}


def _visit_title(v: PublishedVisit) -> str:
    """A delegation's visit as the delegation reads it: whom it visits."""
    exhibitor = v.stand.exhibitor
    if exhibitor is None:
        return _("Visit to stand %(number)s") % {"number": v.stand.number}
    return _("Visit to %(company)s") % {"company": exhibitor.name}


def _hosted_title(v: PublishedVisit) -> str:
    """A delegation's visit as the exhibitor hosting it reads it: who comes."""
    return _("Delegation visit: %(name)s") % {"name": v.delegation.organisation.name}


def item_words(it: AgendaItem, visits: dict[str, PublishedVisit]) -> tuple[str, str, PublishedVisit | None]:
    """An agenda item's title and place, and the published visit it mirrors (None for another item):
    a visit is said in the reader's language, whatever language the item was stored in."""
    source, _sep, uid = it.source.partition(":")
    if source == "delegations.lunch":  # a delegation's lunch break
        return _("Lunch break"), it.place_label, None
    v = visits.get(uid) if source in ("delegations.visit", "delegations.hosting") else None
    if v is None:
        return it.title, it.place_label, None
    title = _hosted_title(v) if source == "delegations.hosting" else _visit_title(v)
    return title, _("Stand %(number)s") % {"number": v.stand.number}, v


def agenda(
    event: Any, participant: Participant, day: date | None = None, *, walking: bool = True
) -> list[AgendaEntry]:
    """Meetings, other agenda items and (for an exhibitor) the delegation visits it hosts, in time
    order; each entry following another at a different place the same day gets the walking time
    from the previous place when both are on the plan (errors of the walking graph are shown,
    not raised)."""
    tz = event.tz
    entries = []
    for m in meetings_for_participant(event, participant):
        if day and m.start.astimezone(tz).date() != day:
            continue
        other = m.recipient if m.sender_id == participant.pk else m.sender
        where, wid = _where(m)
        mine = m.host_for(participant.pk)
        title = other.name + (f" · {mine.user.get_full_name()}" if mine is not None else "")
        entries.append(AgendaEntry(m.start, m.end, title, where, wid, meeting=m))
    items = list(agenda_items_for(event, participant))
    visits = visits_behind(items)
    mirrored = set()
    for it in items:
        mirrored.add(it.source.partition(":")[2])
        if day and it.start.astimezone(tz).date() != day:
            continue
        title, where, v = item_words(it, visits)
        kind = str(it.get_kind_display()) if v is None else ""
        entries.append(AgendaEntry(it.start, it.end, title, where, it.walking_id, item=it, kind_label=kind))
    for v in hosted_visits(event, participant):
        if str(v.uid) in mirrored or (day and v.start.astimezone(tz).date() != day):
            continue
        entries.append(
            AgendaEntry(
                v.start,
                v.end,
                _hosted_title(v),
                _("Stand %(number)s") % {"number": v.stand.number},
                v.stand.number,
            )
        )
    entries.sort(key=lambda e: (e.start, e.title))
    pairs = [
        (prev, cur)
        for prev, cur in pairwise(entries)
        if prev.walking_id
        and cur.walking_id
        and prev.walking_id != cur.walking_id
        and prev.start.astimezone(tz).date() == cur.start.astimezone(tz).date()
    ]
    if walking and pairs:
        try:
            graph = walking_graph(event)  # once per page: route_between() would load it per pair
        except Exception as exc:  # noqa: BLE001 - no plan yet: show, do not fail
            graph, note = None, _("No walking route: %s") % exc
        for prev, cur in pairs:
            cur.walk_from = prev.where or prev.walking_id
            try:
                if graph is None:
                    raise RuntimeError(note)
                cur.walk_minutes = max(1, round(graph.route(prev.walking_id, cur.walking_id).minutes))
            except Exception as exc:  # noqa: BLE001 - unknown place, unreachable: show, do not fail
                cur.walk_note = _("No walking route: %s") % exc
    return entries


def agenda_has_walks(entries: list[AgendaEntry]) -> bool:
    """Whether the agenda's "Walk" column has anything to show."""
    return any(e.walk_minutes is not None or e.walk_note for e in entries)


def busy_resources(event: Any, keys: list[str]) -> dict[str, list[tuple[datetime, datetime]]]:
    out: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for r, s, e in Booking.objects.filter(event=event, resource__in=keys).values_list(
        "resource", "start", "end"
    ):
        out[r].append((s, e))
    return out


def free_slots(
    event: Any,
    a: Participant,
    b: Participant,
    *,
    place: Place | None = None,
    exclude_meeting: Meeting | None = None,
) -> list[tuple[datetime, datetime]]:
    """Slots in which both sides (for an exhibitor: at least one host) and the place are free."""

    def side(p: Participant) -> list[str]:
        if p.kind == Participant.Kind.EXHIBITOR:
            return [f"u:{u}" for u in p.hosts.filter(is_active=True).values_list("user_id", flat=True)]
        return [p.resource_key]

    groups = [side(a), side(b)] + ([[place.resource_key]] if place is not None and place.is_bookable else [])
    keys = [k for g in groups for k in g]
    qs = Booking.objects.filter(event=event, resource__in=keys)
    if exclude_meeting is not None:
        qs = qs.exclude(meeting=exclude_meeting)
    busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for r, s, e in qs.values_list("resource", "start", "end"):
        busy[r].append((s, e))
    out = []
    for d in event.days.all().order_by("date"):
        for s, e in day_slots(event, d):
            if all(
                any(not any(bs < e and s < be for bs, be in busy.get(k, [])) for k in g) for g in groups if g
            ):
                out.append((s, e))
    return out
