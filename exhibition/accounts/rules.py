"""Who may do what to accounts objects. Checked only through ``user.has_perm``."""

from __future__ import annotations

import rules

from . import selectors
from .roles import roles_for


def _event_of(obj):
    return getattr(obj, "event", None)


@rules.predicate
def is_organiser_of(user, obj) -> bool:
    return obj is not None and roles_for(user, _event_of(obj)).is_organiser


@rules.predicate
def is_organiser_admin_of(user, obj) -> bool:
    return obj is not None and roles_for(user, _event_of(obj)).is_organiser_admin


@rules.predicate
def is_member_of_organisation(user, organisation) -> bool:
    return (
        organisation is not None
        and roles_for(user, organisation.event_id).role_in(organisation.pk) is not None
    )


@rules.predicate
def manages_organisation(user, organisation) -> bool:
    return organisation is not None and roles_for(user, organisation.event_id).manages(organisation.pk)


@rules.predicate
def is_self(user, other) -> bool:
    return other is not None and getattr(user, "is_authenticated", False) and other.pk == user.pk


@rules.predicate
def works_with_api(user) -> bool:
    return getattr(user, "is_authenticated", False) and selectors.works_with_api(user)


@rules.predicate
def is_the_visitor(user, visitor) -> bool:
    return visitor is not None and visitor.user_id == getattr(user, "pk", None)


# The person themself (obj: the User, or None for "any signed-in person")
rules.add_perm("accounts.signed_in", rules.is_authenticated)
rules.add_perm("accounts.manage_own_tokens", is_self)
# Offered the tokens page from "My account" (anyone may still open it: a token is theirs to make)
rules.add_perm("accounts.use_api_tokens", is_self & works_with_api)
# Organisations (exhibiting companies and delegations)
rules.add_perm("accounts.view_organisation", is_organiser_of | is_member_of_organisation)
rules.add_perm("accounts.change_organisation", is_organiser_of | manages_organisation)
rules.add_perm("accounts.manage_members", is_organiser_of | manages_organisation)
rules.add_perm("accounts.delete_organisation", is_organiser_admin_of)
# Trade visitors
rules.add_perm("accounts.view_tradevisitor", is_organiser_of | is_the_visitor)
rules.add_perm("accounts.change_tradevisitor", is_organiser_of | is_the_visitor)
rules.add_perm("accounts.vet_tradevisitor", is_organiser_of)
