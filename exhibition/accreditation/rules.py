"""Who may do what with badges, gates and leads. Checked only through ``user.has_perm``.

Objects: the Event (organiser screens, one's own badge, scanners), an Organisation (its badges,
its leads), a Badge."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for
from exhibition.events.models import Event


def _event_id(obj):
    if obj is None:
        return None
    return obj.pk if isinstance(obj, Event) else getattr(obj, "event_id", None)


@rules.predicate
def is_organiser(user, obj) -> bool:
    return obj is not None and roles_for(user, _event_id(obj)).is_organiser


@rules.predicate
def is_admitted(user, event) -> bool:
    return event is not None and roles_for(user, event).is_admitted


@rules.predicate
def is_exhibitor(user, event) -> bool:
    return event is not None and roles_for(user, event).is_exhibitor


@rules.predicate
def is_device_of(user, event) -> bool:
    """A registered, not withdrawn scanner of this event (see ``auth.DevicePrincipal``)."""
    device = getattr(user, "device", None)
    return (
        event is not None and device is not None and device.event_id == event.pk and device.revoked_at is None
    )


@rules.predicate
def is_approved_visitor(user, event) -> bool:
    return event is not None and roles_for(user, event).is_approved_visitor


@rules.predicate
def self_printable(user, badge) -> bool:
    """A badge its holder prints: its category allows it, or it came through an organisation
    (exhibitor staff, delegations), which vetted its people."""
    return badge is not None and (badge.category.self_print or badge.organisation_id is not None)


@rules.predicate
def manages_organisation(user, organisation) -> bool:
    return organisation is not None and roles_for(user, organisation.event_id).manages(organisation.pk)


@rules.predicate
def is_company_member(user, organisation) -> bool:
    if organisation is None or organisation.kind != "company":
        return False
    return roles_for(user, organisation.event_id).role_in(organisation.pk) is not None


@rules.predicate
def holds_badge(user, badge) -> bool:
    return (
        badge is not None
        and badge.user_id is not None
        and badge.user_id == getattr(user, "pk", None)
        and roles_for(user, badge.event_id).is_admitted
    )


@rules.predicate
def manages_badge_organisation(user, badge) -> bool:
    return (
        badge is not None
        and badge.organisation_id is not None
        and roles_for(user, badge.event_id).manages(badge.organisation_id)
    )


# Organiser screens and API (obj: the Event)
rules.add_perm("accreditation.manage", is_organiser)
# One's own badge (obj: the Event): every admitted person
rules.add_perm("accreditation.view_own_badge", is_admitted)
# Asking for one's own badge at the desk-free counter (obj: the Event): organisers, approved visitors
rules.add_perm("accreditation.issue_own_badge", is_organiser | is_approved_visitor)
# Printing one's own badge oneself (obj: the Badge)
rules.add_perm("accreditation.print_own_badge", holds_badge & (is_organiser | self_printable))
# A badge (obj: the Badge)
rules.add_perm("accreditation.view_badge", is_organiser | holds_badge | manages_badge_organisation)
# An organisation's badges (obj: the Organisation): the organiser, the company admin, the head of delegation
rules.add_perm("accreditation.manage_organisation_badges", is_organiser | manages_organisation)
# Leads: every admitted member of an exhibiting company captures them (obj: the Event) and sees
# their company's (obj: the Organisation); leads are the company's, not the organiser's
rules.add_perm("accreditation.capture_leads", is_exhibitor)
rules.add_perm("accreditation.view_leads", is_company_member)
# Scanners (obj: the Event): only a registered device of the event
rules.add_perm("accreditation.redeem", is_device_of)
