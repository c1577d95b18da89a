"""Whether a badge's holder is admitted now: in Python for one badge (the gate, printing), and
as a query condition for many (batch printing, the revocation list). Both read the same rows as
``accounts.roles``: the organiser's staff list, the organisation's admission, the visitor's
vetting, and the badge request or delegation member the badge was issued for."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from exhibition.accounts.models import EventStaff, TradeVisitor

from .models import Badge

# select_related() a badge needs for holder_admitted() without further queries (but organisers).
HOLDER_RELATED = ("category", "visitor", "organisation", "user")


def holder_admitted(badge: Badge) -> bool:
    if badge.user_id is not None and badge.user is not None and not badge.user.is_active:
        return False
    source = badge.source
    if source == Badge.Source.ORGANISER:
        return (
            badge.user_id is not None
            and EventStaff.objects.filter(event_id=badge.event_id, user_id=badge.user_id).exists()
        )
    if source == Badge.Source.VISITOR:
        return badge.visitor is not None and badge.visitor.status == TradeVisitor.Status.APPROVED
    if source == Badge.Source.EXHIBITOR:
        return (
            badge.badge_request_id is not None
            and badge.organisation is not None
            and badge.organisation.admitted_at is not None
        )
    if source == Badge.Source.DELEGATION:
        return (
            badge.delegation_member_id is not None
            and badge.organisation is not None
            and badge.organisation.admitted_at is not None
        )
    # Issued by the organiser: admitted by that decision, and with its organisation if it has one.
    return badge.organisation_id is None or (
        badge.organisation is not None and badge.organisation.admitted_at is not None
    )


def admitted_q() -> Q:
    """Badges whose holder is admitted now."""
    staff = EventStaff.objects.filter(event_id=OuterRef("event_id"), user_id=OuterRef("user_id"))
    active_user = Q(user__isnull=True) | Q(user__is_active=True)
    org_ok = Q(organisation__admitted_at__isnull=False)
    return active_user & (
        (Q(source=Badge.Source.ORGANISER) & Exists(staff))
        | Q(source=Badge.Source.VISITOR, visitor__status=TradeVisitor.Status.APPROVED)
        | (Q(source=Badge.Source.EXHIBITOR, badge_request__isnull=False) & org_ok)
        | (Q(source=Badge.Source.DELEGATION, delegation_member__isnull=False) & org_ok)
        | (Q(source=Badge.Source.MANUAL) & (Q(organisation__isnull=True) | org_ok))
    )
