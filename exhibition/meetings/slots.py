"""The show's meeting settings and its slot grid: what services and selectors both need
(pure computation over the settings, and the meeting states that hold time). Lives beside
them so that selectors never import services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .models import Meeting, MeetingSettings

# The meeting states that hold their time (and count towards caps).
ACTIVE = (Meeting.Status.SCHEDULED, Meeting.Status.HELD, Meeting.Status.NO_SHOW)


def meeting_settings(event: Any) -> MeetingSettings:
    """The event's settings; the defaults (unsaved) until an organiser changes them.

    Read-only on purpose: booking paths must not insert rows that concurrent bookings wait on."""
    cached = getattr(event, "_meeting_settings", None)
    if cached is None:
        cached = MeetingSettings.objects.filter(event=event).first() or MeetingSettings(event=event)
        event._meeting_settings = cached
    return cached


def slot_length(event: Any) -> timedelta:
    return timedelta(minutes=meeting_settings(event).slot_minutes)


def day_slots(event: Any, day: Any) -> list[tuple[datetime, datetime]]:
    """The slot grid of one show day (aware datetimes): from opening, every slot length."""
    step = slot_length(event)
    start, closes = event.local(day.date, day.opens_at), event.local(day.date, day.closes_at)
    out = []
    while start + step <= closes:
        out.append((start, start + step))
        start += step
    return out
