"""Reads for accounts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import ApiToken, EventStaff, Invitation, Membership, Organisation, TradeVisitor, User
from .roles import roles_for

# ``event`` is an events.Event, typed Any: accounts sits below events (tests/test_layers.py).


def tokens_of(user: User) -> QuerySet[ApiToken]:
    # knox (ApiToken's base) ships no types: the manager is Any to mypy
    tokens: QuerySet[ApiToken] = ApiToken.objects.filter(user=user).order_by("-created")
    return tokens


def token_of(user: User, key: str) -> ApiToken:
    """One of the user's tokens, by the characters it starts with; 404 if it is not theirs."""
    token = tokens_of(user).filter(token_key=key).first()
    if token is None:
        raise Http404
    return token


def works_with_api(user: User) -> bool:
    """Whether API tokens mean something to the person: organiser staff (gate tablets, scripts),
    members of an admitted exhibiting company (lead exports, a CRM), or anyone who already holds
    a token (to see and revoke it). Not a visitor's or a delegate's concern."""
    return (
        EventStaff.objects.filter(user=user).exists()
        or Membership.objects.filter(
            user=user, role__in=Membership.COMPANY_ROLES, organisation__admitted_at__isnull=False
        ).exists()
        or tokens_of(user).exists()
    )


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__full_name", "user__email")


def open_invitations(event: Any, organisation: Organisation | None = None) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(event=event, accepted_at__isnull=True, revoked_at__isnull=True)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.select_related("organisation", "invited_by").order_by("-created_at", "-id")


def waiting_invitation_emails(event: Any) -> set[str]:
    """Addresses (lower case) with an invitation to the event still waiting and not yet expired:
    ``services.invite`` refuses them another until it is revoked."""
    since = timezone.now() - timedelta(seconds=settings.INVITATION_MAX_AGE)
    return {
        email.lower()
        for email in Invitation.objects.filter(
            event=event, accepted_at__isnull=True, revoked_at__isnull=True, created_at__gt=since
        ).values_list("email", flat=True)
    }


def organisers_of(event: Any) -> QuerySet[EventStaff]:
    return EventStaff.objects.filter(event=event).select_related("user").order_by("role", "user__full_name")


def organisations_for(event: Any, user: User, kind: str | None = None) -> QuerySet[Organisation]:
    """The event's organisations the user may list: all for organisers, their own otherwise;
    of one kind if ``kind`` is a known one."""
    qs = Organisation.objects.filter(event=event).prefetch_related("sectors").order_by("name", "id")
    roles = roles_for(user, event)
    if not roles.is_organiser:
        qs = qs.filter(pk__in=list(roles.memberships))
    if kind in Organisation.Kind.values:
        qs = qs.filter(kind=kind)
    return qs


def organisations_of_event(event: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(event=event).prefetch_related("sectors")


def organisation_of_event(event: Any, pk: int) -> Organisation:
    """The event's organisation ``pk``; 404 if it is not the event's."""
    return get_object_or_404(Organisation, event=event, pk=pk)


def invitations_for(event: Any, user: User) -> QuerySet[Invitation]:
    """Every invitation of the event for organisers; otherwise those of the organisations the
    user manages."""
    roles = roles_for(user, event)
    qs = Invitation.objects.filter(event=event).order_by("-created_at", "-id")
    if not roles.is_organiser:
        qs = qs.filter(organisation_id__in=[oid for oid in roles.memberships if roles.manages(oid)])
    return qs


def invitation_of_event(event: Any, pk: int) -> Invitation:
    return get_object_or_404(Invitation, event=event, pk=pk)


def visitors_of(
    event: Any, status: str | None = None, q: str = "", country: str = ""
) -> QuerySet[TradeVisitor]:
    """The event's trade visitors in registration order, with their user; of one status if
    ``status`` is a known one (anything else: all), whose name, e-mail address or organisation
    holds ``q``, from ``country`` (a two-letter code) when given."""
    qs = TradeVisitor.objects.filter(event=event).select_related("user").order_by("created_at", "id")
    if status in TradeVisitor.Status.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(user__full_name__icontains=q) | Q(user__email__icontains=q) | Q(organisation_name__icontains=q)
        )
    if country:
        qs = qs.filter(country=country.strip().upper()[:2])
    return qs


def visitor_of_event(event: Any, pk: int) -> TradeVisitor:
    return get_object_or_404(TradeVisitor, event=event, pk=pk)


def membership_in(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(Membership, organisation=organisation, pk=pk)


def organiser_of_event(event: Any, pk: int) -> EventStaff:
    return get_object_or_404(EventStaff, event=event, pk=pk)
