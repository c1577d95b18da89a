"""The programme's calendar feed (RFC 5545): one VEVENT per published visit, with a stable
UID (the visit's uid) and a SEQUENCE that publishing bumps whenever the visit changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from icalendar import Calendar, Event

from .models import Programme
from .selectors import programme_days


def _minute(moment: datetime) -> datetime:
    """UTC, to the whole minute (calendars show minutes; seconds would only look wrong)."""
    moment = moment.astimezone(UTC)
    return (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)


def programme_ics(programme: Programme) -> bytes:
    delegation = programme.delegation
    event = delegation.organisation.event
    cal = Calendar()
    cal.add("prodid", "-//exhibition//delegation programme//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{event.name} – {delegation.official_name}")
    cal.add("x-wr-timezone", event.time_zone)
    stamp = programme.published_at
    url = f"{settings.SITE_URL}/{event.slug}/delegations/{delegation.pk}/programme/"
    for pd in programme_days(delegation, published=True):
        for item in pd.items:
            e = Event()
            if item.is_lunch:
                e.add("uid", f"lunch-{delegation.pk}-{pd.date.isoformat()}@exhibition")
                e.add("dtstamp", _minute(stamp or item.start))
                e.add("summary", "Lunch break")
                e.add(
                    "location", f"{event.venue}, {item.place_name}" if item.place_name else str(event.venue)
                )
                e.add("description", f"{delegation.official_name}: lunch break. {url}")
            else:
                v = item.visit
                company = v.stand.exhibitor.name if v.stand.exhibitor else ""
                e.add("uid", f"{v.uid}@exhibition")
                e.add("sequence", v.sequence)
                e.add("dtstamp", _minute(v.published_at or stamp))
                e.add("summary", f"{company} – stand {v.stand.number}")
                e.add("location", f"{event.venue}, {item.place_name}")
                e.add(
                    "description",
                    f"{delegation.official_name}: visit of {company} ({item.place_name}). {url}",
                )
            e.add("dtstart", _minute(item.start))
            e.add("dtend", _minute(item.end))
            e.add("status", "CONFIRMED")
            cal.add_component(e)
    return cal.to_ical()
