"""What a user is at one event: the single source the permission predicates read.

Computed with two queries and cached on the user object for the request, so a page
that checks many objects of one event does not query per check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import EventStaff, Membership, TradeVisitor


@dataclass(frozen=True)
class EventRoles:
    organiser: str | None = None  # "admin" | "staff" | None
    memberships: dict[int, str] = field(default_factory=dict)  # organisation id -> membership role
    company_ids: frozenset[int] = frozenset()
    delegation_ids: frozenset[int] = frozenset()
    visitor_status: str | None = None

    @property
    def is_organiser(self) -> bool:
        return self.organiser is not None

    @property
    def is_organiser_admin(self) -> bool:
        return self.organiser == EventStaff.Role.ADMIN

    @property
    def is_exhibitor(self) -> bool:
        return bool(self.company_ids)

    @property
    def is_delegation(self) -> bool:
        return bool(self.delegation_ids)

    @property
    def is_visitor(self) -> bool:
        return self.visitor_status is not None

    @property
    def is_approved_visitor(self) -> bool:
        return self.visitor_status == TradeVisitor.Status.APPROVED

    @property
    def any(self) -> bool:
        return self.is_organiser or bool(self.memberships) or self.is_visitor

    def role_in(self, organisation_id: int) -> str | None:
        return self.memberships.get(organisation_id)

    def manages(self, organisation_id: int) -> bool:
        return self.memberships.get(organisation_id) in (Membership.Role.ADMIN, Membership.Role.LEAD)

    def labels(self) -> list[str]:
        out = []
        if self.organiser:
            out.append(f"organiser_{self.organiser}")
        out += sorted({f"{'company' if oid in self.company_ids else 'delegation'}_{r}" for oid, r in self.memberships.items()})
        if self.visitor_status:
            out.append("visitor")
        return out


NO_ROLES = EventRoles()


def roles_for(user: Any, event: Any) -> EventRoles:
    if user is None or not getattr(user, "is_authenticated", False) or event is None:
        return NO_ROLES
    event_id = event if isinstance(event, int) else event.pk
    cache: dict[int, EventRoles] = user.__dict__.setdefault("_event_roles", {})
    if event_id not in cache:
        staff = EventStaff.objects.filter(event_id=event_id, user=user).values_list("role", flat=True).first()
        rows = list(
            Membership.objects.filter(user=user, organisation__event_id=event_id).values_list(
                "organisation_id", "organisation__kind", "role"
            )
        )
        visitor = TradeVisitor.objects.filter(event_id=event_id, user=user).values_list("status", flat=True).first()
        cache[event_id] = EventRoles(
            organiser=staff,
            memberships={oid: role for oid, _kind, role in rows},
            company_ids=frozenset(oid for oid, kind, _r in rows if kind == "company"),
            delegation_ids=frozenset(oid for oid, kind, _r in rows if kind == "delegation"),
            visitor_status=visitor,
        )
    return cache[event_id]


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a service changed them."""
    user.__dict__.pop("_event_roles", None)
