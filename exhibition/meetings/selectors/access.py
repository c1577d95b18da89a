"""Who the user acts for at the show, and access-checked fetches of participants, requests
and meetings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from exhibition.accounts.models import Organisation, TradeVisitor
from exhibition.accounts.roles import roles_for
from exhibition.core.ids import as_id

from ..models import (
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    Participant,
    Place,
)

# --- who am I ------------------------------------------------------------------------------


def participants_for_user(event: Any, user: Any) -> list[Participant]:
    """The participants the user acts for at this event (visitor first, then organisations)."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = roles_for(user, event)
    mine = Q(organisation_id__in=list(roles.memberships))
    if roles.is_approved_visitor:
        mine |= Q(kind=Participant.Kind.VISITOR, user=user)
    return list(Participant.objects.filter(event=event).filter(mine).order_by("kind", "id"))


def acting_participant(
    event: Any, user: Any, participant_id: Any = None, mine: list[Participant] | None = None
) -> Participant | None:
    """The participant the user acts for now (``participant_id``, as typed in ``?as=``, if one
    of theirs, else the first), or None when they have none yet or ``participant_id`` is not
    one of theirs (nor an id at all): a read never creates one (the service
    ``ensure_acting_participant`` does, on first use)."""
    if mine is None:
        mine = participants_for_user(event, user)
    if participant_id:
        pk = as_id(participant_id)
        return next((p for p in mine if p.pk == pk), None)
    return mine[0] if mine else None


def first_identity(event: Any, user: Any) -> dict[str, Any] | None:
    """Whom a user without a participant yet would act for: their approved visitor record
    (``{"visitor": ...}``), else their first company, else their first delegation
    (``{"organisation": ...}``); None if nobody."""
    roles = roles_for(user, event)
    if roles.is_approved_visitor:
        return {"visitor": TradeVisitor.objects.filter(event=event, user=user).select_related("user").first()}
    org_id = next(iter(sorted(roles.company_ids)), None) or next(iter(sorted(roles.delegation_ids)), None)
    if org_id:
        return {"organisation": Organisation.objects.get(pk=org_id)}
    return None


def participant_for(user: Any, event: Any, pk: int, perm: str = "meetings.view_participant") -> Participant:
    p = (
        Participant.objects.filter(event=event, pk=pk)
        .select_related("stand", "event", "organisation", "visitor")
        .first()
    )
    if p is None or (not p.is_admitted and not roles_for(user, event).is_organiser):
        raise Http404
    if not user.has_perm(perm, p):
        raise PermissionDenied
    return p


def request_for(user: Any, event: Any, pk: int, perm: str = "meetings.view_request") -> MeetingRequest:
    req = (
        MeetingRequest.objects.filter(event=event, pk=pk)
        .select_related("sender", "recipient", "event")
        .first()
    )
    if req is None:
        raise Http404
    if not user.has_perm(perm, req):
        raise PermissionDenied
    return req


def meeting_for(user: Any, event: Any, pk: int, perm: str = "meetings.view_meeting") -> Meeting:
    m = (
        Meeting.objects.filter(event=event, pk=pk)
        .select_related(
            "sender__visitor",
            "recipient__visitor",
            "place",
            "host__user",
            "sender_host__user",
            "event",
        )
        .first()
    )
    if m is None:
        raise Http404
    if not user.has_perm(perm, m):
        raise PermissionDenied
    return m


# --- plain fetches of the event's objects (the caller checks the permission) ------------------


def participant_in(event: Any, pk: Any) -> Participant:
    """The event's participant ``pk`` (404 otherwise)."""
    found = Participant.objects.filter(event=event, pk=pk).first()
    if found is None:
        raise Http404
    return found


def participant_reloaded(participant: Participant) -> Participant:
    """A fresh copy of the participant from the database (for a form bound to it)."""
    return Participant.objects.get(pk=participant.pk)


def place_in(event: Any, pk: Any) -> Place | None:
    """The event's place ``pk`` (404 if not the event's), or None when no place is given."""
    if not pk:
        return None
    found = Place.objects.filter(event=event, pk=pk).first()
    if found is None:
        raise Http404
    return found


def host_among(participant_ids: list[int], pk: Any) -> ExhibitorHost | None:
    """The host ``pk`` of one of the participants (404 otherwise), or None when no host is given."""
    if not pk:
        return None
    found = ExhibitorHost.objects.filter(participant_id__in=participant_ids, pk=pk).first()
    if found is None:
        raise Http404
    return found


def meeting_with_people(meeting: Meeting) -> Meeting:
    """The meeting read again with its participants, place and hosts (to show it after a change)."""
    return Meeting.objects.select_related(
        "sender", "recipient", "place", "host__user", "sender_host__user"
    ).get(pk=meeting.pk)
