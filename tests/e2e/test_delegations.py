"""An organiser plans a delegation, pins a visit, re-plans and publishes; the head of delegation
sees the programme with route links and downloads the PDF and the .ics; the exhibitor sees the visit."""

from __future__ import annotations

import re

import pytest

from exhibition.delegations import services
from exhibition.delegations.models import Visit
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_organiser
from tests.factories.delegations import candidate, make_show

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_plan_pin_replan_publish_then_programme_pdf_ics_and_exhibitor(page, event):
    organiser = make_organiser(event, email="olivia@org.test")
    show = make_show(event)
    for stand in show.stands:
        services.add_candidate(delegation=show.delegation, actor=organiser, stand=stand)
    timeline = f"/{event.slug}/delegations/{show.delegation.pk}/timeline/"

    # organiser: plan, pin, re-plan, publish
    sign_in(page, organiser.email, PASSWORD)
    page.goto(f"/{event.slug}/delegations/")
    page.get_by_role("link", name="Timeline").first.click()
    page.goto(timeline)
    page.get_by_label("Time limit (seconds)").fill("1")
    page.get_by_role("button", name="Plan this delegation").click()
    page.wait_for_load_state()
    assert page.locator("tr.visit-row").count() == 4
    row = page.locator("tr.visit-row").first
    pinned_stand = row.locator(
        "td"
    ).first.inner_text()  # the time is the row header, the stand the first cell
    row.get_by_role("button", name="Pin").click()
    page.wait_for_load_state()
    assert "pinned" in page.locator("tr.visit-row").first.inner_text()
    pinned = Visit.objects.get(pinned=True)
    page.get_by_label("Time limit (seconds)").fill("1")
    page.get_by_role("button", name="Plan this delegation").click()
    page.wait_for_load_state()
    again = Visit.objects.get(pinned=True)
    assert (again.stand.number, again.start) == (pinned_stand, pinned.start)

    # inline validation while typing a conflicting visit
    page.locator("#id_stand").fill(pinned_stand)
    page.locator("#id_date").select_option("2025-11-18")
    page.locator("#id_start").fill(pinned.start.astimezone(event.tz).strftime("%H:%M"))
    page.locator(".check .bad").wait_for()
    assert "already visits stand" in page.locator(".check .bad").inner_text()

    page.get_by_role("button", name="Publish the programme").click()
    page.wait_for_load_state()
    assert "Published: 4 new" in page.content()
    page.get_by_role("button", name="Sign out").click()

    # head of delegation: programme, route links, PDF, .ics
    sign_in(page, show.head.email, PASSWORD)
    page.goto(f"/{event.slug}/delegations/")
    assert page.url.endswith(f"/delegations/{show.delegation.pk}/programme/")
    assert page.locator("li.visit").count() == 4
    routes = page.locator("a.route")
    assert routes.count() == 4
    assert re.search(r"/plan/route/\?from=ENTRANCE-5A&to=5A-10\d$", routes.first.get_attribute("href"))
    pdf = page.request.get(page.get_by_role("link", name="Printable PDF").get_attribute("href"))
    assert (
        pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    )
    ics = page.request.get(page.locator("a.ics-link").get_attribute("href"))
    assert ics.status == 200 and ics.text().count("BEGIN:VEVENT") == 4 + 1  # the visits and the lunch break
    page.get_by_role("button", name="Sign out").click()

    # exhibitor: the visit at its stand
    sign_in(page, show.exhibitor.email, PASSWORD)
    page.goto(f"/{event.slug}/delegations/hosting/")
    rows = page.locator("tr.hosted-visit")
    assert rows.count() == 1
    assert "Brazil – National Police" in rows.first.inner_text() and "5A-101" in rows.first.inner_text()


def test_organiser_changes_a_proposed_candidates_minutes_in_the_browser(page, event):
    """A proposed score such as 5.5 is a value the field accepts: the row's Save goes through
    (with the field stepping by 0.5 from 0.1, the browser refused every such form)."""
    organiser = make_organiser(event, email="olivia@org.test")
    show = make_show(event)
    proposed = candidate(show.delegation, show.stands[0], score=5.5, duration=20)
    sign_in(page, organiser.email, PASSWORD)
    page.goto(f"/{event.slug}/delegations/{show.delegation.pk}/")
    form = page.locator("form.cell-form").filter(has=page.locator(f"input[name=id][value='{proposed.pk}']"))

    form.get_by_label("Minutes").fill("35")
    form.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    assert "Candidate visit saved: Aegis Systems." in page.content()
    proposed.refresh_from_db()
    assert (proposed.duration, proposed.score) == (35, 5.5)
