"""Small helpers shared by the delegation services: the event's programme rules, and (re-exported
from the neutral modules the selectors use too) local time <-> minutes and places."""

from __future__ import annotations

from exhibition.events.models import Event

from ..clock import at_minutes, hhmm, minutes_of, minutes_of_time
from ..models import ProgrammeRules
from ..places import place_coordinates, place_names, travel_table
from ..scheduling.rules import Rules

__all__ = [
    "at_minutes",
    "hhmm",
    "minutes_of",
    "minutes_of_time",
    "place_coordinates",
    "place_names",
    "programme_rules",
    "travel_table",
]


def programme_rules(event: Event) -> Rules:
    """The event's programme rules (:class:`scheduling.rules.Rules`): its row, else the defaults."""
    row = ProgrammeRules.objects.filter(event=event).first()
    if row is None:
        return Rules()
    return Rules(
        grid=row.grid_minutes or 1,
        buffer=row.buffer_minutes,
        lunch_minutes=row.lunch_minutes,
        lunch_from=int(minutes_of_time(row.lunch_from)),
        lunch_until=int(minutes_of_time(row.lunch_until)),
    )
