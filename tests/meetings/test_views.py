from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar
from pypdf import PdfReader

from exhibition.accounts import admission
from exhibition.accounts.models import TradeVisitor
from exhibition.core import formats
from exhibition.events.models import Sector
from exhibition.floorplans.selectors import forget_local_graphs
from exhibition.meetings import selectors, services
from exhibition.meetings.models import Meeting, MeetingRequest, Participant, Place, Round
from tests.factories import make_hall, make_organiser, make_user, make_visitor
from tests.factories import meetings as f
from tests.factories.floorplans import make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def _url(event, name, **kw):
    return reverse(f"meetings:{name}", kwargs={"event_slug": event.slug, **kw})


def _login(client, user):
    client.force_login(user)
    return client


def _between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0].strip()


def test_directory_suggests_with_reason(client, event):
    cyber = Sector.objects.create(event=event, code="cyber", name_en="Cyber", name_fr="Cyber")
    vis = f.visitor(event, seek="We need counter-drone systems")
    vis.sectors.add(cyber)
    match = f.exhibitor(event, "Drone Guard", offer="Counter-drone systems for stadiums")
    match.sectors.add(cyber)
    f.exhibitor(event, "Unrelated Ltd", offer="Catering")
    resp = _login(client, vis.user).get(_url(event, "directory"))
    assert resp.status_code == 200
    sugg = resp.context["suggestions"]
    assert [s.participant.name for s in sugg] == ["Drone Guard"]
    assert sugg[0].reasons == [
        "Both work on cyber",
        "Looking for: we need counter-drone systems — they offer counter-drone systems for stadiums",
    ]
    assert "Both work on cyber" in resp.content.decode()


def test_suggestions_give_whole_words_and_distinct_reasons(client, event):
    vis = f.visitor(event, seek="Crisis management software, drones")
    f.exhibitor(event, "Alpha", offer="Crisis management software. Perimeter radar")
    f.exhibitor(event, "Beta", offer="Crisis management software. Body armour")
    f.exhibitor(event, "Gamma", offer="Surveillance drones")
    resp = _login(client, vis.user).get(_url(event, "directory"))
    by_name = {s.participant.name: s.reasons for s in resp.context["suggestions"]}
    assert by_name == {
        "Alpha": [
            "Looking for: crisis management software — they offer crisis management software",
            "Also offers perimeter radar",
        ],
        "Beta": [
            "Looking for: crisis management software — they offer crisis management software",
            "Also offers body armour",
        ],
        "Gamma": ["Looking for: drones — they offer surveillance drones"],
    }
    assert "crisi " not in resp.content.decode() and "crisi," not in resp.content.decode()


@pytest.mark.parametrize("n", [1, 3])
def test_directory_query_count(client, event, django_assert_num_queries, django_assert_max_num_queries, n):
    cyber = Sector.objects.create(event=event, code="cyber", name_en="Cyber", name_fr="Cyber")
    vis = f.visitor(event)
    vis.sectors.add(cyber)
    for _ in range(n):
        f.exhibitor(event).sectors.add(cyber)
    _login(client, vis.user)
    client.get(_url(event, "directory"))  # warm: session, participant
    cache.clear()
    with django_assert_max_num_queries(16):  # the table and the suggestions built
        resp = client.get(_url(event, "directory"))
    assert len(resp.context["page"].object_list) == n
    assert len(resp.context["suggestions"]) == n
    with django_assert_num_queries(9):  # both from the shared cache
        again = client.get(_url(event, "directory"))
    html = again.content.decode()
    assert html.count("<tr>") == n + 1 and html.count('<ul class="reasons">') == n


@pytest.mark.parametrize("n", [1, 3])
def test_inbox_query_count(client, event, django_assert_num_queries, n):
    exh = f.exhibitor(event)
    for _ in range(n):
        v = f.visitor(event)
        services.request_meeting(actor=v.user, sender=v, recipient=exh)
    _login(client, f.actor_of(exh))
    with django_assert_num_queries(9):
        resp = client.get(_url(event, "inbox"))
    assert len(resp.context["page"].object_list) == n


def test_an_open_request_says_whose_answer_it_awaits(client, event):
    exh = f.exhibitor(event)
    v = f.visitor(event)
    services.request_meeting(actor=v.user, sender=v, recipient=exh)
    received = _login(client, f.actor_of(exh)).get(_url(event, "inbox")).content.decode()
    assert "Awaiting your answer" in received and ">Requested<" not in received
    sent = _login(client, v.user).get(_url(event, "inbox"), {"box": "sent"}).content.decode()
    assert "Awaiting an answer" in sent and "Awaiting your answer" not in sent
    french = client.get(_url(event, "inbox"), {"box": "sent"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "En attente de réponse" in french
    # The request's page: the sender reads their own priority; the recipient does not see it.
    req = MeetingRequest.objects.get(sender=v)
    mine = squash(client.get(_url(event, "request", pk=req.pk)).content.decode())
    assert "Awaiting an answer" in mine and f"priority {req.priority} of 5" in mine
    theirs = squash(_login(client, f.actor_of(exh)).get(_url(event, "request", pk=req.pk)).content.decode())
    assert "Awaiting your answer" in theirs and "of 5" not in theirs


def test_pending_visitor_gets_403_on_directory(client, event):
    tv = f.visitor(event, status=TradeVisitor.Status.PENDING)
    resp = _login(client, tv.user).get(_url(event, "directory"))
    assert resp.status_code == 403


def test_request_accept_and_both_agendas_show_it(client, event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    resp = _login(client, vis.user).post(
        _url(event, "participant", pk=exh.pk), {"action": "request", "message": "Hello", "priority": "3"}
    )
    assert resp.status_code == 302
    req = MeetingRequest.objects.get()
    client.logout()
    _login(client, f.actor_of(exh))
    start = f.at(event, 2, "11:00")
    resp = client.post(_url(event, "request", pk=req.pk), {"action": "accept", "start": start.isoformat()})
    assert resp.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.start == start
    page = client.get(_url(event, "agenda")).content.decode()
    assert vis.name in page and "11:00" in page
    client.logout()
    page = _login(client, vis.user).get(_url(event, "agenda")).content.decode()
    assert exh.name in page and "11:00" in page


def test_accept_lost_race_shows_409(client, event):
    exh, v1, v2 = f.exhibitor(event), f.visitor(event), f.visitor(event)
    start = f.at(event, 1, "10:00")
    r1 = services.request_meeting(actor=v1.user, sender=v1, recipient=exh)
    r2 = services.request_meeting(actor=v2.user, sender=v2, recipient=exh)
    _login(client, f.actor_of(exh))
    services.accept_request(actor=f.actor_of(exh), request=r1, start=start)
    resp = client.post(_url(event, "request", pk=r2.pk), {"action": "accept", "start": start.isoformat()})
    # the slot is no longer offered: a form error, nothing booked
    assert resp.status_code in (400, 409)
    assert Meeting.objects.count() == 1
    r2.refresh_from_db()
    assert r2.status == MeetingRequest.Status.REQUESTED


def test_stranger_cannot_see_request(client, event):
    exh, vis = f.exhibitor(event), f.visitor(event)
    req = services.request_meeting(actor=vis.user, sender=vis, recipient=exh)
    other = f.visitor(event)
    resp = _login(client, other.user).get(_url(event, "request", pk=req.pk))
    assert resp.status_code == 403


def test_ics_feed_reflects_changes(client, event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    url = _url(event, "ics", token=admission.calendar_token(user=vis.user, event=event))
    cal = Calendar.from_ical(client.get(url).content)
    (ev,) = cal.walk("VEVENT")
    assert (str(ev["UID"]), int(ev["SEQUENCE"]), str(ev["SUMMARY"])) == (
        f"meeting-{m.pk}@exhibition",
        0,
        f"Meeting with {exh.name}",
    )
    assert ev.decoded("DTSTART") == f.at(event, 1, "10:00")
    services.reschedule_meeting(actor=vis.user, meeting=m, start=f.at(event, 1, "15:00"))
    (ev,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert (str(ev["UID"]), int(ev["SEQUENCE"])) == (f"meeting-{m.pk}@exhibition", 1)
    assert ev.decoded("DTSTART") == f.at(event, 1, "15:00")
    services.cancel_meeting(actor=vis.user, meeting=m)
    (ev,) = Calendar.from_ical(client.get(url).content).walk("VEVENT")
    assert (str(ev["STATUS"]), int(ev["SEQUENCE"])) == ("CANCELLED", 2)
    assert client.get(_url(event, "ics", token="wrong")).status_code == 404


def test_organiser_dashboard_and_csv(client, event):
    org = make_organiser(event)
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    _login(client, org)
    resp = client.get(_url(event, "manage"))
    assert resp.status_code == 200
    assert "<svg" in resp.content.decode()
    csv_text = client.get(_url(event, "manage") + "?format=csv").content.decode()
    assert "by_day,2025-11-18,0,0,1,0,0" in csv_text  # requested before the show: counted on its own day
    assert "by_kind,visitor,1,1,1,0,0" in csv_text


def test_non_organiser_cannot_see_dashboard(client, event):
    vis = f.visitor(event)
    assert _login(client, vis.user).get(_url(event, "manage")).status_code == 403


def test_printable_agenda_and_pdf(client, event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    _login(client, vis.user)
    assert exh.name in client.get(_url(event, "agenda_print")).content.decode()
    pdf = client.get(_url(event, "agenda") + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pdf = client.get(_url(event, "agenda") + "?format=pdf", HTTP_ACCEPT_LANGUAGE="fr")
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "mardi 18 novembre 2025" in text  # the day in French, not "Tuesday"


def test_profile_update(client, event):
    vis = f.visitor(event)
    _login(client, vis.user)
    d1 = event.days.order_by("date").first().date
    resp = client.post(
        _url(event, "profile"),
        {
            "headline": "Buyer",
            "offer": "",
            "seek": "Radios",
            "opted_in": "on",
            f"from_{d1:%Y%m%d}": "10:00",
            f"until_{d1:%Y%m%d}": "12:00",
        },
    )
    assert resp.status_code == 302
    vis.refresh_from_db()
    assert (vis.seek, list(vis.availability.values_list("starts_at", flat=True))) == (
        "Radios",
        [__import__("datetime").time(10)],
    )


def test_a_visitor_joins_the_meetings_with_a_post_never_by_reading_a_page(client, event):
    tv = make_visitor(event, user=make_user())
    _login(client, tv.user)
    directory = client.get(_url(event, "directory"))
    assert "Join the business meetings" in directory.content.decode()
    inbox = client.get(_url(event, "inbox"))  # a page that needs a participant offers to join
    assert inbox.status_code == 200 and "Join the meetings" in inbox.content.decode()
    assert not Participant.objects.filter(visitor=tv).exists()  # GET never writes

    joined = client.post(_url(event, "join"), {"next": _url(event, "inbox")})
    assert joined.status_code == 302 and joined["Location"] == _url(event, "inbox")
    assert Participant.objects.filter(visitor=tv, kind="visitor").count() == 1
    assert "Join the business meetings" not in client.get(_url(event, "directory")).content.decode()
    client.post(_url(event, "join"), {"next": "https://elsewhere.example/"})  # no open redirect
    assert Participant.objects.filter(visitor=tv).count() == 1


def test_the_api_reads_without_creating_and_joins_on_post(client, event):
    tv = make_visitor(event, user=make_user())
    client.force_login(tv.user)
    api = f"/api/v1/events/{event.slug}/meetings/"
    refused = client.get(api + "profile/")
    assert refused.status_code == 403 and "join" in refused.json()["detail"]
    assert not Participant.objects.filter(visitor=tv).exists()
    joined = client.post(api + "join/")
    assert joined.status_code == 200 and joined.json()["kind"] == "visitor"
    assert client.get(api + "profile/").status_code == 200
    assert Participant.objects.filter(visitor=tv).count() == 1


def test_sent_request_lands_on_sent_tab_highlighted_and_duplicate_refused(client, event):
    exh, vis = f.exhibitor(event, "Drone Guard"), f.visitor(event)
    _login(client, vis.user)
    resp = client.post(
        _url(event, "participant", pk=exh.pk), {"action": "request", "message": "Hello", "priority": "3"}
    )
    req = MeetingRequest.objects.get()
    assert resp.status_code == 302
    assert resp["Location"] == _url(event, "inbox") + f"?box=sent&sent={req.pk}"
    page = client.get(resp["Location"])
    html = page.content.decode()
    assert page.context["box"] == "sent" and page.context["highlight"] == req.pk
    assert f'<tr id="request-{req.pk}" class="just-sent">' in html and "just sent" in html

    again = client.post(
        _url(event, "participant", pk=exh.pk), {"action": "request", "message": "Again", "priority": "3"}
    )
    assert again.status_code == 400
    assert "You already asked Drone Guard for a meeting: see your sent requests." in again.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_exhibitor_instantly_books_another_exhibitor_choosing_who_takes_it(client, event):
    buyer, seller = f.exhibitor(event, "Buyer Co", hosts=2), f.exhibitor(event, "Seller Co", instant=True)
    me, colleague = (h for h in buyer.hosts.select_related("user").order_by("id"))
    _login(client, me.user)
    page = client.get(_url(event, "participant", pk=seller.pk))
    form = page.context["instant_form"]
    assert list(form.fields["sender_host"].queryset) == [me, colleague]
    assert form.initial["sender_host"] == me.pk
    assert "Who from your company takes it" in page.content.decode()
    start = f.at(event, 1, "10:00")

    resp = client.post(
        _url(event, "participant", pk=seller.pk),
        {"action": "instant", "start": start.isoformat(), "sender_host": colleague.pk},
    )

    assert resp.status_code == 302
    m = Meeting.objects.get()
    assert (m.sender, m.recipient, m.sender_host, m.host) == (buyer, seller, colleague, seller.hosts.get())
    agenda = client.get(_url(event, "agenda")).content.decode()
    assert f"Seller Co · {colleague.user.get_full_name()}" in agenda


def test_meeting_page_names_both_companies_staff(client, event):
    buyer, seller = f.exhibitor(event, "Buyer Co", hosts=2), f.exhibitor(event, "Seller Co", instant=True)
    colleague = buyer.hosts.select_related("user").order_by("id").last()
    m = services.book_instantly(
        actor=f.actor_of(buyer),
        sender=buyer,
        recipient=seller,
        start=f.at(event, 1, "10:00"),
        sender_host=colleague,
    )
    html = _login(client, f.actor_of(seller)).get(_url(event, "meeting", pk=m.pk)).content.decode()
    seller_host = seller.hosts.select_related("user").get().user.get_full_name()
    assert f"{colleague.user.get_full_name()} (Buyer Co) · {seller_host} (Seller Co)" in html


# --- what a participant reads: slots, headings, the outcome question, the inbox, the agenda's print ---


def test_slots_and_availability_days_read_in_the_readers_language(client, event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    _login(client, vis.user)

    en = client.get(_url(event, "participant", pk=exh.pk)).content.decode()
    fr = client.get(_url(event, "participant", pk=exh.pk), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    profile = client.get(_url(event, "profile"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert ">Tue 18 Nov 09:30–10:00</option>" in en
    assert ">mar 18 nov. 09:30–10:00</option>" in fr and "Tue 18 Nov" not in fr
    assert "mar 18 nov. à partir de" in profile and "Tue 18 Nov" not in profile


def test_meeting_page_is_headed_by_whom_the_reader_meets(client, event):
    exh, vis = f.exhibitor(event, "Blue Signal", instant=True), f.visitor(event)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))

    as_exhibitor = _login(client, f.actor_of(exh)).get(_url(event, "meeting", pk=m.pk)).content.decode()
    as_visitor = _login(client, vis.user).get(_url(event, "meeting", pk=m.pk)).content.decode()
    as_organiser = _login(client, make_organiser(event)).get(_url(event, "meeting", pk=m.pk)).content.decode()

    assert (
        squash(_between(as_exhibitor, "<h1>", "</h1>"))
        == f"Meeting with {vis.name}<small>(Acme Police)</small>"
    )
    assert squash(_between(as_visitor, "<h1>", "</h1>")) == "Meeting with Blue Signal"
    assert squash(_between(as_organiser, "<h1>", "</h1>")) == f"Meeting of {vis.name} and Blue Signal"


def test_outcome_is_asked_only_once_the_meeting_began_with_no_answer_ticked(client, event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    past = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    f.move_to_future(event)
    upcoming = services.book_instantly(
        actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "11:00")
    )
    _login(client, vis.user)

    before = client.get(_url(event, "meeting", pk=upcoming.pk)).content.decode()
    after = client.get(_url(event, "meeting", pk=past.pk)).content.decode()

    assert "Move meeting" in before and "Did the meeting take place?" not in before
    assert "Did the meeting take place?" in after
    held = [tag for tag in after.split("<input") if 'name="held"' in tag]
    assert len(held) == 2 and not any("checked" in tag.split(">")[0] for tag in held)


def test_outcome_without_an_answer_is_refused_and_nothing_recorded(client, event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    m = services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))

    resp = _login(client, vis.user).post(_url(event, "meeting", pk=m.pk), {"action": "outcome"})

    assert resp.status_code == 400 and "This field is required." in resp.content.decode()
    m.refresh_from_db()
    assert m.status == Meeting.Status.SCHEDULED


def test_profile_sectors_are_labelled_and_ordered_as_every_sector_list(client, event):
    for code, en, fr in (
        ("weapons", "Less-lethal and weapons", "Armes et non-létal"),
        ("cyber", "Cyber security", "Cybersécurité"),
        ("border", "Border and critical infrastructure", "Frontières et infrastructures critiques"),
    ):
        Sector.objects.create(event=event, code=code, name_en=en, name_fr=fr)
    vis = f.visitor(event)

    html = _login(client, vis.user).get(_url(event, "profile"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Secteurs" in html and ">Sectors<" not in html
    names = ["Frontières et infrastructures critiques", "Cybersécurité", "Armes et non-létal"]
    assert sorted(names, key=html.index) == names
    directory = client.get(_url(event, "directory"))
    assert [s.code for s in directory.context["sectors"]] == ["border", "cyber", "weapons"]


def _availability(event, day_from, day_until):
    d1 = event.days.order_by("date").first().date
    return d1, {
        "headline": "Buyer",
        "offer": "",
        "seek": "",
        "opted_in": "on",
        f"from_{d1:%Y%m%d}": day_from,
        f"until_{d1:%Y%m%d}": day_until,
    }


@pytest.mark.parametrize(
    ("window", "field", "message"),
    [
        (("07:00", "08:00"), "from", "The show is open from 09:30 to 18:00 that day."),
        (("17:00", "19:00"), "until", "The show is open from 09:30 to 18:00 that day."),
        (("12:00", "10:00"), "until", "The window must end after it starts."),
    ],
)
def test_availability_errors_stand_by_the_days_fields(client, event, window, field, message):
    vis = f.visitor(event)
    d1, data = _availability(event, *window)

    resp = _login(client, vis.user).post(_url(event, "profile"), data)

    html = resp.content.decode()
    assert resp.status_code == 400
    assert f'<ul class="errorlist" id="id_{field}_{d1:%Y%m%d}_error"><li>{message}</li></ul>' in html
    assert message not in html.split('<div class="avail">')[0]  # not above the form
    assert not vis.availability.exists()


def test_availability_with_one_end_runs_to_the_days_opening_hours(client, event):
    vis = f.visitor(event)
    d1, data = _availability(event, "14:00", "")

    resp = _login(client, vis.user).post(_url(event, "profile"), data)

    assert resp.status_code == 302
    assert list(vis.availability.values_list("date", "starts_at", "ends_at")) == [
        (d1, __import__("datetime").time(14), __import__("datetime").time(18))
    ]


def test_inbox_rows_say_what_each_date_is(client, event):
    exh, vis, other = f.exhibitor(event, instant=True), f.visitor(event), f.visitor(event)
    req = services.request_meeting(actor=vis.user, sender=vis, recipient=exh)
    services.accept_request(actor=f.actor_of(exh), request=req, start=f.at(event, 1, "11:00"))
    rnd = Round.objects.create(event=event, name="Show days")
    waiting = services.request_meeting(actor=other.user, sender=other, recipient=exh)
    MeetingRequest.objects.filter(pk=waiting.pk).update(round=rnd)
    services.accept_request(actor=f.actor_of(exh), request=MeetingRequest.objects.get(pk=waiting.pk))

    html = squash(_login(client, f.actor_of(exh)).get(_url(event, "inbox")).content.decode())

    assert "Meeting: Tue 18 Nov 11:00" in html
    assert '<span class="sm-only">Sent:</span>' in html
    assert "Accepted</strong><br><small>The time will be set by the matchmaking round.</small>" in html
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.PUBLISHED)
    html = squash(client.get(_url(event, "inbox")).content.decode())
    assert "The matchmaking round found no time for this meeting." in html


def test_printed_agenda_and_pdf_say_the_time_zone_in_words_and_drop_an_empty_walk_column(client, event):
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    _login(client, vis.user)

    printed = unescape(client.get(_url(event, "agenda_print")).content.decode())
    pdf = client.get(_url(event, "agenda") + "?format=pdf", HTTP_ACCEPT_LANGUAGE="fr")

    assert "Paris Nord Villepinte · Times are shown in the show's local time (Paris time)." in printed
    assert "Europe/Paris" not in printed and ">Walk<" not in printed
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    with translation.override("fr"):
        paris = formats.zone_words("Europe/Paris")  # "heure de Paris", as the footer says it
    assert f"Paris Nord Villepinte · Les horaires sont indiqués à l'heure locale du salon ({paris})." in text
    assert "Europe/Paris" not in text and "Trajet" not in text


def test_agenda_pdf_fills_the_walk_column_when_there_is_a_walk(client, event):
    forget_local_graphs()
    hall = make_hall(event)
    vis = f.visitor(event)
    for name, number, x, y, hhmm in (("Alpha", "5A-01", 2, 2, "10:00"), ("Beta", "5A-09", 60, 40, "10:30")):
        exh = f.exhibitor(event, name, instant=True)
        exh.stand = make_stand(event, hall, number, x, y)
        exh.save(update_fields=["stand"])
        Place.objects.create(
            event=event, kind=Place.Kind.STAND, name=f"Stand {number}", stand=exh.stand, walking_id=number
        )
        services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, hhmm))
    minutes = selectors.agenda(event, vis)[1].walk_minutes

    pdf = _login(client, vis.user).get(_url(event, "agenda") + "?format=pdf")

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Walk" in text and f"{minutes} min walk from Stand 5A-01" in text


def test_ics_meeting_says_whom_it_is_with_escaped_and_the_address_keeps_the_language(client, event):
    exh, vis = f.exhibitor(event, "Blue Signal", instant=True), f.visitor(event)
    TradeVisitor.objects.filter(pk=vis.visitor_id).update(organisation_name="Acme, Police; Ltd")
    services.book_instantly(actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"))
    user = f.actor_of(exh)
    _login(client, user)

    agenda = client.get(_url(event, "agenda"), HTTP_ACCEPT_LANGUAGE="fr")
    token = admission.calendar_token(user=user, event=event)
    body = client.get(_url(event, "ics", token=token) + "?lang=en").content.decode().replace("\r\n ", "")

    assert agenda.context["ics_url"] == f"http://testserver{_url(event, 'ics', token=token)}?lang=fr"
    assert f"SUMMARY:Meeting with {vis.name} (Acme\\, Police\\; Ltd)\r\n" in body
    (ev,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(ev["SUMMARY"]) == f"Meeting with {vis.name} (Acme, Police; Ltd)"


def test_a_delegations_lunch_break_is_not_offered_and_shows_in_its_agenda(client, event, lunching_delegation):
    show, dele, exh = lunching_delegation
    req = services.request_meeting(actor=show.head, sender=dele, recipient=exh)
    _login(client, f.actor_of(exh))
    page = client.get(_url(event, "request", pk=req.pk))
    offered = [label for _value, label in page.context["accept_form"].fields["start"].choices]
    assert "Tue 18 Nov 12:30–13:00" in offered and "Tue 18 Nov 14:00–14:30" in offered
    assert not [label for label in offered if label.startswith(("Tue 18 Nov 13:00", "Tue 18 Nov 13:30"))]
    resp = client.post(
        _url(event, "request", pk=req.pk), {"action": "accept", "start": f.at(event, 1, "13:00").isoformat()}
    )
    assert resp.status_code == 400
    req.refresh_from_db()
    assert (req.status, Meeting.objects.count()) == (MeetingRequest.Status.REQUESTED, 0)
    client.logout()
    agenda = squash(_login(client, show.head).get(_url(event, "agenda")).content.decode())
    assert "13:05" in agenda and "Lunch break" in agenda and "VIP lounge" in agenda


@pytest.mark.parametrize("bad", ["abc", "²", "9" * 30])
def test_a_bad_as_on_a_page_is_refused_not_a_server_error(client, event, bad):
    vis = f.visitor(event)
    _login(client, vis.user)
    assert client.get(_url(event, "agenda") + f"?as={bad}").status_code == 403
    assert client.get(_url(event, "inbox") + f"?as={bad}").status_code == 403
    resp = client.post(_url(event, "profile") + f"?as={bad}", {"headline": "Hacked"})
    assert resp.status_code == 403
    vis.refresh_from_db()
    assert vis.headline == ""


def test_the_inbox_ignores_a_sent_id_that_is_not_one(client, event):
    vis = f.visitor(event)
    _login(client, vis.user)
    for sent in ("²", "9" * 30, "abc"):
        resp = client.get(_url(event, "inbox") + f"?box=sent&sent={sent}")
        assert (resp.status_code, resp.context["highlight"]) == (200, None)
