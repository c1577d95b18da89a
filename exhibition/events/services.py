"""Writes to events: creating one with its show days."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction

from .models import Event, ShowDay


@transaction.atomic
def create_event(
    *,
    slug: str,
    name: str,
    venue: str,
    city: str,
    country: str,
    tz: str,
    first_day: date,
    days: int,
    opens: time,
    closes: time,
    last_closes: time,
    currency: str = "EUR",
) -> Event:
    """An event and its ``days`` consecutive show days from ``first_day`` (the last one closing
    at ``last_closes``, as the last day of a show usually does)."""
    event = Event.objects.create(
        slug=slug, name=name, venue=venue, city=city, country=country, time_zone=tz, currency=currency
    )
    ShowDay.objects.bulk_create(
        ShowDay(
            event=event,
            date=first_day + timedelta(days=i),
            opens_at=opens,
            closes_at=last_closes if i == days - 1 else closes,
        )
        for i in range(days)
    )
    return event
