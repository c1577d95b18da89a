"""Reads for events: which events a user sees, and the organiser's summary figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q, QuerySet

from exhibition.accounts.models import Organisation, TradeVisitor

from .models import Event

SummaryProvider = Callable[[Event], dict[str, Any]]
_summary_providers: list[SummaryProvider] = []


def summary_provider(func: SummaryProvider) -> SummaryProvider:
    """Domains register the figures they add to the event summary (stands, meetings, ...)."""
    _summary_providers.append(func)
    return func


def events_for_user(user: Any) -> QuerySet[Event]:
    """Public events plus every event the user has a role in."""
    q = Q(is_public=True)
    if getattr(user, "is_authenticated", False):
        q |= Q(staff__user=user) | Q(organisations__memberships__user=user) | Q(visitors__user=user)
    return Event.objects.filter(q).distinct().prefetch_related("days").order_by("name")


def event_with_days(slug: str) -> Event:
    return Event.objects.prefetch_related("days", "halls").get(slug=slug)


@summary_provider
def _accounts_summary(event: Event) -> dict[str, Any]:
    orgs = Organisation.objects.filter(event=event).aggregate(
        companies=Count("id", filter=Q(kind=Organisation.Kind.COMPANY)),
        delegations=Count("id", filter=Q(kind=Organisation.Kind.DELEGATION)),
    )
    visitors = dict(
        TradeVisitor.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "exhibitors": {"total": orgs["companies"]},
        "delegations": {"total": orgs["delegations"]},
        "visitors": {
            "total": sum(visitors.values()),
            "by_status": {s: visitors.get(s, 0) for s in TradeVisitor.Status.values},
        },
    }


def event_summary(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"event": event.slug}
    for provider in _summary_providers:
        for key, value in provider(event).items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key].update(value)
            else:
                out[key] = value
    return out
