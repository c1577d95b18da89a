"""An organiser gives a new show its entrance from the hall's plan, and a walking route then
starts there; the pavilions page reads as cards on a phone (axe audits every page)."""

from __future__ import annotations

import pytest

from exhibition.floorplans.models import Door
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories.floorplans import make_pavilion, make_stand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_adds_an_entrance_and_walks_from_it(page, event, organiser):
    hall = factories.make_hall(event, "5A", width=60, depth=40)
    make_stand(event, hall, "5A-A1", 20, 10, width=6, depth=4)
    sign_in(page, "org@example.test", factories.PASSWORD)

    page.goto(f"/{event.slug}/plan/5A/")
    page.get_by_role("link", name="Doors and entrances").click()
    assert "This hall has no entrance from outside" in page.locator("main").inner_text()
    page.get_by_role("link", name="New door").click()
    page.get_by_role("textbox", name="Code", exact=True).fill("e-west")
    page.get_by_role("textbox", name="Name (English)", exact=True).fill("West entrance")
    page.get_by_role("combobox", name="Wall", exact=True).select_option("left")
    page.get_by_label("Position along the wall (m)").fill("20")
    page.locator("main").get_by_role("button", name="Save").click()

    assert page.get_by_role("row", name="E-WEST").inner_text().split("\t")[:3] == [
        "E-WEST",
        "West entrance",
        "Outside (entrance)",
    ]
    assert Door.objects.get().y == 20.0
    page.goto(f"/{event.slug}/plan/route/?from=E-WEST&to=5A-A1")
    assert "From West entrance (E-WEST) to Stand 5A-A1" in page.locator("main").inner_text()


def test_pavilions_read_as_cards_on_a_phone(page, event, organiser):
    make_pavilion(event, "German Pavilion")
    sign_in(page, "org@example.test", factories.PASSWORD)
    page.set_viewport_size({"width": 390, "height": 800})

    page.goto(f"/{event.slug}/plan/pavilions/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Germany" in page.get_by_role("row", name="German Pavilion").inner_text()
