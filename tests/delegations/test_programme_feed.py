"""The programme's calendar feed says its words in the reader's language and keeps the venue and
the stand in each entry, whatever commas, semicolons or line breaks the names hold."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from django.urls import reverse
from icalendar import Calendar

from exhibition.accounts import admission
from exhibition.delegations import selectors, services
from exhibition.delegations.ics import programme_ics
from exhibition.delegations.models import DelegationDay
from tests.factories.delegations import DAY

pytestmark = pytest.mark.django_db


def _published(show, organiser):
    company = show.companies[0]
    company.name = "Aegis, Systems; SA"
    company.save(update_fields=["name"])
    DelegationDay.objects.filter(delegation=show.delegation).update(
        lunch_start=time(13, 0), lunch_end=time(13, 45), lunch_place="5A-LOUNGE"
    )
    visit = services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    services.publish_programme(delegation=show.delegation, actor=organiser)
    return visit


def _feed(client, show, **headers):
    token = admission.calendar_token(user=show.head, event=show.event)
    url = reverse("delegations:ics", kwargs={"event_slug": show.event.slug, "token": token})
    return client.get(url, **headers).content.decode()


def test_programme_feed_escapes_names_and_places_each_entry_at_the_venue(client, show, organiser):
    visit = _published(show, organiser)

    body = _feed(client, show).replace("\r\n ", "")
    events = {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}

    assert "SUMMARY:Aegis\\, Systems\\; SA – stand 5A-101\r\n" in body
    ev = events[f"{visit.uid}@exhibition"]
    assert str(ev["summary"]) == "Aegis, Systems; SA – stand 5A-101"
    assert str(ev["location"]).startswith(f"{show.event.venue}, ") and "5A-101" in str(ev["location"])
    assert str(ev["description"]).startswith(
        f"{show.delegation.official_name}: visit of Aegis, Systems; SA ("
    )
    (lunch,) = [e for uid, e in events.items() if uid.startswith("lunch-")]
    assert (str(lunch["summary"]), str(lunch["location"])) == (
        "Lunch break",
        f"{show.event.venue}, VIP lounge",
    )


def test_programme_feed_reads_in_the_requesters_language(client, show, organiser):
    _published(show, organiser)

    fr = _feed(client, show, HTTP_ACCEPT_LANGUAGE="fr")
    direct = programme_ics(show.delegation.programme, "fr").decode()

    for body in (fr, direct):
        summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT"))
        assert summaries == ["Aegis, Systems; SA – stand 5A-101", "Pause déjeuner"]
    assert "Lunch break" not in fr and "Lunch break" not in direct


def test_programme_feed_holds_the_delegations_b2b_meetings_with_the_agendas_uid(
    client, show, organiser, monkeypatch
):
    _published(show, organiser)
    tz = show.event.tz
    meeting = selectors.Appointment(
        start=datetime.combine(DAY, time(11, 30), tzinfo=tz),
        end=datetime.combine(DAY, time(11, 50), tzinfo=tz),
        counterpart="Cobalt, Drones",
        where="Table 12",
        contact="Rita Cobalt",
        uid="meeting-7@exhibition",
        sequence=2,
    )
    monkeypatch.setattr(
        selectors, "_appointment_providers", [lambda d: [meeting] if d == show.delegation else []]
    )
    body = _feed(client, show).replace("\r\n ", "")
    events = {str(e["uid"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    ev = events["meeting-7@exhibition"]  # the same UID as in the meetings agenda's feed: shown once
    assert str(ev["summary"]) == "B2B meeting with Cobalt, Drones" and int(ev["sequence"]) == 2
    assert str(ev["location"]) == f"{show.event.venue}, Table 12"
    assert "Received by Rita Cobalt." in str(ev["description"])
    assert ev.decoded("dtstart").astimezone(tz).strftime("%H:%M") == "11:30"
