"""The agenda: walking times between consecutive places, and an exhibitor's hosted delegation visits."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import translation
from icalendar import Calendar

from exhibition.accounts import admission
from exhibition.delegations.models import PublishedVisit
from exhibition.floorplans.selectors import forget_local_graphs
from exhibition.meetings import selectors, services
from exhibition.meetings.models import AgendaItem, Participant, Place, Round
from tests.factories import make_hall, make_member, make_visitor
from tests.factories import meetings as f
from tests.factories.delegations import make_official_delegation
from tests.factories.floorplans import make_stand, sell

pytestmark = pytest.mark.django_db


def _at_stand(event, exh, stand):
    exh.stand = stand
    exh.save(update_fields=["stand"])
    Place.objects.create(
        event=event, kind=Place.Kind.STAND, name=f"Stand {stand.number}", stand=stand, walking_id=stand.number
    )
    return exh


def _published_visit(delegation, stand, start) -> PublishedVisit:
    """A 20-minute delegation visit at ``stand``, as published."""
    return PublishedVisit.objects.create(
        uid=uuid.uuid4(),
        delegation=delegation,
        date=start.date(),
        stand=stand,
        start=start,
        end=start + timedelta(minutes=20),
    )


def test_agenda_gives_the_walk_between_consecutive_meetings_at_different_stands(event):
    forget_local_graphs()
    hall = make_hall(event)
    near, far = make_stand(event, hall, "5A-01", 2, 2), make_stand(event, hall, "5A-09", 60, 40)
    a = _at_stand(event, f.exhibitor(event, "Alpha", instant=True), near)
    b = _at_stand(event, f.exhibitor(event, "Beta", instant=True), far)
    vis = f.visitor(event)
    services.book_instantly(actor=vis.user, sender=vis, recipient=a, start=f.at(event, 1, "10:00"))
    services.book_instantly(actor=vis.user, sender=vis, recipient=b, start=f.at(event, 1, "10:30"))
    services.book_instantly(actor=vis.user, sender=vis, recipient=a, start=f.at(event, 2, "10:00"))

    entries = selectors.agenda(event, vis)

    assert [(e.title, e.where) for e in entries] == [
        ("Alpha", "Stand 5A-01"),
        ("Beta", "Stand 5A-09"),
        ("Alpha", "Stand 5A-01"),
    ]
    assert entries[0].walk_minutes is None  # first of the day
    assert entries[1].walk_minutes is not None and entries[1].walk_minutes >= 1
    assert entries[1].walk_from == "Stand 5A-01"
    assert entries[2].walk_minutes is None  # the next day starts afresh
    assert selectors.agenda_has_walks(entries) is True


def test_agenda_without_consecutive_places_has_no_walk_column(client, event):
    vis, exh = f.visitor(event), f.exhibitor(event, "Alpha", instant=True)
    services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    client.force_login(vis.user)
    html = client.get(f"/{event.slug}/meetings/agenda/").content.decode()
    assert "Alpha" in html and ">Walk<" not in html


def test_exhibitor_agenda_lists_the_delegation_visits_it_hosts(client, event):
    hall = make_hall(event)
    exh = f.exhibitor(event, "Alpha")
    stand = sell(make_stand(event, hall, "5A-01", 2, 2), exh.organisation)
    other = sell(make_stand(event, hall, "5A-02", 8, 2), f.exhibitor(event, "Beta").organisation)
    dele = make_official_delegation(event, "Brazil Federal Police")
    start = f.at(event, 2, "11:00")
    for s, when in ((stand, start), (other, start + timedelta(hours=1))):
        _published_visit(dele, s, when)

    entries = selectors.agenda(event, exh)

    assert [(e.title, e.where, e.kind_label) for e in entries] == [
        (f"Delegation visit: {dele.organisation.name}", "Stand 5A-01", "")
    ]
    client.force_login(f.actor_of(exh))
    html = client.get(f"/{event.slug}/meetings/agenda/").content.decode()
    assert f"Delegation visit: {dele.organisation.name}" in html and "11:00–11:20" in html


def test_agendas_name_a_delegation_visit_once_in_the_readers_language(event):
    """Items stored by an earlier sync (in whatever language it ran) read in the reader's language,
    and a host's stored copy of a published visit does not list that visit a second time."""
    hall = make_hall(event)
    exh = f.exhibitor(event, "Alpha")
    stand = sell(make_stand(event, hall, "5A-01", 2, 2), exh.organisation)
    dele = make_official_delegation(event, "Brazil Federal Police")
    member = Participant.objects.create(
        event=event,
        kind=Participant.Kind.DELEGATION,
        organisation=dele.organisation,
        name=dele.organisation.name,
    )
    start = f.at(event, 2, "11:00")
    visit = _published_visit(dele, stand, start)
    for who, source in ((member, "delegations.visit"), (exh, "delegations.hosting")):
        AgendaItem.objects.create(
            event=event,
            participant=who,
            kind=AgendaItem.Kind.DELEGATION_VISIT,
            title="Delegation visit: stand 5A-01",  # as an English sync stored it
            place_label="5A-01",
            walking_id="5A-01",
            start=visit.start,
            end=visit.end,
            source=f"{source}:{visit.uid}",
        )

    with translation.override("fr"):
        assert [(e.title, e.where) for e in selectors.agenda(event, member)] == [
            ("Visite chez Alpha", "Stand 5A-01")
        ]
        assert [(e.title, e.where) for e in selectors.agenda(event, exh)] == [
            (f"Visite de délégation\u00a0: {dele.organisation.name}", "Stand 5A-01")
        ]


def test_exhibitor_calendar_feed_carries_the_hosted_visits(client, event):
    hall = make_hall(event)
    exh = f.exhibitor(event, "Alpha")
    stand = sell(make_stand(event, hall, "5A-01", 2, 2), exh.organisation)
    dele = make_official_delegation(event, "Police")
    start = f.at(event, 2, "11:00")
    visit = _published_visit(dele, stand, start)
    token = admission.calendar_token(user=f.actor_of(exh), event=event)

    cal = Calendar.from_ical(client.get(f"/{event.slug}/meetings/ics/{token}.ics").content)

    (ve,) = cal.walk("VEVENT")
    assert str(ve["uid"]) == f"hosted-visit-{visit.uid}@exhibition"
    assert str(ve["summary"]) == f"Delegation visit: {dele.organisation.name}"
    assert ve.decoded("dtstart") == start
    assert str(ve["location"]) == f"Stand 5A-01 · {event.venue}"


# --- reads that never write, and the fetches that 404 outside their scope -------------------------


def test_acting_participant_reads_only_and_the_service_creates_on_first_use(event):
    tv = make_visitor(event)
    assert selectors.acting_participant(event, tv.user) is None
    assert Participant.objects.filter(event=event).count() == 0
    assert selectors.first_identity(event, tv.user) == {"visitor": tv}
    me = services.ensure_acting_participant(event=event, user=tv.user)
    assert (me.kind, me.visitor_id) == (Participant.Kind.VISITOR, tv.pk)
    assert selectors.acting_participant(event, tv.user) == me
    assert services.ensure_acting_participant(event=event, user=tv.user) == me
    assert Participant.objects.filter(event=event).count() == 1


def test_acting_participant_with_an_id_not_theirs_is_none_and_creates_nothing(event):
    tv = make_visitor(event)
    other = f.visitor(event)
    assert services.ensure_acting_participant(event=event, user=tv.user, participant_id=other.pk) is None
    assert Participant.objects.filter(event=event, visitor=tv).count() == 0


def test_round_request_is_the_rounds_own_request(event):
    rnd = Round.objects.create(event=event, name="Day one")
    other = Round.objects.create(event=event, name="Day two")
    a, b = f.exhibitor(event), f.visitor(event)
    req = services.request_meeting(actor=f.actor_of(b), sender=b, recipient=a, message="Hello")
    req.round = rnd
    req.save(update_fields=["round"])
    assert selectors.round_request(rnd, req.pk) == req
    assert selectors.request_counts(rnd) == [(req.status, 1)]
    for rnd_, pk in ((other, req.pk), (rnd, None)):
        with pytest.raises(Http404):
            selectors.round_request(rnd_, pk)


def test_place_in_and_host_among_are_none_without_an_id_and_404_outside_scope(event, other_event):
    t = f.table(event)
    a, b = f.exhibitor(event), f.exhibitor(event)
    host = selectors.hosts_of(a).first()
    assert selectors.place_in(event, None) is None
    assert selectors.place_in(event, t.pk) == t
    assert selectors.host_among([a.pk], None) is None
    assert selectors.host_among([a.pk], host.pk) == host
    with pytest.raises(Http404):
        selectors.place_in(other_event, t.pk)
    with pytest.raises(Http404):
        selectors.host_among([b.pk], host.pk)


def test_calendar_feeds_give_a_delegation_visit_once_in_the_feeds_language_with_its_place(client, event):
    """The stored copies of a published visit (an English sync wrote them) read in the language the
    feed's address carries, at the stand and the venue, and the host's feed lists the visit once."""
    hall = make_hall(event)
    exh = f.exhibitor(event, "Alpha")
    stand = sell(make_stand(event, hall, "5A-01", 2, 2), exh.organisation)
    dele = make_official_delegation(event, "Police")
    member = Participant.objects.create(
        event=event, kind=Participant.Kind.DELEGATION, organisation=dele.organisation, name="Police"
    )
    make_member(dele.organisation, "lead")
    visit = _published_visit(dele, stand, f.at(event, 2, "11:00"))
    PublishedVisit.objects.filter(pk=visit.pk).update(sequence=2)
    items = {}
    for who, source in ((member, "delegations.visit"), (exh, "delegations.hosting")):
        items[source] = AgendaItem.objects.create(
            event=event,
            participant=who,
            title="Delegation visit: stand 5A-01",
            place_label="5A-01",
            walking_id="5A-01",
            start=visit.start,
            end=visit.end,
            source=f"{source}:{visit.uid}",
        )

    def feed(user, lang):
        token = admission.calendar_token(user=user, event=event)
        return Calendar.from_ical(client.get(f"/{event.slug}/meetings/ics/{token}.ics?lang={lang}").content)

    (hosting,) = feed(f.actor_of(exh), "fr").walk("VEVENT")
    (visiting,) = feed(f.actor_of(member), "fr").walk("VEVENT")
    (visiting_en,) = feed(f.actor_of(member), "en").walk("VEVENT")

    assert (
        str(hosting["uid"]),
        str(hosting["summary"]),
        str(hosting["location"]),
        int(hosting["sequence"]),
    ) == (
        f"agenda-{items['delegations.hosting'].pk}@exhibition",
        f"Visite de délégation\u00a0: {dele.organisation.name}",
        f"Stand 5A-01 · {event.venue}",
        2,
    )
    assert (str(visiting["summary"]), str(visiting["location"])) == (
        "Visite chez Alpha",
        f"Stand 5A-01 · {event.venue}",
    )
    assert str(visiting_en["summary"]) == "Visit to Alpha"


def test_a_delegations_programme_shows_its_meetings_as_its_agenda_does(client, event):
    hall = make_hall(event)
    alpha = f.exhibitor(event, "Alpha", instant=True)
    _at_stand(event, alpha, sell(make_stand(event, hall, "5A-01", 2, 2), alpha.organisation))
    beta = sell(make_stand(event, hall, "5A-02", 8, 2), f.exhibitor(event, "Beta").organisation)
    dele = make_official_delegation(event, "Brazil Federal Police")
    head = make_member(dele.organisation, "lead")
    member = Participant.objects.create(
        event=event, kind=Participant.Kind.DELEGATION, organisation=dele.organisation, name=dele.official_name
    )
    _published_visit(dele, beta, f.at(event, 2, "10:00"))
    meeting = services.book_instantly(
        actor=head, sender=member, recipient=alpha, start=f.at(event, 2, "11:00")
    )
    host = alpha.hosts.get().user

    [appointment] = selectors.delegation_appointments(dele)

    assert (appointment.counterpart, appointment.where, appointment.place, appointment.contact) == (
        "Alpha",
        "Stand 5A-01",
        "5A-01",
        host.full_name,
    )
    assert appointment.uid == meeting.uid and appointment.start == meeting.start
    client.force_login(head)
    html = " ".join(client.get(f"/{event.slug}/delegations/{dele.pk}/programme/").content.decode().split())
    assert html.index("<strong>Beta</strong>") < html.index(
        '<strong>Alpha</strong> · B2B meeting · Stand <span class="nowrap">5A-01</span>'
    )
    assert f"Host: {host.full_name}" in html
