"""The programme's calendar feed (RFC 5545): one VEVENT per published visit (and per lunch break
and B2B meeting of the delegation), with a stable
UID (the visit's uid) and a SEQUENCE that publishing bumps whenever the visit changes. Said in
``language`` (the active language by default); icalendar escapes commas, semicolons and newlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Programme
from .selectors import programme_days


def _minute(moment: datetime) -> datetime:
    """UTC, to the whole minute (calendars show minutes; seconds would only look wrong)."""
    moment = moment.astimezone(UTC)
    return (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)


def programme_ics(programme: Programme, language: str | None = None) -> bytes:
    with translation.override(language or translation.get_language()):
        return _programme_ics(programme)


def _programme_ics(programme: Programme) -> bytes:
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
    for pd in programme_days(delegation, published=True, appointments=True):
        for item in pd.items:
            e = Event()
            if item.is_appointment:
                # A B2B meeting: the same UID as in the meetings agenda's feed, so a calendar
                # subscribed to both shows it once.
                a = item.appointment
                e.add("uid", a.uid or f"appointment-{delegation.pk}-{a.start.isoformat()}@exhibition")
                e.add("sequence", a.sequence)
                e.add("dtstamp", _minute(stamp or a.start))
                e.add("summary", _("B2B meeting with %(counterpart)s") % {"counterpart": a.counterpart})
                where = item.place_name or a.where
                e.add("location", f"{event.venue}, {where}" if where else str(event.venue))
                text = _("%(delegation)s: meeting with %(counterpart)s.") % {
                    "delegation": delegation.official_name,
                    "counterpart": a.counterpart,
                }
                if a.contact:
                    text += " " + _("Received by %(name)s.") % {"name": a.contact}
                e.add("description", f"{text} {url}")
            elif item.is_lunch:
                e.add("uid", f"lunch-{delegation.pk}-{pd.date.isoformat()}@exhibition")
                e.add("dtstamp", _minute(stamp or item.start))
                e.add("summary", _("Lunch break"))
                e.add(
                    "location", f"{event.venue}, {item.place_name}" if item.place_name else str(event.venue)
                )
                e.add(
                    "description",
                    _("%(delegation)s: lunch break.") % {"delegation": delegation.official_name} + f" {url}",
                )
            else:
                v = item.visit
                stand = _("Stand %(number)s") % {"number": v.stand.number}
                company = v.stand.exhibitor.name if v.stand.exhibitor else stand
                place = item.place_name or stand
                e.add("uid", f"{v.uid}@exhibition")
                e.add("sequence", v.sequence)
                e.add("dtstamp", _minute(v.published_at or stamp))
                e.add(
                    "summary",
                    _("%(company)s – stand %(number)s") % {"company": company, "number": v.stand.number}
                    if v.stand.exhibitor
                    else stand,
                )
                e.add("location", f"{event.venue}, {place}")
                e.add(
                    "description",
                    _("%(delegation)s: visit of %(company)s (%(place)s).")
                    % {"delegation": delegation.official_name, "company": company, "place": place}
                    + f" {url}",
                )
            e.add("dtstart", _minute(item.start))
            e.add("dtend", _minute(item.end))
            e.add("status", "CONFIRMED")
            cal.add_component(e)
    return cal.to_ical()
