"""Pages: the organiser's list (pinned query counts), detail, timeline with inline validation,
the programme page with route links, the PDF, the calendar feed, the exhibitor's page."""

from __future__ import annotations

import io
import re
from datetime import datetime, time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exhibition.accounts import admission
from exhibition.delegations import selectors, services
from exhibition.delegations.models import CandidateVisit, Visit
from exhibition.delegations.pdf import walk_text
from exhibition.exhibitors.models import ExhibitorProfile, ProfileContact
from tests.factories.delegations import DAY, candidate, make_official_delegation
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def url(name, show, **kw):
    return reverse(f"delegations:{name}", kwargs={"event_slug": show.event.slug, **kw})


def login(client, user):
    client.force_login(user)
    return client


def _published(show, organiser):
    v = services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[1], day=DAY, start=time(12, 0)
    )
    services.publish_programme(delegation=show.delegation, actor=organiser)
    return v


@pytest.mark.parametrize("n", [1, 3])
def test_list_query_count_1_vs_3(client, event, organiser, django_assert_num_queries, n):
    for i in range(n):
        make_official_delegation(event, f"Delegation {i}", "CL")
    login(client, organiser)
    client.get(reverse("delegations:list", kwargs={"event_slug": event.slug}))
    with django_assert_num_queries(14):  # and the delegations' countries for the filter
        r = client.get(reverse("delegations:list", kwargs={"event_slug": event.slug}))
    assert [d.official_name for d in r.context["delegations"]] == [f"Delegation {i}" for i in range(n)]


def test_list_filters(client, show, organiser):
    login(client, organiser)
    r = client.get(url("list", show), {"country": "ke"})  # a code in any case, as older links wrote it
    assert [d.official_name for d in r.context["delegations"]] == ["Kenya – Civil Protection"]
    # The country is chosen by name among the delegations' countries.
    html = squash(client.get(url("list", show), HTTP_ACCEPT_LANGUAGE="fr").content.decode())
    assert '<option value="BR">Brésil</option><option value="KE">Kenya</option>' in html
    r = client.get(url("list", show), {"country": "ZZ"})
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()
    r = client.get(url("list", show), {"q": "police"})
    assert [d.official_name for d in r.context["delegations"]] == ["Brazil – National Police"]


def test_a_show_without_delegations_offers_to_register_the_first(client, event, organiser):
    page = reverse("delegations:list", kwargs={"event_slug": event.slug})
    html = squash(login(client, organiser).get(page).content.decode())

    assert "No delegations yet: register the first one below." in html
    assert "Plan all delegations" not in html and "Publish every programme" not in html
    assert "No delegation matches." not in html and 'role="search"' not in html
    assert '<details class="card" open>' in html  # the registration form, open

    make_official_delegation(event, "Chile – Carabineros", "CL")
    html = squash(client.get(page).content.decode())
    assert "No delegations yet" not in html and "Plan all delegations" in html
    assert '<details class="card">' in html
    assert "No delegation matches." in squash(client.get(page, {"q": "nobody"}).content.decode())
    refused = client.post(page, {"official_name": ""})  # the form comes back open, with its errors
    assert refused.status_code == 400 and '<details class="card" open>' in squash(refused.content.decode())


def test_delegation_member_is_sent_to_the_programme(client, show):
    login(client, show.member)
    r = client.get(url("list", show))
    assert r.status_code == 302 and r["Location"] == url("programme", show, pk=show.delegation.pk)


def test_detail_shows_notes_to_organisers_only(client, show, organiser):
    show.delegation.internal_notes = "Sensitive: VIP protocol"
    show.delegation.save()
    assert (
        "Sensitive: VIP protocol"
        in login(client, organiser).get(url("detail", show, pk=show.delegation.pk)).content.decode()
    )
    client.logout()
    r = login(client, show.head).get(url("detail", show, pk=show.delegation.pk))
    assert r.status_code == 200 and "Sensitive" not in r.content.decode()


def test_detail_names_its_languages_and_marks_its_own_tab(client, show):
    show.delegation.languages = "es, en"
    show.delegation.save()
    html = squash(login(client, show.head).get(url("detail", show, pk=show.delegation.pk)).content.decode())
    assert "Languages: Spanish, English" in html
    assert 'aria-current="page">Members and interests</a>' in html
    # the main navigation: the delegation's own page is "My delegation", not "Programme"
    assert 'aria-current="page">My delegation</a>' in html
    assert 'aria-current="page">Programme</a>' not in html
    programme = login(client, show.head).get(url("programme", show, pk=show.delegation.pk)).content.decode()
    assert 'aria-current="page">Programme</a>' in squash(programme)
    assert ">Timeline</a>" not in html  # the organiser's page, not the delegation's


def test_head_adds_a_member_and_the_form_shows_errors(client, show):
    login(client, show.head)
    r = client.post(
        url("detail", show, pk=show.delegation.pk), {"action": "member", "name": "", "language": "en"}
    )
    assert r.status_code == 400 and show.delegation.members.count() == 0
    r = client.post(
        url("detail", show, pk=show.delegation.pk),
        {"action": "member", "name": "Ana Souza", "title": "Colonel", "language": "en", "is_head": "on"},
    )
    assert r.status_code == 302
    assert list(show.delegation.members.values_list("name", "is_head")) == [("Ana Souza", True)]


def test_members_table_has_a_row_of_its_own(client, show):
    services.add_member(
        delegation=show.delegation,
        actor=show.head,
        name="Ana Souza",
        email="ana.souza@policia-federal.example.br",
        language="pt",
    )
    html = squash(login(client, show.head).get(url("detail", show, pk=show.delegation.pk)).content.decode())
    # the first card, across the page: its five columns are not squeezed into a third of it
    assert '<div class="grid"><section class="card wide" aria-labelledby="members-h">' in html
    assert (
        '<td data-label="Name"><span>Ana Souza<br><small class="email">ana.souza@policia-federal.example.br'
        '</small></span></td><td data-label="Title">—</td><td data-label="Role">—</td>'
        '<td data-label="Language">Portuguese</td>'
    ) in html


def test_languages_are_ticked_by_name_and_kept_as_codes(client, show):
    show.delegation.languages = "es, en"
    show.delegation.save()
    login(client, show.head)
    client.cookies["django_language"] = "fr"
    html = squash(client.get(url("detail", show, pk=show.delegation.pk)).content.decode())
    # the delegation's own languages first, ticked, then the others by their French names
    assert (
        '<input type="checkbox" name="languages" value="es" class="language-choices" id="id_languages_0" '
        "checked>Espagnol</label>"
    ) in html
    assert 'value="en" class="language-choices" id="id_languages_1" checked>Anglais</label>' in html
    assert 'value="de" class="language-choices" id="id_languages_2">Allemand</label>' in html
    assert 'value="es, en"' not in html
    client.cookies["django_language"] = "en"
    r = client.post(url("detail", show, pk=show.delegation.pk), {"action": "edit", "languages": ["ar", "fr"]})
    assert r.status_code == 302
    show.delegation.refresh_from_db()
    assert show.delegation.languages == "ar, fr"
    html = squash(client.get(url("detail", show, pk=show.delegation.pk)).content.decode())
    assert "Languages: Arabic, French" in html
    r = client.post(
        url("detail", show, pk=show.delegation.pk),
        {"action": "edit", "languages": ["Spanish and Arabic please"]},
    )
    assert r.status_code == 400
    assert "Select a valid choice. Spanish and Arabic please is not one of the available choices." in (
        r.content.decode()
    )
    show.delegation.refresh_from_db()
    assert show.delegation.languages == "ar, fr"


def test_languages_typed_before_are_shown_beside_the_list(client, show):
    show.delegation.languages = "Spanish and Arabic please, en"
    show.delegation.save()
    html = squash(login(client, show.head).get(url("detail", show, pk=show.delegation.pk)).content.decode())
    assert 'value="en" class="language-choices" id="id_languages_0" checked>English</label>' in html
    assert "Written before as: Spanish and Arabic please" in html


def test_member_language_offers_the_delegations_languages_first(client, show):
    show.delegation.languages = "es, en"
    show.delegation.save()
    login(client, show.head)
    client.cookies["django_language"] = "fr"
    html = squash(client.get(url("detail", show, pk=show.delegation.pk)).content.decode())
    start = html.index('<select name="language" id="id_language">')  # the member's, not the page's
    select = html[start : html.index("</select>", start)]
    assert select.index(
        '<option value="es" selected>Espagnol</option><option value="en">Anglais</option>'
    ) < (select.index('<option value="de">Allemand</option><option value="ar">Arabe</option>'))
    assert "Français" in select and "Portugais" in select
    r = client.post(
        url("detail", show, pk=show.delegation.pk), {"action": "member", "name": "X", "language": "xx"}
    )
    assert r.status_code == 400 and show.delegation.members.count() == 0
    r = client.post(
        url("detail", show, pk=show.delegation.pk), {"action": "member", "name": "Y", "language": "ar"}
    )
    assert r.status_code == 302
    assert list(show.delegation.members.values_list("name", "language")) == [("Y", "ar")]


def test_liaison_officer_field_is_named_in_french(client, show, organiser):
    login(client, organiser)
    client.cookies["django_language"] = "fr"
    html = squash(client.get(url("detail", show, pk=show.delegation.pk)).content.decode())
    assert '<label for="id_liaison_officer">Officier de liaison' in html


def test_day_on_site_reads_with_french_punctuation(client, show):
    login(client, show.head)
    client.cookies["django_language"] = "fr"
    html = client.get(url("detail", show, pk=show.delegation.pk)).content.decode()
    assert "<strong>mar 18 nov.</strong>\u00a0: 10:00–16:00, départ\u00a0: " in html  # not "nov.: 10:00"
    assert ", arrivée\u00a0: " in html and ", de " not in html  # not "de Entrée Hall 5A"


def test_candidate_score_is_written_as_the_number_input_reads_it(client, show, organiser):
    c = candidate(show.delegation, show.stands[0], score=5.5, duration=25)
    login(client, organiser)
    client.cookies["django_language"] = "fr"
    html = squash(client.get(url("detail", show, pk=show.delegation.pk)).content.decode())
    assert (
        '<input type="number" name="score" value="5.5" step="any"' in html
    )  # not "5,5": the field would be empty
    assert '<input type="number" name="duration" value="25"' in html
    r = client.post(
        url("detail", show, pk=show.delegation.pk),
        {"action": "candidate", "id": c.pk, "score": "5.5", "duration": "30"},
        follow=True,
    )
    c.refresh_from_db()
    assert (c.score, c.duration) == (5.5, 30)
    assert "Aegis Systems" in _messages(r)[0]


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_each_action_says_what_happened(client, show, organiser):
    login(client, show.head)
    page = url("detail", show, pk=show.delegation.pk)
    r = client.post(page, {"action": "request", "company": show.companies[0].pk}, follow=True)
    assert _messages(r) == ["Request sent to Aegis Systems; you will be told when they answer."]
    r = client.post(page, {"action": "member", "name": "Ana Souza", "language": "pt"}, follow=True)
    assert _messages(r) == ["Member added: Ana Souza."]
    member = show.delegation.members.get()
    r = client.post(page, {"action": "remove_member", "id": member.pk}, follow=True)
    assert _messages(r) == ["Member removed: Ana Souza."]
    r = client.post(
        page, {"action": "interest", "exhibitor": show.companies[1].pk, "priority": 4}, follow=True
    )
    assert _messages(r) == ["Interest added."]
    r = client.post(page, {"action": "edit", "languages": ["pt"]}, follow=True)
    assert _messages(r) == ["The delegation's details are saved."]
    client.logout()
    login(client, organiser)
    r = client.post(page, {"action": "propose"}, follow=True)
    n = CandidateVisit.objects.filter(delegation=show.delegation).count()
    assert n == 1 and _messages(r) == ["Proposed from the interests: 1 candidate visit."]
    r = client.post(page, {"action": "withdraw", "reason": "Cancelled trip"}, follow=True)
    withdrawn = (
        "The delegation is withdrawn: its members have lost access, its upcoming visits and meetings "
        "are cancelled and the hosts told."
    )
    assert _messages(r) == [withdrawn]


def test_other_delegation_and_other_event_are_refused(client, show, organiser, other_event):
    login(client, show.other_head)
    assert client.get(url("detail", show, pk=show.delegation.pk)).status_code == 403
    assert client.get(url("programme", show, pk=show.delegation.pk)).status_code == 403
    r = client.post(
        url("detail", show, pk=show.delegation.pk), {"action": "member", "name": "Intruder", "language": "en"}
    )
    assert r.status_code == 403 and show.delegation.members.count() == 0
    foreign = make_official_delegation(other_event, "Foreign", "FR")
    client.logout()
    login(client, organiser)
    assert client.get(url("detail", show, pk=foreign.pk)).status_code == 404


def test_timeline_add_with_conflict_is_shown_inline(client, show, organiser):
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    login(client, organiser)
    r = client.post(
        url("timeline", show, pk=show.delegation.pk),
        {"action": "add", "stand": "5A-102", "date": "2025-11-18", "start": "11:05"},
    )
    assert r.status_code == 400
    assert "overlaps the visit to stand 5A-101 (11:00–11:20)" in r.content.decode()
    assert show.delegation.visits.count() == 1
    r = client.get(
        url("check_visit", show, pk=show.delegation.pk),
        {"stand": "5A-102", "date": "2025-11-18", "start": "11:05"},
    )
    assert r.json() == {"ok": False, "errors": ["It overlaps the visit to stand 5A-101 (11:00–11:20)."]}
    r = client.get(
        url("check_visit", show, pk=show.delegation.pk),
        {"stand": "5A-102", "date": "2025-11-18", "start": "12:00"},
    )
    assert r.json() == {"ok": True, "errors": []}


def test_timeline_pin_move_remove_plan_publish(
    client, show, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    for s in show.stands:
        services.add_candidate(delegation=show.delegation, actor=organiser, stand=s)
    login(client, organiser)
    page = url("timeline", show, pk=show.delegation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page, {"action": "plan", "time_limit": "0.5"}).status_code == 302
    assert show.delegation.visits.count() == 4
    v = show.delegation.visits.order_by("start").first()
    client.post(page, {"action": "pin", "id": v.pk})
    assert Visit.objects.get(pk=v.pk).pinned
    # The move form starts from the visit as it is: its stand, its day, its start and its length.
    form = re.search(rf'<tr id="visit-{v.pk}".*?</tr>', client.get(page).content.decode(), re.S).group(0)
    assert f'name="duration" min="5" max="240" value="{v.minutes}"' in re.sub(r"\s+", " ", form)
    assert v.minutes == 20 and f'value="{v.stand.number}"' in form
    r = client.post(page, {"action": "move", "id": v.pk, "stand": "", "date": "2025-11-18", "start": "15:30"})
    assert r.status_code == 302
    assert Visit.objects.get(pk=v.pk).minutes == v.minutes  # moved, not shortened
    client.post(page, {"action": "remove", "id": show.delegation.visits.order_by("start").first().pk})
    assert show.delegation.visits.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"action": "publish"})
    assert show.delegation.published_visits.count() == 3
    assert "head@br.test" in [m.to[0] for m in mailoutbox]


def test_timeline_names_each_days_start_and_end_points(client, show, organiser):
    html = login(client, organiser).get(url("timeline", show, pk=show.delegation.pk)).content.decode()
    assert "Hall 5A entrance → Hall 5A entrance" in html and "ENTRANCE-5A" not in html  # not the door's code


def test_timeline_is_for_organisers(client, show):
    assert login(client, show.head).get(url("timeline", show, pk=show.delegation.pk)).status_code == 403


def test_programme_page_lists_visits_in_order_with_routes(client, show, organiser):
    _published(show, organiser)
    r = login(client, show.member).get(url("programme", show, pk=show.delegation.pk))
    html = r.content.decode()
    assert r.status_code == 200
    assert html.index("5A-101") < html.index("5A-102")
    assert "/milipol-test/plan/route/?from=ENTRANCE-5A&amp;to=5A-101" in html
    assert "/milipol-test/plan/route/?from=5A-101&amp;to=5A-102" in html
    assert f"Host: {show.exhibitor.full_name}" in squash(html)
    assert "admin@aegis.test" not in html  # a sign-in address, not one the company shows
    assert url("programme_pdf", show, pk=show.delegation.pk) in html


def test_programme_links_the_hosts_address_only_when_the_company_shows_it(client, show, organiser):
    _published(show, organiser)
    profile = ExhibitorProfile.objects.create(event=show.event, organisation=show.companies[0])
    ProfileContact.objects.create(profile=profile, name="Desk", email="admin@aegis.test", is_public=False)
    login(client, show.head)
    assert (
        "admin@aegis.test" not in client.get(url("programme", show, pk=show.delegation.pk)).content.decode()
    )
    ProfileContact.objects.create(profile=profile, name="Sales", email="Admin@Aegis.test", is_public=True)
    html = squash(client.get(url("programme", show, pk=show.delegation.pk)).content.decode())
    assert f'Host: {show.exhibitor.full_name} ·<a href="mailto:admin@aegis.test">admin@aegis.test</a>' in html
    pdf = _pdf_text(client.get(url("programme_pdf", show, pk=show.delegation.pk)))
    assert show.exhibitor.full_name in pdf and "admin@aegis.test" not in pdf  # printed: the name only


def test_programme_shows_the_delegations_meetings_among_its_visits(client, show, organiser, monkeypatch):
    _published(show, organiser)
    tz = show.event.tz
    meeting = selectors.Appointment(
        start=datetime.combine(DAY, time(11, 30), tzinfo=tz),
        end=datetime.combine(DAY, time(11, 50), tzinfo=tz),
        counterpart="Cobalt Drones",
        where="Table 12",
        place="5A-LOUNGE",
        contact="Rita Cobalt",
    )
    # the meetings app registers its provider (the app above this one); here, the delegation's one meeting
    monkeypatch.setattr(
        selectors, "_appointment_providers", [lambda d: [meeting] if d == show.delegation else []]
    )
    html = squash(
        login(client, show.head).get(url("programme", show, pk=show.delegation.pk)).content.decode()
    )
    assert html.index("Aegis Systems") < html.index("Cobalt Drones") < html.index("Bastion Optics")
    assert (
        '<time datetime="2025-11-18T11:30:00+01:00">11:30</time>–<time datetime="2025-11-18T11:50:00+01:00">'
        '11:50</time></span><span class="what"><strong>Cobalt Drones</strong>· B2B meeting · Table 12'
    ) in html
    assert "Host: Rita Cobalt" in html
    assert "/milipol-test/plan/route/?from=5A-101&amp;to=5A-LOUNGE" in html
    assert "/milipol-test/plan/route/?from=5A-LOUNGE&amp;to=5A-102" in html  # the next walk starts there
    pdf = _pdf_text(client.get(url("programme_pdf", show, pk=show.delegation.pk)))
    assert pdf.index("Aegis Systems") < pdf.index("Cobalt Drones") < pdf.index("Bastion Optics")
    assert "11:30–11:50 Table 12 Cobalt Drones B2B meeting / Rendez-vous d'affaires Rita Cobalt" in pdf
    # another delegation's programme does not show it
    html = login(client, organiser).get(url("programme", show, pk=show.other.pk)).content.decode()
    assert "Cobalt Drones" not in html


def test_programme_shows_only_what_is_published(client, show, organiser):
    v = _published(show, organiser)
    services.move_visit(visit=v, actor=organiser, start=time(15, 0))
    html = login(client, show.head).get(url("programme", show, pk=show.delegation.pk)).content.decode()
    assert "11:00" in html and "15:00" not in html


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )


def test_pdf(client, show, organiser):
    _published(show, organiser)
    r = login(client, show.head).get(url("programme_pdf", show, pk=show.delegation.pk))
    assert r.content.startswith(b"%PDF")
    text = _pdf_text(r)
    assert "Tuesday 18 November 2025 / mardi 18 novembre 2025" in text  # as each language writes it
    # the protocol level in both languages, like its label
    assert "Protocol level / Niveau protocolaire: Technical / Technique" in text
    lines = PdfReader(io.BytesIO(r.content)).pages[0].extract_text().splitlines()
    assert "Walk / Marche" in lines  # the column's heading on one line
    assert "Host contact / Contact sur le stand" in lines
    assert "1 min" in lines or "2 min" in lines  # minutes said beside the figure


def test_pdf_says_a_walk_of_a_few_steps_as_less_than_a_minute_never_0_min():
    assert [walk_text(m) for m in (None, 0.0, 0.4, 0.6, 4.4)] == ["", "< 1 min", "< 1 min", "1 min", "4 min"]


def test_ics_feed_has_stable_uids_and_bumps_sequence(client, show, organiser):
    v = _published(show, organiser)
    token = admission.calendar_token(user=show.head, event=show.event)
    feed = url("ics", show, token=token)
    first = client.get(feed)
    assert first.status_code == 200 and first["Content-Type"].startswith("text/calendar")
    body = first.content.decode().replace("\r\n ", "")
    assert body.count("BEGIN:VEVENT") == 2
    assert f"UID:{v.uid}@exhibition" in body
    assert "DTSTART:20251118T100000Z" in body and "SEQUENCE:0" in body
    assert "SUMMARY:Aegis Systems – stand 5A-101" in body
    services.move_visit(visit=v, actor=organiser, start=time(14, 0))
    services.publish_programme(delegation=show.delegation, actor=organiser)
    body = client.get(feed).content.decode().replace("\r\n ", "")
    event_block = body[body.index(f"UID:{v.uid}") - 400 : body.index(f"UID:{v.uid}") + 200]
    assert "DTSTART:20251118T130000Z" in body and f"UID:{v.uid}@exhibition" in body
    assert "SEQUENCE:1" in body and body.count("SEQUENCE:1") == 1, event_block
    assert client.get(url("ics", show, token="not-the-token")).status_code == 404
    # The address is the head's own: rotating it kills the old one.
    admission.rotate_calendar_feed(user=show.head, event=show.event)
    assert client.get(feed).status_code == 404
    assert (
        client.get(
            url("ics", show, token=admission.calendar_token(user=show.head, event=show.event))
        ).status_code
        == 200
    )


def test_a_calendar_feed_speaks_the_language_it_was_copied_in_or_else_the_persons(client, show, organiser):
    _published(show, organiser)
    show.head.language = "fr"
    show.head.save(update_fields=["language"])
    token = admission.calendar_token(user=show.head, event=show.event)
    feed = url("ics", show, token=token)
    french = client.get(feed).content.decode().replace("\r\n ", "")  # no cookie: the account's language
    assert "visite chez Aegis Systems" in french
    english = client.get(feed + "?lang=en").content.decode().replace("\r\n ", "")
    assert "visit of Aegis Systems" in english
    # the programme page hands out the address with the language it is read in
    page = login(client, show.head).get(
        url("programme", show, pk=show.delegation.pk), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert f"{token}.ics?lang=" in page.content.decode()


def test_exhibitor_sees_the_visit_and_answers_requests(client, show, organiser):
    _published(show, organiser)
    req = services.request_visit(delegation=show.other, actor=show.other_head, company=show.companies[0])
    login(client, show.exhibitor)
    r = client.get(url("hosting", show))
    html = r.content.decode()
    assert r.status_code == 200
    assert [v.stand.number for v in r.context["visits"]] == ["5A-101"]
    assert "Brazil – National Police" in html and "Kenya – Civil Protection" in html
    name = show.other.official_name  # each answer says, to a screen reader, whose request it answers
    assert f'value="accept">Accept<span class="sr-only">{name}</span>' in squash(html)
    assert f'value="decline">Decline<span class="sr-only">{name}</span>' in squash(html)
    r = client.post(url("hosting", show), {"action": "accept", "id": req.pk, "company": show.companies[0].pk})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "accepted"
    r = client.post(
        url("hosting", show),
        {"action": "capacity", "stand": show.stands[0].pk, "capacity": "3", "company": show.companies[0].pk},
    )
    assert show.stands[0].hosting.capacity == 3
    assert "5A-101: 3 delegations at once" in squash(client.get(url("hosting", show)).content.decode())
    r = client.post(
        url("hosting", show),
        {
            "action": "window",
            "date": "2025-11-18",
            "start": "14:00",
            "end": "12:00",
            "stand": "",
            "company": show.companies[0].pk,
        },
    )
    assert r.status_code == 400 and "The end must be after the start." in r.content.decode()


def test_exhibitor_cannot_open_another_company(client, show):
    login(client, show.exhibitor)
    assert client.get(url("hosting", show), {"company": show.companies[1].pk}).status_code == 404


def test_hall_view_lists_visits_per_stand(client, show, organiser):
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    services.add_visit(
        delegation=show.other, actor=organiser, stand=show.stands[0], day=DAY, start=time(12, 0)
    )
    r = login(client, organiser).get(url("halls", show), {"hall": "5A", "day": "2025-11-18"})
    assert [(n, name, [v.delegation.official_name for v in vs]) for n, name, vs in r.context["rows"]] == [
        ("5A-101", "Aegis Systems", ["Brazil – National Police", "Kenya – Civil Protection"])
    ]
    # each stand with its exhibitor, the day's count, times in the show's time
    html = squash(r.content.decode())
    assert "2 visits in Hall 5A on" in html and '<th scope="row">5A-101</th>' in html
    assert "11:00–11:20" in html and "Bastion Optics" not in html  # stands without visits are left out
    client.logout()
    assert login(client, show.exhibitor).get(url("halls", show)).status_code == 403


def test_exhibitor_wish_is_shown_to_organisers_as_a_suggestion(client, show, organiser):
    login(client, show.exhibitor)
    client.post(
        url("hosting", show),
        {
            "action": "wish",
            "delegation": show.delegation.pk,
            "note": "Live demo",
            "company": show.companies[0].pk,
        },
    )
    listing = squash(client.get(url("hosting", show)).content.decode())
    assert (
        f'value="remove_wish" class="link">Remove<span class="sr-only">{show.delegation.official_name}'
        in listing
    )
    client.logout()
    r = login(client, organiser).get(url("detail", show, pk=show.delegation.pk))
    assert [(w.company.name, w.note) for w in r.context["wishes"]] == [("Aegis Systems", "Live demo")]
    wish = r.context["wishes"][0]
    client.post(url("detail", show, pk=show.delegation.pk), {"action": "add_wish_candidate", "id": wish.pk})
    assert list(show.delegation.candidates.values_list("stand__number", "source")) == [("5A-101", "manual")]


def test_plan_all_returns_at_once_and_says_it_started(client, show, organiser):
    """Queued (a worker or the demo's background thread takes it): the page says it started and
    shows the run's progress; nothing claims it is done."""
    login(client, organiser)
    html = client.post(url("plan_all", show), {"time_limit": "0.5"}, follow=True).content.decode()
    assert "Planning started: its progress shows below" in html
    assert 'data-active="1"' in html and "Done" not in html
    assert "Plan all delegations" not in html  # one run at a time: no second start while this one runs


@pytest.mark.django_db(transaction=True)
def test_plan_all_that_ran_inline_says_how_it_ended(client, show, organiser):
    login(client, organiser)
    html = client.post(url("plan_all", show), {"time_limit": "0.5"}, follow=True).content.decode()
    assert "Planning started" not in html
    assert 'data-active="0"' in html


def test_registering_a_delegation_asks_for_its_country_in_the_readers_language(client, show, organiser):
    client.cookies["django_language"] = "fr"
    html = login(client, organiser).get(url("list", show)).content.decode()
    # nothing chosen until the organiser does (no "Afghanistan" by default), names in French
    assert '<option value="" selected>Choisissez un pays</option>' in html
    assert '<option value="KE">Kenya</option>' in html and '<option value="DE">Allemagne</option>' in html
    client.cookies["django_language"] = "en"
    response = client.post(
        url("list", show), {"official_name": "Kenya – Customs", "protocol_level": "technical"}
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(
        url("list", show),
        {"official_name": "Kenya – Customs", "country": "KE", "protocol_level": "technical"},
    )
    assert response.status_code == 302
