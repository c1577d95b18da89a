"""Who may do what with delegations, programmes and hosting. Checked only through ``user.has_perm``.

Objects: the Event (lists, planning), a Delegation, an exhibiting company (Organisation),
a VisitRequest.
"""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for


def _event_id(obj):
    if obj is None:
        return None
    for attr in ("event_id", "organisation__event_id"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    organisation = getattr(obj, "organisation", None)
    if organisation is not None:
        return organisation.event_id
    delegation = getattr(obj, "delegation", None)
    if delegation is not None:
        return delegation.organisation.event_id
    return getattr(obj, "pk", None)


def _org_id(obj):
    """The delegation's organisation id (for a Delegation or anything with .delegation)."""
    if hasattr(obj, "organisation_id") and hasattr(obj, "official_name"):
        return obj.organisation_id
    delegation = getattr(obj, "delegation", None)
    return delegation.organisation_id if delegation is not None else None


@rules.predicate
def is_organiser(user, obj) -> bool:
    return obj is not None and roles_for(user, _event_id(obj)).is_organiser


@rules.predicate
def is_exhibitor_at_event(user, event) -> bool:
    return event is not None and roles_for(user, event).is_exhibitor


@rules.predicate
def is_in_a_delegation(user, event) -> bool:
    return event is not None and roles_for(user, event).is_delegation


@rules.predicate
def is_delegation_member(user, delegation) -> bool:
    return (
        delegation is not None
        and roles_for(user, _event_id(delegation)).role_in(_org_id(delegation)) is not None
    )


@rules.predicate
def is_head_of_delegation(user, delegation) -> bool:
    return delegation is not None and roles_for(user, _event_id(delegation)).manages(_org_id(delegation))


@rules.predicate
def is_company_member(user, company) -> bool:
    return company is not None and company.pk in roles_for(user, company.event_id).company_ids


@rules.predicate
def manages_company(user, company) -> bool:
    return company is not None and roles_for(user, company.event_id).manages(company.pk)


@rules.predicate
def manages_requested_company(user, request) -> bool:
    return request is not None and roles_for(user, request.company.event_id).manages(request.company_id)


# the event
rules.add_perm("delegations.list_delegations", is_organiser)
rules.add_perm("delegations.plan_programmes", is_organiser)
rules.add_perm("delegations.host_delegations", is_organiser | is_exhibitor_at_event)
rules.add_perm("delegations.view_own_delegation", is_organiser | is_in_a_delegation)
# one delegation
rules.add_perm("delegations.view_delegation", is_organiser | is_delegation_member)
rules.add_perm("delegations.change_delegation", is_organiser | is_head_of_delegation)
rules.add_perm("delegations.view_internal_notes", is_organiser)
rules.add_perm("delegations.manage_programme", is_organiser)
rules.add_perm("delegations.view_programme", is_organiser | is_delegation_member)
rules.add_perm("delegations.request_visit", is_organiser | is_head_of_delegation)
# an exhibiting company
rules.add_perm("delegations.view_hosting", is_organiser | is_company_member)
rules.add_perm("delegations.change_hosting", is_organiser | manages_company)
# a visit request
rules.add_perm("delegations.answer_request", is_organiser | manages_requested_company)
