"""Who the user acts for at the show, and access-checked fetches of participants, requests
and meetings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from exhibition.accounts.models import Organisation, TradeVisitor
from exhibition.accounts.roles import roles_for

from ..models import (
    Meeting,
    MeetingRequest,
    Participant,
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
    event: Any, user: Any, participant_id: int | None = None, mine: list[Participant] | None = None
) -> Participant | None:
    """The participant the user acts for now; creates it on first use (visitor, company or delegation)."""
    from ..services import ensure_participant

    if mine is None:
        mine = participants_for_user(event, user)
    if participant_id:
        return next((p for p in mine if p.pk == int(participant_id)), None)
    if mine:
        return mine[0]
    roles = roles_for(user, event)
    if roles.is_approved_visitor:
        tv = TradeVisitor.objects.filter(event=event, user=user).select_related("user").first()
        return ensure_participant(event=event, visitor=tv)
    org_id = next(iter(sorted(roles.company_ids)), None) or next(iter(sorted(roles.delegation_ids)), None)
    if org_id:
        return ensure_participant(
            event=event, organisation=Organisation.objects.get(pk=org_id), host_user=user
        )
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
        .select_related("sender", "recipient", "place", "host__user", "sender_host__user", "event")
        .first()
    )
    if m is None:
        raise Http404
    if not user.has_perm(perm, m):
        raise PermissionDenied
    return m
