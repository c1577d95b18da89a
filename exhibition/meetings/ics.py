"""The personal .ics feed: one VEVENT per meeting (cancelled ones too, as STATUS:CANCELLED,
so that subscribed calendars drop them), per agenda item and, for an exhibitor, per delegation
visit it hosts (once: not again when an agenda item mirrors it); UID stable, SEQUENCE and
LAST-MODIFIED bumped on every change. Said in the language the view activates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Meeting, Participant
from .selectors import agenda_items_for, hosted_visits, item_words, meetings_for_participant, visits_behind


def feed(event: Any, participants: list[Participant], title: str) -> bytes:
    """The meetings of every participant the person acts for, in one calendar."""
    cal = Calendar()
    cal.add("prodid", "-//exhibition//meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{event.name} · {title}")
    cal.add("x-wr-timezone", event.time_zone)
    for participant in participants:
        _add_participant(cal, event, participant)
    return cal.to_ical()


def _with(other: Participant) -> str:
    """Whom the meeting is with: "Meeting with Louis Okafor (Acme)"; a company or a delegation by its name."""
    if other.affiliation:
        return _("Meeting with %(name)s (%(company)s)") % {"name": other.name, "company": other.affiliation}
    return _("Meeting with %(name)s") % {"name": other.name}


def _add_participant(cal: Calendar, event: Any, participant: Participant) -> None:
    agenda_url = settings.SITE_URL + reverse("meetings:agenda", kwargs={"event_slug": event.slug})
    meetings = meetings_for_participant(event, participant, include_cancelled=True).select_related(
        "sender__visitor", "recipient__visitor"
    )
    for m in meetings:
        other = m.recipient if m.sender_id == participant.pk else m.sender
        ve = VEvent()
        ve.add("uid", m.uid)
        ve.add("summary", _with(other))
        ve.add("dtstart", m.start)
        ve.add("dtend", m.end)
        ve.add("dtstamp", m.updated_at)
        ve.add("last-modified", m.updated_at)
        ve.add("sequence", m.sequence)
        ve.add("status", "CANCELLED" if m.status == Meeting.Status.CANCELLED else "CONFIRMED")
        if m.place_id:
            ve.add("location", f"{m.place} · {event.venue}")
        host = m.host_for(participant.pk)
        if host is not None:
            ve.add("description", f"{host.user.get_full_name()}\n{agenda_url}")
        else:
            ve.add("description", agenda_url)
        cal.add_component(ve)
    items = list(agenda_items_for(event, participant))
    visits = visits_behind(items)
    mirrored = set()
    for it in items:
        mirrored.add(it.source.partition(":")[2])
        title, where, visit = item_words(it, visits)  # a delegation visit in the reader's words
        ve = VEvent()
        ve.add("uid", f"agenda-{it.pk}@exhibition")
        ve.add("summary", title)
        ve.add("dtstart", it.start)
        ve.add("dtend", it.end)
        ve.add("dtstamp", it.updated_at)
        ve.add("last-modified", it.updated_at)
        if visit is not None:
            ve.add("sequence", visit.sequence)
        if where:
            ve.add("location", f"{where} · {event.venue}")
        cal.add_component(ve)
    for v in hosted_visits(event, participant):
        if str(v.uid) in mirrored:  # already there as the agenda item that mirrors it
            continue
        ve = VEvent()
        ve.add("uid", f"hosted-visit-{v.uid}@exhibition")
        ve.add("summary", _("Delegation visit: %(name)s") % {"name": v.delegation.organisation.name})
        ve.add("dtstart", v.start)
        ve.add("dtend", v.end)
        ve.add("dtstamp", v.published_at)
        ve.add("last-modified", v.published_at)
        ve.add("sequence", v.sequence)
        ve.add("location", f"{_('Stand %(number)s') % {'number': v.stand.number}} · {event.venue}")
        cal.add_component(ve)
