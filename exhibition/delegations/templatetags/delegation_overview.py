"""The head of delegation's landing page: what is planned, and what is still to do."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Delegation, Programme, PublishedVisit, VisitRequest
from ..selectors import programme_days

register = template.Library()


@register.simple_tag
def delegation_overview(organisation) -> dict[str, Any] | None:
    """Counts and the days at a glance for the delegation of ``organisation`` (None if none)."""
    delegation = (
        Delegation.objects.filter(organisation=organisation).select_related("organisation__event").first()
    )
    if delegation is None:
        return None
    days = [pd for pd in programme_days(delegation, published=True) if pd.items]
    programme = Programme.objects.filter(delegation=delegation).first()
    interests = list(delegation.interests.values_list("sector_id", "exhibitor_id"))
    return {
        "delegation": delegation,
        "members": delegation.members.count(),
        "sectors": sum(1 for s, _e in interests if s),
        "exhibitors": sum(1 for _s, e in interests if e),
        "days_on_site": delegation.days.count(),
        "visits": PublishedVisit.objects.filter(delegation=delegation).count(),
        "published_at": programme.published_at if programme else None,
        "pending_requests": VisitRequest.objects.filter(
            delegation=delegation, status=VisitRequest.Status.PENDING
        ).count(),
        "days": [
            {
                "date": pd.date,
                "start": pd.items[0].start,
                "end": pd.items[-1].end,
                "visits": len(pd.visits),
                "lunch": pd.lunch,
                "start_name": pd.start_name,
            }
            for pd in days
        ],
    }
