"""The head of delegation's journey, on a laptop and on a phone: the landing page lists what is
planned and what is left to do; the programme has a lunch break, visits starting on the
5-minute grid, every place by its name, times in the show's time; the calendar is in whole
minutes; the members table fits; no page scrolls sideways. (docs/screenshots/take.py photographs the demo's pages; tests write no
files into the project.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exhibition.delegations import services
from exhibition.delegations.models import DelegationDay, DelegationMember, PlanningRun, PublishedVisit
from exhibition.delegations.services.programme import execute_planning
from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG
from tests.e2e.conftest import finish_audits, new_audited_context, sign_in
from tests.factories import PASSWORD, make_company, make_organiser
from tests.factories.delegations import candidate, make_show
from tests.factories.floorplans import make_stand, sell
from tests.support.demo import demo_show

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
COMPANIES = [
    "Eagle Forensics",
    "Falcon Armour",
    "Granite Training",
    "Harbour Scanners",
    "Ion Radio Systems",
    "Juno Biometrics",
    "Kestrel Vehicles",
    "Lumen Night Vision",
]


def _planned_and_published(event):
    """The small delegation show, with eight more exhibitors, planned and published."""
    organiser = make_organiser(event, email="olivia@org.test")
    show = make_show(event)
    for i, name in enumerate(COMPANIES):
        company = make_company(event, name, country="FR")
        stand = sell(
            make_stand(
                event, show.hall, f"5A-{201 + i}", x=10 + 18 * (i % 4), y=40 + 20 * (i // 4), width=6, depth=6
            ),
            company,
        )
        show.stands.append(stand)
    for s in show.stands:
        candidate(show.delegation, s, score=10)
    for user, name in [
        (show.head, "Ana Souza"),
        (show.exhibitor, "Marc Lefèvre"),
        (show.exhibitor2, "Jana Vogel"),
    ]:
        user.full_name = name
        user.save(update_fields=["full_name"])
    DelegationMember.objects.bulk_create(
        [
            DelegationMember(
                delegation=show.delegation,
                name="Ana Souza",
                title="Chief Commissioner",
                role="Head of delegation",
                email="ana.souza@policia-federal.example",
                is_head=True,
            ),
            DelegationMember(
                delegation=show.delegation,
                name="Bruno Carvalho de Albuquerque",
                title="Deputy Director",
                role="Procurement officer",
                language="pt",
            ),
            DelegationMember(
                delegation=show.delegation, name="Carla Lima", title="Technical adviser", role="Interpreter"
            ),
        ]
    )
    run = services.start_planning(event=event, actor=organiser, delegation=show.delegation, time_limit=2)
    run.refresh_from_db()
    if run.status != PlanningRun.Status.DONE:
        run = execute_planning(run_id=run.pk)
    assert run.status == PlanningRun.Status.DONE, run.message
    services.publish_programme(delegation=show.delegation, actor=organiser)
    return show


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_head_of_delegation_sees_a_programme_a_protocol_officer_would_sign(
    browser, live_server, axe_source, event, viewport
):
    show = _planned_and_published(event)
    visits = PublishedVisit.objects.filter(delegation=show.delegation).count()
    day = DelegationDay.objects.get(delegation=show.delegation)
    assert visits >= 8 and day.lunch_start is not None

    violations: list = []
    context = new_audited_context(
        browser, live_server.url, axe_source, violations, locale="en-GB", viewport=VIEWPORTS[viewport]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, show.head.email, PASSWORD)

    # landing: a to-do list with the day at a glance
    page.goto(f"/{event.slug}/")
    main = page.locator("main").inner_text()
    assert f"Your programme: {visits} stand visits" in main
    assert "Check the 3 members travelling with you" in main
    assert "Your days at the show" in main
    lunch = f"Lunch {day.lunch_start:%H:%M}–{day.lunch_end:%H:%M}, VIP lounge"
    assert lunch in main
    assert "meet at Hall 5A entrance" in main and "ENTRANCE-5A" not in main
    _no_sideways_scroll(page)

    # the programme: lunch break, 5-minute starts, named places
    page.get_by_role("link", name=f"Your programme: {visits} stand visits").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/delegations/{show.delegation.pk}/programme/")
    assert page.locator("li.visit").count() == visits
    lunch_line = page.locator("li.lunch")
    assert lunch_line.count() == 1
    assert lunch_line.inner_text().split() == [
        f"{day.lunch_start:%H:%M}–{day.lunch_end:%H:%M}",
        "Lunch",
        "break",
        "·",
        "VIP",
        "lounge",
    ]
    assert "12:00" <= f"{day.lunch_start:%H:%M}" and f"{day.lunch_end:%H:%M}" <= "14:00"
    times = page.locator("ol.programme .when").all_inner_texts()
    assert len(times) == visits + 1
    previous_end = "00:00"
    for span in times:
        start, end = re.fullmatch(r"(\d\d:\d\d)–(\d\d:\d\d)", span.strip()).groups()
        assert int(start[3:]) % 5 == 0 and int(end[3:]) % 5 == 0, span
        assert start > previous_end, (previous_end, span)  # a buffer between two visits, beside the walk
        previous_end = end
    main = page.locator("main").inner_text()
    assert "Start 10:00 at Hall 5A entrance" in main and "Back at Hall 5A entrance by 16:00" in main
    assert "Stand 5A-201, Hall 5A" in main
    assert not re.search(r"ENTRANCE-|5A-LOUNGE|LUNCH", main)
    assert "Times are local to the show (Europe/Paris)." in main
    _no_sideways_scroll(page)

    # the calendar: whole minutes, the lunch break in it, places by name
    ics = page.request.get(page.locator("a.ics-link").get_attribute("href"))
    assert ics.status == 200
    text = ics.text().replace("\r\n ", "").replace("\r\n", "\n")
    starts = re.findall(r"^DTSTART[^:]*:(\S+)$", text, flags=re.M)
    ends = re.findall(r"^DTEND[^:]*:(\S+)$", text, flags=re.M)
    assert len(starts) == len(ends) == visits + 1
    assert all(re.fullmatch(r"\d{8}T\d{4}00Z", t) for t in starts + ends), starts + ends
    assert all(int(t[11:13]) % 5 == 0 for t in starts)
    assert "SUMMARY:Lunch break" in text
    assert "Stand 5A-201\\, Hall 5A" in text and "ENTRANCE-5A" not in text

    # the members: the table fits (a scroll region on a laptop, one block per person on a phone)
    page.get_by_role("link", name="Members and interests").click()
    page.wait_for_load_state()
    expect(page.locator("table.members")).to_be_visible()
    assert "from Hall 5A entrance to Hall 5A entrance" in page.locator("main").inner_text()
    _no_sideways_scroll(page)

    finish_audits(context, violations)
    context.close()


def test_demo_head_of_delegation_pages_fit_laptop_and_phone(browser, live_server, axe_source):
    demo_show()
    for size in VIEWPORTS.values():
        violations: list = []
        context = new_audited_context(
            browser, live_server.url, axe_source, violations, locale="en-GB", viewport=size
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, DEMO_LOGINS["delegation"], DEMO_PASSWORD)
        page.goto(f"/{DEMO_SLUG}/")
        main = page.locator("main").inner_text()
        assert "Your days at the show" in main and "Lunch " in main and "ENTRANCE-" not in main
        _no_sideways_scroll(page)
        page.get_by_role("link", name="Open the programme").click()
        page.wait_for_load_state()
        assert page.locator("li.lunch").count() >= 1 and page.locator("li.visit").count() >= 5
        starts = [t.split("–")[0] for t in page.locator("ol.programme .when").all_inner_texts()]
        assert all(int(t.strip()[3:5]) % 5 == 0 for t in starts), starts
        assert not re.search(r"ENTRANCE-|-RESTAURANT|LUNCH:", page.locator("main").inner_text())
        # a stand number such as 5B-A119 is never cut after its hyphen, nor a "·" left at a line's end
        codes = page.locator("ol.programme .nowrap")
        assert codes.count() >= 10
        lines = "e => new Set(Array.from(e.getClientRects(), r => Math.round(r.top))).size"
        assert codes.evaluate_all(f"els => els.filter(e => ({lines})(e) > 1).length") == 0
        _no_sideways_scroll(page)
        finish_audits(context, violations)
        context.close()
