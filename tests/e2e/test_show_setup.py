"""A new show set up in the browser: whoever runs the installation opens it, adds a hall and a
sector, and finds the hall on the floor plan; bad hours are refused on their field."""

from __future__ import annotations

import pytest

from exhibition.events.models import Event
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_operator_opens_a_show_and_sets_up_a_hall_and_a_sector(page):
    factories.make_user("ops@example.test", is_staff=True)
    sign_in(page, "ops@example.test", PASSWORD)
    page.goto("/")
    page.get_by_role("link", name="New show").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("Milipol Qatar 2028")
    page.get_by_label("Short name").fill("milipol-qatar-2028")
    page.get_by_label("Venue").fill("Doha Exhibition and Convention Center")
    page.get_by_label("Country").select_option("QA")
    page.get_by_label("Time zone").select_option("Asia/Qatar")
    page.get_by_label("Currency (three letters, e.g. EUR)").fill("QAR")
    page.get_by_label("First day").fill("2028-10-24")
    page.get_by_label("Number of days").fill("3")
    page.get_by_role("button", name="Create the show").click()
    page.wait_for_url("**/milipol-qatar-2028/manage/show/")
    assert "Milipol Qatar 2028 is set up, not public yet." in page.content()
    days = page.locator("#days tbody tr")
    assert days.count() == 3 and "Tuesday 24 October 2028" in days.first.inner_text()

    hall_form = page.locator("#halls form")
    hall_form.get_by_label("Code").fill("1")
    hall_form.get_by_label("Name").fill("Hall 1")
    hall_form.get_by_label("Width (m)").fill("120")
    hall_form.get_by_label("Depth (m)").fill("90")
    hall_form.get_by_role("button", name="Add the hall").click()
    page.wait_for_load_state()
    assert "Hall 1 added: draw its stands on the floor plan." in page.content()

    page.locator("#sectors summary").click()
    sector_form = page.locator("#sectors form")
    sector_form.get_by_label("Name (English)").fill("Cyber security")
    sector_form.get_by_label("Name (French)").fill("Cybersécurité")
    sector_form.get_by_role("button", name="Add the sector").click()
    page.wait_for_load_state()
    assert page.locator("#sectors tbody tr").count() == 1

    # the first day's hours cannot end before they start: said on the field, nothing saved
    page.locator("#days tbody tr").first.get_by_role("link", name="Change").click()
    page.get_by_label("Opens at").fill("18:00")
    page.get_by_label("Closes at").fill("09:00")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    closes = page.get_by_label("Closes at")
    assert closes.get_attribute("aria-invalid") == "true"
    assert "The day must close after it opens." in page.content()

    page.goto("/milipol-qatar-2028/plan/")
    assert page.get_by_role("link", name="Hall 1").count() >= 1
    event = Event.objects.get(slug="milipol-qatar-2028")
    assert (event.time_zone, event.currency, event.is_public) == ("Asia/Qatar", "QAR", False)
