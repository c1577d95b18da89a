"""What delegations keep on a show day (their days on the floor and their visits) and on a sector
(their interests): exhibition.events.uses."""

from __future__ import annotations

from datetime import date, time

from django.db.models import Q
from django.utils.translation import ngettext

from exhibition.events.models import Event, Sector
from exhibition.events.uses import day_use, sector_use
from exhibition.floorplans.door_uses import door_use

from .models import DelegationDay, Interest, Visit


@day_use
def days_and_visits(event: Event, day: date, opens: time | None, closes: time | None) -> list[str]:
    days = DelegationDay.objects.filter(delegation__organisation__event=event, date=day)
    visits = Visit.objects.filter(delegation__organisation__event=event, date=day)
    if opens is not None and closes is not None:
        days = days.filter(Q(start__lt=opens) | Q(end__gt=closes))
        visits = visits.filter(Q(start__lt=event.local(day, opens)) | Q(end__gt=event.local(day, closes)))
    words = []
    n_days = days.values("delegation").distinct().count()
    if n_days:
        words.append(
            ngettext("%(n)d delegation's day on the floor", "%(n)d delegations' days on the floor", n_days)
            % {"n": n_days}
        )
    n_visits = visits.count()
    if n_visits:
        words.append(
            ngettext("%(n)d delegation visit", "%(n)d delegation visits", n_visits) % {"n": n_visits}
        )
    return words


@sector_use
def interests(sector: Sector) -> list[str]:
    n = Interest.objects.filter(sector=sector).values("delegation").distinct().count()
    return (
        [ngettext("%(n)d delegation's interests", "%(n)d delegations' interests", n) % {"n": n}] if n else []
    )


@door_use
def delegation_days_at(door) -> list[str]:
    """Delegations start and end their days at an entrance: it stays while they do."""
    n = (
        DelegationDay.objects.filter(delegation__organisation__event_id=door.event_id)
        .filter(Q(start_point__iexact=door.code) | Q(end_point__iexact=door.code))
        .count()
    )
    return (
        [
            ngettext("%(n)d delegation day starts or ends here", "%(n)d delegation days start or end here", n)
            % {"n": n}
        ]
        if n
        else []
    )
