"""Who may do what to an event. ``obj`` is the Event."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for


@rules.predicate
def is_organiser(user, event) -> bool:
    return event is not None and roles_for(user, event).is_organiser


@rules.predicate
def is_organiser_admin(user, event) -> bool:
    return event is not None and roles_for(user, event).is_organiser_admin


@rules.predicate
def has_any_role(user, event) -> bool:
    return event is not None and roles_for(user, event).any


@rules.predicate
def is_public_event(user, event) -> bool:
    return event is not None and event.is_public


rules.add_perm("events.view_event", is_public_event | has_any_role)
rules.add_perm("events.manage_event", is_organiser)
rules.add_perm("events.change_event", is_organiser_admin)
rules.add_perm("events.view_dashboard", is_organiser)
rules.add_perm("events.invite_organiser", is_organiser_admin)
rules.add_perm("events.invite_participant", is_organiser)
