"""Who may do what in exhibitor registration. Checked only through ``user.has_perm``.

Objects: the Event (list/create/manage), Application, ApplicationDocument, ScreeningHit,
Organisation (portal, staff, badges), ExhibitorProfile."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for
from exhibition.events.models import Event


def _event(obj):
    return getattr(obj, "event", None) if obj is not None else None


def _org_id(obj):
    if obj is None or isinstance(obj, Event):
        return None
    if hasattr(obj, "organisation_id"):
        return obj.organisation_id
    if hasattr(obj, "application"):
        return obj.application.organisation_id
    return obj.pk  # an Organisation


def _event_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Event):
        return obj
    if hasattr(obj, "event_id"):
        return obj.event_id
    return _event(obj)


@rules.predicate
def is_organiser(user, obj) -> bool:
    return obj is not None and roles_for(user, _event_of(obj)).is_organiser


@rules.predicate
def is_organiser_admin(user, obj) -> bool:
    return obj is not None and roles_for(user, _event_of(obj)).is_organiser_admin


@rules.predicate
def is_company_member(user, obj) -> bool:
    oid = _org_id(obj)
    return oid is not None and roles_for(user, _event_of(obj)).role_in(oid) is not None


@rules.predicate
def is_company_admin(user, obj) -> bool:
    oid = _org_id(obj)
    return oid is not None and roles_for(user, _event_of(obj)).manages(oid)


@rules.predicate
def is_applicant_member(user, obj) -> bool:
    """A member of the company behind an application, admitted or not (applicants follow
    their own application and nothing more)."""
    oid = _org_id(obj)
    return oid is not None and roles_for(user, _event_of(obj)).applicant_role_in(oid) is not None


@rules.predicate
def is_applicant_admin(user, obj) -> bool:
    oid = _org_id(obj)
    return oid is not None and roles_for(user, _event_of(obj)).applicant_role_in(oid) == "admin"


@rules.predicate
def has_proved_email(user, event) -> bool:
    return roles_for(user, event).email_verified


@rules.predicate
def is_company(user, obj) -> bool:
    oid = _org_id(obj)
    if obj is None or oid is None:
        return False
    org = getattr(obj, "organisation", obj)
    return getattr(org, "kind", "company") == "company"


@rules.predicate
def is_signed_in(user, event) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and event is not None


@rules.predicate
def event_is_public(user, event) -> bool:
    return event is not None and getattr(event, "is_public", False)


@rules.predicate
def is_admitted_exhibitor(user, obj) -> bool:
    """The company is admitted: application approved, no confirmed restricted-party hit."""
    return obj is not None and getattr(obj, "admitted_at", None) is not None


# Applications (obj: Event for list/create, Application for the rest)
rules.add_perm("exhibitors.apply", is_signed_in & has_proved_email & (event_is_public | is_organiser))
rules.add_perm("exhibitors.view_application", is_organiser | is_applicant_member)
rules.add_perm("exhibitors.change_application", is_applicant_admin)
rules.add_perm("exhibitors.submit_application", is_applicant_admin)
rules.add_perm("exhibitors.withdraw_application", is_applicant_admin)
rules.add_perm("exhibitors.review_application", is_organiser)
rules.add_perm("exhibitors.view_screening", is_organiser)  # hits, screening status, internal notes
rules.add_perm("exhibitors.view_document", is_organiser | is_applicant_member)
rules.add_perm("exhibitors.add_document", is_applicant_admin)
# Screening (obj: Event or ScreeningHit)
rules.add_perm("exhibitors.manage_screening", is_organiser)
rules.add_perm("exhibitors.resolve_hit", is_organiser)
# Portal (obj: Organisation)
rules.add_perm("exhibitors.view_portal", is_company & (is_company_member | is_organiser))
rules.add_perm("exhibitors.change_profile", is_company & (is_company_admin | is_organiser))
rules.add_perm("exhibitors.view_staff", is_company & (is_company_member | is_organiser))
rules.add_perm("exhibitors.invite_staff", is_company & is_company_admin)
rules.add_perm("exhibitors.request_badge", is_company & (is_company_member | is_organiser))
rules.add_perm("exhibitors.view_badges", is_company & (is_company_member | is_organiser))
# Directory (obj: Event) and public profiles (obj: Organisation)
rules.add_perm("exhibitors.view_directory", event_is_public | is_organiser)
rules.add_perm("exhibitors.view_public_profile", is_admitted_exhibitor | is_organiser | is_company_member)
# Organiser back office (obj: Event)
rules.add_perm("exhibitors.export", is_organiser)
rules.add_perm("exhibitors.import_exhibitors", is_organiser)
rules.add_perm("exhibitors.change_settings", is_organiser_admin)
