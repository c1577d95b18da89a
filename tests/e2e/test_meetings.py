"""An approved visitor finds an exhibitor through suggestions and requests a meeting; the
exhibitor accepts with a slot; both agendas show it."""

from __future__ import annotations

import pytest

from exhibition.events.models import Sector
from exhibition.meetings.models import Meeting, Participant
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import meetings as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_requests_exhibitor_accepts_both_agendas(page):
    event = factories.make_event("milipol-e2e", name="Milipol E2E")
    drones = Sector.objects.create(event=event, code="drones", name_en="Drones", name_fr="Drones")
    vis = f.visitor(event, email="buyer@e2e.test", seek="Counter-drone systems for stadiums")
    vis.sectors.add(drones)
    exh = f.exhibitor(event, "SkyShield Systems", offer="Counter-drone systems and radar")
    exh.sectors.add(drones)
    f.exhibitor(event, "Catering Co", offer="Sandwiches")
    host = f.actor_of(exh)

    sign_in(page, "buyer@e2e.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/meetings/")
    suggestions = page.get_by_role("region", name="People you should meet")
    assert "Looking for: counter-drone systems for stadiums — they offer counter-drone systems and radar" in (
        suggestions.inner_text()
    )
    suggestions.get_by_role("link", name="SkyShield Systems").click()
    page.get_by_label("Message").first.fill("Can we see your counter-drone demo?")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state()
    assert "Request sent to SkyShield Systems." in page.content()
    page.context.clear_cookies()

    sign_in(page, host.email, factories.PASSWORD)
    page.goto(f"/{event.slug}/meetings/inbox/")
    page.get_by_role("link", name="Answer").click()
    page.get_by_label("Time").select_option(label="Wed 19 Nov 10:30–11:00")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_load_state()
    assert "Request accepted." in page.content()
    assert Meeting.objects.filter(sender=vis, recipient=exh).count() == 1
    page.goto(f"/{event.slug}/meetings/agenda/")
    agenda = page.locator("table.agenda").inner_text()
    assert vis.name in agenda and "10:30" in agenda
    page.context.clear_cookies()

    sign_in(page, "buyer@e2e.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/meetings/agenda/")
    agenda = page.locator("table.agenda").inner_text()
    assert "SkyShield Systems" in agenda and "10:30" in agenda


@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_visitor_joins_the_meetings_from_the_page_that_asked(page, width):
    """Reading the meetings pages creates nothing; the join card says what joining does, and
    one click adds the visitor and brings them back to the page they opened."""
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 800})
    event = factories.make_event("milipol-join", name="Milipol Join")
    visitor = factories.make_visitor(event, user=factories.make_user(email="new@e2e.test"))
    f.exhibitor(event, "SkyShield Systems", offer="Counter-drone systems")

    sign_in(page, "new@e2e.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/meetings/inbox/")
    card = page.get_by_role("region", name="Join the business meetings")
    assert "request meetings and answer the requests you receive" in card.inner_text()
    assert not Participant.objects.filter(visitor=visitor).exists()  # reading created nothing
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    card.get_by_role("button", name="Join the meetings").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/{event.slug}/meetings/inbox/")
    assert Participant.objects.filter(visitor=visitor).count() == 1
    assert page.get_by_role("region", name="Join the business meetings").count() == 0
    page.goto(f"/{event.slug}/meetings/")
    assert page.get_by_role("link", name="SkyShield Systems").count() >= 1
