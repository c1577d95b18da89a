"""An organiser runs a matchmaking round, pins a meeting of the draft, runs the scheduler
again and reads, on the review screen, that nothing had to move; at phone width too."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from exhibition.meetings import services
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import meetings as f

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_organiser_reruns_a_round_and_sees_what_moved(page):
    event = factories.make_event("milipol-rounds", name="Milipol Rounds")
    org = factories.make_organiser(event)
    rnd = services.create_round(event=event, actor=org, name="Pre-show round", time_limit=2)
    exh = f.exhibitor(event, "SkyShield Systems", hosts=2)
    for i in range(3):
        v = f.visitor(event)
        v.name = f"Buyer {i + 1}"
        v.save(update_fields=["name"])
        req = services.request_meeting(actor=v.user, sender=v, recipient=exh, priority=2)
        services.accept_request(actor=f.actor_of(exh), request=req)

    sign_in(page, org.email, factories.PASSWORD)
    page.goto(f"/{event.slug}/meetings/manage/rounds/{rnd.pk}/")
    page.get_by_role("button", name="Run the scheduler").click()
    page.wait_for_load_state()
    facts = page.locator("#round-facts").inner_text()
    assert "Meetings scheduled\n3 of 3" in facts
    page.get_by_role("button", name="Pin the meeting of Buyer 1 and SkyShield Systems").click()
    page.wait_for_load_state()
    assert "Meeting pinned: a new run keeps it where it is." in page.content()
    page.get_by_role("button", name="Run the scheduler again").click()
    page.wait_for_load_state()
    facts = page.locator("#round-facts").inner_text()
    assert "Meetings moved since the previous draft\n0" in facts
    assert "Pinned meetings\n1" in facts
    expect(
        page.get_by_role("button", name="Unpin the meeting of Buyer 1 and SkyShield Systems")
    ).to_be_visible()
    shots = os.environ.get("E2E_SCREENSHOTS")
    if shots:
        page.screenshot(path=f"{shots}/round-laptop.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    if shots:
        page.screenshot(path=f"{shots}/round-phone.png", full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
