"""Who may see and change an event's webhooks: organisers see the delivery log, organiser admins
register endpoints (they hold the signing secrets). ``obj`` is the Event, an Endpoint or a Delivery."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for


def _event_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "endpoint"):
        return obj.endpoint.event
    return getattr(obj, "event", obj)


@rules.predicate
def is_organiser_of(user, obj) -> bool:
    event = _event_of(obj)
    return event is not None and roles_for(user, event).is_organiser


@rules.predicate
def is_organiser_admin_of(user, obj) -> bool:
    event = _event_of(obj)
    return event is not None and roles_for(user, event).is_organiser_admin


rules.add_perm("webhooks.view_webhooks", is_organiser_of)
rules.add_perm("webhooks.manage_webhooks", is_organiser_admin_of)
