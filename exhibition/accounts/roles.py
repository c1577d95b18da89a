"""A person's admission at one event: the single source every permission predicate reads.

At a security show only vetted professionals get anywhere. A person is *admitted* at an
event as

* organiser staff;
* a member of an exhibiting company whose application is approved and whose
  restricted-party screening is not confirmed (``Organisation.admitted_at``);
* a member of an official delegation the organiser registered and has not withdrawn;
* a trade visitor approved by vetting;

and only once their e-mail address is proved. Everything a person may do at an event
(meetings, delegations, hosting, directory listing, staff and badges, calendar feeds)
derives from this and nothing else. A member of a company that is not (or no longer)
admitted is an *applicant*: they may edit and follow their own application, nothing more.

Computed with three queries and cached on the user object for the request, so a page that
checks many objects of one event does not query per check. Services that change admission
call :func:`forget_roles`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .models import EventStaff, Membership, Organisation, TradeVisitor


@dataclass(frozen=True)
class EventRoles:
    organiser: str | None = None  # "admin" | "staff" | None
    # Admitted organisations only: organisation id -> membership role.
    memberships: dict[int, str] = field(default_factory=dict)
    company_ids: frozenset[int] = frozenset()
    delegation_ids: frozenset[int] = frozenset()
    visitor_status: str | None = None
    # Organisations the person belongs to that are not admitted (an application in
    # progress, rejected, withdrawn, or a confirmed screening hit): id -> membership role.
    applications: dict[int, str] = field(default_factory=dict)
    # False while the person has not proved their e-mail address: then nothing else counts.
    email_verified: bool = True

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
        """Registered as a visitor, whatever the vetting says (for the landing page)."""
        return self.visitor_status is not None

    @property
    def is_approved_visitor(self) -> bool:
        return self.visitor_status == TradeVisitor.Status.APPROVED

    @property
    def is_admitted(self) -> bool:
        return self.is_organiser or bool(self.memberships) or self.is_approved_visitor

    @property
    def any(self) -> bool:
        """Admitted in any capacity (what private event pages require)."""
        return self.is_admitted

    @property
    def involved(self) -> bool:
        """Admitted, applying or waiting for vetting: the event belongs in the person's list."""
        return self.is_admitted or bool(self.applications) or self.is_visitor

    @property
    def state(self) -> str:
        """One word for the person's admission, for pages, the API and the audit log."""
        if not self.email_verified:
            return "unverified"
        if self.is_organiser:
            return "organiser"
        if self.company_ids:
            return "exhibitor"
        if self.delegation_ids:
            return "delegation"
        if self.is_approved_visitor:
            return "visitor"
        if self.applications:
            return "applicant"
        if self.visitor_status:
            return f"visitor_{self.visitor_status}"
        return "none"

    def role_in(self, organisation_id: int | None) -> str | None:
        """The person's role in an *admitted* organisation (None otherwise)."""
        return self.memberships.get(organisation_id) if organisation_id is not None else None

    def manages(self, organisation_id: int | None) -> bool:
        return self.role_in(organisation_id) in (Membership.Role.ADMIN, Membership.Role.LEAD)

    def applicant_role_in(self, organisation_id: int | None) -> str | None:
        """The person's role in an organisation, admitted or not (to follow an application)."""
        if organisation_id is None:
            return None
        return self.memberships.get(organisation_id) or self.applications.get(organisation_id)

    def labels(self) -> list[str]:
        out = []
        if self.organiser:
            out.append(f"organiser_{self.organiser}")
        out += sorted(
            {
                f"{'company' if oid in self.company_ids else 'delegation'}_{r}"
                for oid, r in self.memberships.items()
            }
        )
        if self.applications:
            out.append("applicant")
        if self.visitor_status:
            out.append("visitor" if self.is_approved_visitor else f"visitor_{self.visitor_status}")
        return out


NO_ROLES = EventRoles()
UNVERIFIED = EventRoles(email_verified=False)


def roles_for(user: Any, event: Any) -> EventRoles:
    if user is None or not getattr(user, "is_authenticated", False) or event is None:
        return NO_ROLES
    if not user.is_active:
        return NO_ROLES
    if getattr(user, "email_verified_at", None) is None:
        return UNVERIFIED
    event_id = event if isinstance(event, int) else event.pk
    # request.user is a lazy proxy while predicates get the real user: cache on the real one.
    user = getattr(user, "_wrapped", user)
    cache: dict[int, EventRoles] = user.__dict__.setdefault("_event_roles", {})
    if event_id not in cache:
        staff = EventStaff.objects.filter(event_id=event_id, user=user).values_list("role", flat=True).first()
        rows = list(
            Membership.objects.filter(user=user, organisation__event_id=event_id).values_list(
                "organisation_id", "organisation__kind", "role", "organisation__admitted_at"
            )
        )
        visitor = (
            TradeVisitor.objects.filter(event_id=event_id, user=user).values_list("status", flat=True).first()
        )
        admitted = [(oid, kind, role) for oid, kind, role, at in rows if at is not None]
        cache[event_id] = EventRoles(
            organiser=staff,
            memberships={oid: role for oid, _kind, role in admitted},
            company_ids=frozenset(oid for oid, kind, _r in admitted if kind == Organisation.Kind.COMPANY),
            delegation_ids=frozenset(
                oid for oid, kind, _r in admitted if kind == Organisation.Kind.DELEGATION
            ),
            visitor_status=visitor,
            applications={oid: role for oid, _kind, role, at in rows if at is None},
        )
    return cache[event_id]


def forget_roles(user: Any) -> None:
    """Drop the cached roles after a service changed them."""
    if user is not None:
        getattr(user, "_wrapped", user).__dict__.pop("_event_roles", None)
