"""The floor plan in a real Chromium: an organiser drags a stand, a visitor finds an exhibitor,
a route between two halls is drawn and timed."""

from __future__ import annotations

import re

import pytest

from exhibition.floorplans import services
from exhibition.floorplans.models import Stand
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def show(event, organiser, company):
    halls = {
        "5A": factories.make_hall(event, "5A", width=60, depth=40, position=1),
        "6": factories.make_hall(event, "6", width=60, depth=40, origin_x=60, position=2),
    }
    services.create_door(
        event=event,
        actor=organiser,
        code="D-5A-6",
        name="Door 5A/6",
        hall_a=halls["5A"],
        hall_b=halls["6"],
        x=60,
        y=20,
    )
    services.create_stand(
        event=event,
        actor=organiser,
        hall=halls["5A"],
        number="5A-A1",
        x=10,
        y=10,
        width=6,
        depth=4,
        status=Stand.Status.SOLD,
        exhibitor=company,
    )
    services.create_stand(
        event=event, actor=organiser, hall=halls["5A"], number="5A-A2", x=30, y=10, width=6, depth=4
    )
    services.create_stand(
        event=event, actor=organiser, hall=halls["6"], number="6-B1", x=10, y=10, width=6, depth=4
    )
    return halls


def test_organiser_drags_a_stand_and_the_move_survives_a_reload(page, event, organiser, show):
    sign_in(page, "org@example.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/plan/5A/")
    rect = page.locator('g.stand[data-number="5A-A2"] rect')
    box = rect.bounding_box()
    # metres per screen pixel, from the SVG's own transform
    scale = page.evaluate("() => 1 / document.getElementById('plan-svg').getScreenCTM().a")
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, 11):  # 8 m right, 12.5 m down, in small steps like a hand
        page.mouse.move(start[0] + step * 0.8 / scale, start[1] + step * 1.25 / scale)
    page.mouse.up()
    page.wait_for_selector("#plan-status.ok")

    stand = Stand.objects.get(number="5A-A2")
    assert (stand.x, stand.y, stand.version) == (38.0, 22.5, 2)  # snapped to the 0.5 m grid
    assert "Stand 5A-A2 moved to x 38 m, y 22.5 m." in page.locator("#plan-status").inner_text()
    page.reload()
    moved = page.locator('g.stand[data-number="5A-A2"] rect')
    assert (moved.get_attribute("x"), moved.get_attribute("y")) == ("38", "22.5")


def test_organiser_drag_onto_another_stand_is_reverted_with_the_message(page, event, organiser, show):
    sign_in(page, "org@example.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/plan/5A/")
    scale = page.evaluate("() => 1 / document.getElementById('plan-svg').getScreenCTM().a")
    box = page.locator('g.stand[data-number="5A-A2"] rect').bounding_box()
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(start[0] - step * 3.6 / scale, start[1])  # 18 m left: onto 5A-A1
    page.mouse.up()
    page.wait_for_selector("#plan-status.bad")

    assert page.locator("#plan-status").inner_text() == "Stand 5A-A2 would overlap stand 5A-A1."
    assert page.locator('g.stand[data-number="5A-A2"]').get_attribute("transform") is None
    assert Stand.objects.get(number="5A-A2").x == 30.0


def test_visitor_finds_an_exhibitor_by_name_and_sees_its_stand_highlighted(page, event, show):
    factories.make_visitor(event, email="buyer@example.test")
    sign_in(page, "buyer@example.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/plan/6/")

    page.get_by_label("Find an exhibitor or a stand number").fill("aegis")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()

    assert "/plan/5A/" in page.url  # the match is in the other hall
    hit = page.locator('a[aria-current="true"] g.stand.hit')
    assert hit.get_attribute("data-number") == "5A-A1"
    view_box = [float(v) for v in page.locator("#plan-svg").get_attribute("viewBox").split()]
    assert view_box[2] < 60  # zoomed in on the hit
    hit.click()  # the side panel
    page.wait_for_selector("#stand-panel:not([hidden])")
    assert "Aegis Systems" in page.locator("#stand-panel").inner_text()


def test_route_between_two_halls_is_drawn_and_timed(page, event, show):
    page.goto(f"/{event.slug}/plan/route/")

    page.locator("#id_from").fill("5A-A2")
    page.locator("#id_to").fill("6-B1")
    page.get_by_role("button", name="Show the route").click()
    page.wait_for_load_state()

    assert page.locator("polyline.route-line").count() == 1
    assert len(page.locator("polyline.route-line").get_attribute("points").split()) >= 3
    summary = page.locator(".route-summary").inner_text()
    assert re.search(r"From Stand 5A-A2 to Stand 6-B1: (about \d+ min|less than 1 min) · \d+ m", summary), (
        summary
    )
    assert "Door 5A/6" in page.content()


def test_choosing_how_to_colour_the_plan_reloads_it_once_keeping_the_search(page, event, show):
    page.goto(f"/{event.slug}/plan/5A/?q=aegis")
    loads = []
    page.on("request", lambda r: loads.append(r.url) if r.is_navigation_request() else None)
    assert page.get_by_role("button", name="Apply").is_hidden()  # the choice applies itself
    with page.expect_navigation():
        page.get_by_label("Colour by").select_option("pavilion")
    page.wait_for_load_state("networkidle")
    assert len(loads) == 1 and "colour=pavilion" in loads[0] and "q=aegis" in loads[0]
    assert page.get_by_label("Colour by").input_value() == "pavilion"
