"""An approved exhibitor holds a stand, confirms it and downloads the invoice, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from exhibition.booking.models import Invoice
from exhibition.floorplans.models import Stand
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories.booking import make_exhibitor, make_stand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_exhibitor_holds_confirms_and_downloads_invoice(page, live_server):
    event = factories.make_event("milipol-e2e", name="Milipol E2E")
    hall = factories.make_hall(event, "5A", width=2000, depth=80)
    make_stand(event, "5A-101", hall=hall, width=3, depth=4)
    make_exhibitor(event, "Aegis Systems", email="exhibitor@aegis.test")

    sign_in(page, "exhibitor@aegis.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/booking/")
    page.get_by_role("button", name="Hold stand 5A-101").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Stand 5A-101 is held for you", exact=False).first).to_be_visible()
    countdown = page.locator(".countdown")
    assert re.fullmatch(r"1[45] min \d\d s", countdown.inner_text().strip())  # ticking in the browser

    page.get_by_role("button", name="Confirm and book").click()
    page.wait_for_load_state()
    invoice = Invoice.objects.get()
    assert page.locator(".invoice-number").first.inner_text() == invoice.number == "INV-000001"
    assert Stand.objects.get(number="5A-101").status == Stand.Status.RESERVED

    link = page.get_by_role("link", name=f"Download invoice {invoice.number} (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF") and invoice.number.encode() in body
