"""Pages: the organiser's list (pinned query counts), detail, timeline with inline validation,
the programme page with route links, the PDF, the calendar feed, the exhibitor's page."""

from __future__ import annotations

import io
from datetime import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from exhibition.accounts import admission
from exhibition.delegations import services
from exhibition.delegations.models import Visit
from tests.factories.delegations import DAY, make_official_delegation
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
    with django_assert_num_queries(13):
        r = client.get(reverse("delegations:list", kwargs={"event_slug": event.slug}))
    assert [d.official_name for d in r.context["delegations"]] == [f"Delegation {i}" for i in range(n)]


def test_list_filters(client, show, organiser):
    login(client, organiser)
    r = client.get(url("list", show), {"country": "ke"})
    assert [d.official_name for d in r.context["delegations"]] == ["Kenya – Civil Protection"]
    r = client.get(url("list", show), {"q": "police"})
    assert [d.official_name for d in r.context["delegations"]] == ["Brazil – National Police"]


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
    r = client.post(page, {"action": "move", "id": v.pk, "stand": "", "date": "2025-11-18", "start": "15:30"})
    assert r.status_code == 302
    client.post(page, {"action": "remove", "id": show.delegation.visits.order_by("start").first().pk})
    assert show.delegation.visits.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"action": "publish"})
    assert show.delegation.published_visits.count() == 3
    assert "head@br.test" in [m.to[0] for m in mailoutbox]


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
    assert "Aegis Systems" in html and "admin@aegis.test" in html
    assert url("programme_pdf", show, pk=show.delegation.pk) in html


def test_programme_shows_only_what_is_published(client, show, organiser):
    v = _published(show, organiser)
    services.move_visit(visit=v, actor=organiser, start=time(15, 0))
    html = login(client, show.head).get(url("programme", show, pk=show.delegation.pk)).content.decode()
    assert "11:00" in html and "15:00" not in html


def test_pdf(client, show, organiser):
    _published(show, organiser)
    r = login(client, show.head).get(url("programme_pdf", show, pk=show.delegation.pk))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert "Tuesday 18 November 2025 / mardi 18 novembre 2025" in " ".join(
        text.split()
    )  # as each language writes it


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
    assert [(n, [v.delegation.official_name for v in vs]) for n, vs in r.context["rows"]] == [
        ("5A-101", ["Brazil – National Police", "Kenya – Civil Protection"])
    ]
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
