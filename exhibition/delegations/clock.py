"""Local time of day at the show as minutes after midnight, and back: pure arithmetic shared by
the services (planning, checking visits) and the selectors (the programme's lunch break)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from exhibition.events.models import Event


def minutes_of(event: Event, moment: datetime) -> float:
    """Minutes after local midnight of the event's day that ``moment`` falls on."""
    local = moment.astimezone(event.tz)
    return local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60


def minutes_of_time(t: time) -> float:
    return t.hour * 60 + t.minute + t.second / 60


def at_minutes(event: Event, day: date, minutes: float) -> datetime:
    """The aware datetime ``minutes`` after local midnight of ``day``.

    Kept to the microsecond (1.7e-8 min), well inside the format's 1e-6 min tolerance, so
    that a plan read back from the database is exactly as valid as the planner made it."""
    midnight = datetime.combine(day, time(0), tzinfo=event.tz)
    return midnight + timedelta(minutes=minutes)


def hhmm(minutes: float) -> str:
    m = round(minutes)
    return f"{m // 60:02d}:{m % 60:02d}"
