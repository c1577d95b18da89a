"""Who may see and set an event's data retention (``obj`` is the Event or a shredder Job)."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for


def _event_of(obj):
    return getattr(obj, "event", obj) if obj is not None else None


@rules.predicate
def is_organiser_of(user, obj) -> bool:
    event = _event_of(obj)
    return event is not None and roles_for(user, event).is_organiser


@rules.predicate
def is_organiser_admin_of(user, obj) -> bool:
    event = _event_of(obj)
    return event is not None and roles_for(user, event).is_organiser_admin


@rules.predicate
def is_the_person(user, job) -> bool:
    return job is not None and user.is_authenticated and job.person_id == user.pk


@rules.predicate
def is_themselves(user, person) -> bool:
    return user.is_authenticated and person is not None and person.pk == user.pk


rules.add_perm("privacy.manage_own_data", is_themselves)
rules.add_perm("privacy.view_retention", is_organiser_of)
rules.add_perm("privacy.manage_retention", is_organiser_admin_of)
rules.add_perm("privacy.view_job", is_the_person | is_organiser_admin_of)
