"""Who may book, allocate and see money. Objects: the Event, an Organisation, a Booking or an Invoice."""

from __future__ import annotations

import rules

from exhibition.accounts.models import Membership
from exhibition.accounts.roles import roles_for
from exhibition.events.models import Event


def _event(obj):
    if obj is None:
        return None
    return obj if isinstance(obj, Event) else getattr(obj, "event", None)


@rules.predicate
def is_organiser(user, obj) -> bool:
    event = _event(obj)
    return event is not None and roles_for(user, event).is_organiser


@rules.predicate
def is_organiser_admin(user, obj) -> bool:
    event = _event(obj)
    return event is not None and roles_for(user, event).is_organiser_admin


@rules.predicate
def is_exhibitor(user, obj) -> bool:
    event = _event(obj)
    return event is not None and roles_for(user, event).is_exhibitor


@rules.predicate
def admin_of_company(user, organisation) -> bool:
    """``organisation`` is a company of its event and the user is its admin."""
    if organisation is None or getattr(organisation, "kind", None) != "company":
        return False
    return roles_for(user, organisation.event_id).role_in(organisation.pk) == Membership.Role.ADMIN


@rules.predicate
def approved_company(user, organisation) -> bool:
    """Admitted: application approved and no confirmed restricted-party hit."""
    return organisation is not None and organisation.admitted_at is not None


@rules.predicate
def member_of_owner(user, obj) -> bool:
    """The booking's or invoice's company counts the user among its members."""
    return obj is not None and roles_for(user, obj.event_id).role_in(obj.organisation_id) is not None


@rules.predicate
def admin_of_owner(user, obj) -> bool:
    return (
        obj is not None
        and roles_for(user, obj.event_id).role_in(obj.organisation_id) == Membership.Role.ADMIN
    )


# Exhibitor side.
rules.add_perm("booking.view_my_stand", is_exhibitor)  # Event
rules.add_perm("booking.book_stand", admin_of_company & approved_company)  # Organisation
rules.add_perm("booking.view_booking", is_organiser | member_of_owner)  # Booking
rules.add_perm("booking.change_booking", admin_of_owner | is_organiser)  # Booking (confirm / release)
rules.add_perm("booking.view_invoice", is_organiser | admin_of_owner)  # Invoice (company admins only)
rules.add_perm(
    "booking.view_invoices", is_organiser | is_exhibitor
)  # Event (the list: filtered to one's own)
# Organiser side.
rules.add_perm("booking.allocate_stands", is_organiser)  # Event
rules.add_perm("booking.manage_invoices", is_organiser)  # Event
rules.add_perm("booking.record_payment", is_organiser)  # Invoice
rules.add_perm("booking.change_settings", is_organiser_admin)  # Event
