"""Reads for accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken, EventStaff, Invitation, Membership, Organisation, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created")


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__full_name", "user__email")


def open_invitations(event, organisation: Organisation | None = None) -> QuerySet[Invitation]:
    qs = Invitation.objects.filter(event=event, accepted_at__isnull=True, revoked_at__isnull=True)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.select_related("organisation", "invited_by").order_by("-created_at", "-id")


def organisers_of(event) -> QuerySet[EventStaff]:
    return EventStaff.objects.filter(event=event).select_related("user").order_by("role", "user__full_name")
