"""Who may see and change the floor plan."""

from __future__ import annotations

import rules

from exhibition.accounts.roles import roles_for
from exhibition.events.models import Event


def _event(obj):
    return obj if isinstance(obj, Event) else getattr(obj, "event", None)


@rules.predicate
def may_see_event(user, obj) -> bool:
    event = _event(obj)
    return event is not None and (event.is_public or roles_for(user, event).any)


@rules.predicate
def is_organiser(user, obj) -> bool:
    event = _event(obj)
    return event is not None and roles_for(user, event).is_organiser


rules.add_perm("floorplans.view_plan", may_see_event)
rules.add_perm("floorplans.change_plan", is_organiser)
rules.add_perm("floorplans.view_stand_commercials", is_organiser)  # status detail, price, history
rules.add_perm(
    "floorplans.view_pavilion_contacts", is_organiser
)  # pavilion desks' names and e-mail addresses
rules.add_perm("floorplans.view_walking_matrix", is_organiser)  # the whole matrix: heavy, for the planners


@rules.predicate
def is_organiser_admin(user, obj) -> bool:
    event = _event(obj)
    return event is not None and roles_for(user, event).is_organiser_admin


# The show's stand rates and walking settings: the organiser's team reads them, its admins
# change them (they re-price every stand not yet booked).
rules.add_perm("floorplans.view_settings", is_organiser)
rules.add_perm("floorplans.change_settings", is_organiser_admin)
