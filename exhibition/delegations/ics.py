"""The programme's calendar feed (RFC 5545): one VEVENT per published visit, with a stable
UID (the visit's uid) and a SEQUENCE that publishing bumps whenever the visit changes."""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from icalendar import Calendar, Event

from .models import Programme


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
    visits = (delegation.published_visits.select_related("stand__hall", "stand__exhibitor").order_by("start"))
    stamp = programme.published_at
    for v in visits:
        e = Event()
        e.add("uid", f"{v.uid}@exhibition")
        e.add("sequence", v.sequence)
        e.add("dtstamp", (v.published_at or stamp).astimezone(UTC))
        e.add("dtstart", v.start.astimezone(UTC))
        e.add("dtend", v.end.astimezone(UTC))
        company = v.stand.exhibitor.name if v.stand.exhibitor else ""
        e.add("summary", f"{company} – stand {v.stand.number}")
        e.add("location", f"{event.venue}, {v.stand.hall.name}, stand {v.stand.number}")
        e.add("description", f"{delegation.official_name}: visit of {company} (stand {v.stand.number}). "
                             f"{settings.SITE_URL}/{event.slug}/delegations/{delegation.pk}/programme/")
        e.add("status", "CONFIRMED")
        cal.add_component(e)
    return cal.to_ical()
