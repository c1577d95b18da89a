"""What the meeting system keeps on a show day (scheduled meetings) and on a sector (participants'
sectors): exhibition.events.uses."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db.models import Q
from django.utils.translation import ngettext

from exhibition.events.models import Event, Sector
from exhibition.events.uses import day_use, sector_use

from .models import Meeting, Participant


@day_use
def scheduled_meetings(event: Event, day: date, opens: time | None, closes: time | None) -> list[str]:
    meetings = Meeting.objects.filter(
        event=event,
        status=Meeting.Status.SCHEDULED,
        start__gte=event.local(day, time.min),
        start__lt=event.local(day + timedelta(days=1), time.min),
    )
    if opens is not None and closes is not None:
        meetings = meetings.filter(Q(start__lt=event.local(day, opens)) | Q(end__gt=event.local(day, closes)))
    n = meetings.count()
    return [ngettext("%(n)d meeting", "%(n)d meetings", n) % {"n": n}] if n else []


@sector_use
def participants(sector: Sector) -> list[str]:
    n = Participant.sectors.through.objects.filter(sector=sector).count()
    return [ngettext("%(n)d meeting profile", "%(n)d meeting profiles", n) % {"n": n}] if n else []
