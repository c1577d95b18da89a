"""The organiser's journey, on a laptop and on a phone: the landing page is the to-do list with
counts; the applications queue puts what awaits a decision first, oldest first, and decides
several at once; the allocation board assigns a stand by picking it beside the company; planning
and scheduling start at once and show their progress (the embedded demo's eager tasks run in a
background thread); the meeting round reads in the show's words. No page scrolls sideways.

``E2E_SCREENSHOTS=docs/screenshots`` saves the landing page at both widths."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibition.accounts.models import TradeVisitor
from exhibition.booking.models import Booking
from exhibition.core import background
from exhibition.exhibitors.models import Application
from exhibition.floorplans.models import Stand
from exhibition.meetings import services as meeting_services
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import meetings as mf
from tests.factories.booking import approve
from tests.factories.booking import make_stand as make_free_stand
from tests.factories.delegations import candidate, make_show
from tests.factories.exhibitors import make_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page) -> None:
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (page.url, wide)


def _show(event, organiser):
    show = make_show(event)  # hall 5A, four companies on their stands, two delegations on site
    for stand in show.stands:
        candidate(show.delegation, stand)
    now = timezone.now()
    for name, days in (("Newest Drones", 1), ("Oldest Optics", 9), ("Middle Radar", 5)):
        make_application(
            event,
            factories.make_company(event, name),
            state=Application.State.SUBMITTED,
            submitted_at=now - timedelta(days=days),
            stand_area=12,
        )
    approve(factories.make_company(event, "Waiting Armour"), area=12)
    make_free_stand(event, "5A-201", hall=show.hall, width=3, depth=4)
    holding = factories.make_company(event, "Holding Co")
    approve(holding, area=12)
    held = make_free_stand(
        event,
        "5A-202",
        hall=show.hall,
        width=3,
        depth=4,
        status=Stand.Status.HELD,
        exhibitor=holding,
        held_until=now + timedelta(hours=3),
    )
    Booking.objects.create(
        event=event, stand=held, organisation=holding, status=Booking.Status.HELD, held_until=held.held_until
    )
    factories.make_visitor(event, status=TradeVisitor.Status.PENDING)
    rnd = meeting_services.create_round(event=event, actor=organiser, name="Pre-show round", time_limit=2)
    host = mf.exhibitor_of(show.companies[0])
    host.stand = show.stands[0]
    host.save(update_fields=["stand"])
    for i in range(3):
        v = mf.visitor(event)
        v.name = f"Buyer {i + 1}"
        v.save(update_fields=["name"])
        req = meeting_services.request_meeting(actor=v.user, sender=v, recipient=host, priority=2)
        meeting_services.accept_request(actor=mf.actor_of(host), request=req)
    return show, rnd


def test_organiser_journey_on_laptop_and_phone(page, event, organiser, settings):
    settings.BACKGROUND_THREADS = True  # as in the embedded demo: eager tasks run after the response
    _, rnd = _show(event, organiser)
    shots = os.environ.get("E2E_SCREENSHOTS")
    page.set_viewport_size(LAPTOP)

    # Signs in and lands on the to-do list.
    sign_in(page, organiser.email, factories.PASSWORD)
    assert page.url.rstrip("/").endswith(f"/{event.slug}")
    todos = page.locator(".todos").inner_text()
    for line in (
        "3 exhibitor applications awaiting a decision",
        "oldest submitted",
        "1 approved company without a stand",
        "1 stand hold expires within 48 hours",
        "2 delegations on site without a programme",
        "Pre-show round: open for requests, to schedule",
        "3 requests so far",
        "1 visitor awaits vetting",
    ):
        assert line in todos, line
    expect(page.get_by_role("img", name="Trade visitors by country")).to_be_visible()
    _no_sideways_scroll(page)
    if shots:
        page.screenshot(path=f"{shots}/organiser-laptop.png", full_page=True)

    # The applications queue: what awaits a decision first, oldest first; two approved at once.
    page.get_by_role("link", name="3 exhibitor applications awaiting a decision").click()
    page.wait_for_load_state()
    names = page.locator("table.queue tbody tr td:nth-child(2) a").all_inner_texts()
    assert names == ["Oldest Optics", "Middle Radar", "Newest Drones"]
    select_all = page.get_by_label("Select every application on this page")
    select_all.check()
    assert page.locator("table.queue input[name='ids']:checked").count() == 3
    select_all.uncheck()
    assert page.locator("table.queue input[name='ids']:checked").count() == 0
    page.get_by_label("Select Oldest Optics").check()
    page.get_by_label("Select Middle Radar").check()
    page.get_by_label("Action").select_option("approve")
    page.get_by_role("button", name="Apply to selected").click()
    page.wait_for_load_state()
    assert "2 applications updated." in page.content()
    assert page.locator("table.queue tbody tr td:nth-child(2) a").all_inner_texts() == ["Newest Drones"]
    assert set(
        Application.objects.filter(legal_name__in=["Oldest Optics", "Middle Radar"]).values_list(
            "state", flat=True
        )
    ) == {Application.State.APPROVED}
    _no_sideways_scroll(page)

    # The allocation board: the companies without a stand beside the stands that fit; pick one.
    page.goto(f"/{event.slug}/")
    page.get_by_role("link", name="3 approved companies without a stand").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="3 approved companies without a stand")).to_be_visible()
    expect(page.get_by_role("heading", name="1 stand hold expires within 48 hours")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm stand 5A-202 for Holding Co")).to_be_visible()
    page.get_by_role("button", name="Assign stand 5A-201 to Waiting Armour").click()
    page.wait_for_load_state()
    assert "Stand 5A-201 assigned to Waiting Armour." in page.content()
    expect(page.get_by_role("heading", name="2 approved companies without a stand")).to_be_visible()
    _no_sideways_scroll(page)

    # Planning starts, returns at once and shows its progress; the page updates when it is done.
    page.goto(f"/{event.slug}/delegations/")
    page.get_by_label("Time limit (seconds)").fill("2")
    started = time.monotonic()
    page.get_by_role("button", name="Plan all delegations").click()
    page.wait_for_load_state()
    assert time.monotonic() - started < 2, "the request waited for the planner"
    assert "Planning started: its progress shows below" in page.content()
    assert "Done" not in page.locator(".run").inner_text()
    page.wait_for_selector(".run[data-active='0']", timeout=60_000)
    assert page.locator(".run-status").inner_text() == "Done"
    assert (
        page.locator(".run-status").get_attribute("role") == "status"
    )  # "Done" is announced when it changes
    assert background.wait_for_background(30)

    # The meeting round: the scheduler starts at once; the draft reads in the show's words.
    page.goto(f"/{event.slug}/meetings/manage/rounds/{rnd.pk}/")
    started = time.monotonic()
    page.get_by_role("button", name="Run the scheduler").click()
    page.wait_for_load_state()
    assert time.monotonic() - started < 2, "the request waited for the scheduler"
    assert "The scheduler started" in page.content()
    assert "Draft ready" not in page.content()
    page.get_by_role("button", name="Publish the draft").wait_for(timeout=60_000)
    assert background.wait_for_background(30)
    assert page.locator("#round-status").inner_text() == "Draft ready"
    assert "Meetings scheduled\n3 of 3" in page.locator("#round-facts").inner_text()
    who = page.locator("table.round-meetings").inner_text()
    assert "Buyer 1 meets Aegis Systems" in who and "Stand 5A-101" in who
    assert re.search(r"\b\d\d:\d\d\b", who)
    content = page.content()
    assert "Every accepted request has a time in this draft." in content
    for internal in ("priority_sum", "at_tables", "REQ-", "The scheduler is running."):
        assert internal not in content, internal
    assert not re.search(r"\b20\d{6}-\d{4}\b", content)  # slot ids
    _no_sideways_scroll(page)

    # The same pages on a phone.
    page.set_viewport_size(PHONE)
    page.goto(f"/{event.slug}/")
    assert "1 visitor awaits vetting" in page.locator(".todos").inner_text()
    _no_sideways_scroll(page)
    if shots:
        page.screenshot(path=f"{shots}/organiser-phone.png", full_page=True)
    for path in (
        "exhibitors/manage/applications/",
        "booking/manage/",
        "delegations/",
        f"meetings/manage/rounds/{rnd.pk}/",
        "meetings/manage/",
    ):
        page.goto(f"/{event.slug}/{path}")
        _no_sideways_scroll(page)
    expect(page.get_by_role("heading", name="Business meetings", exact=True)).to_be_visible()
