"""A newcomer applies as a new company, is screened (a hit for a listed name), the organiser
clears it and approves; the company holds and confirms a stand (booking app), invites a
colleague, sees its badge quota, and the public directory finds it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from exhibition.exhibitors.models import Application
from exhibition.floorplans.models import Stand
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories.exhibitors import make_party

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


def test_newcomer_applies_is_screened_approved_and_listed(page, event, organiser):
    factories.make_sector(event, "surveillance")
    hall = factories.make_hall(event, "5A")
    make_party(event, "OPTICS ORION", country="FR")
    slug = event.slug

    # A newcomer signs up and applies.
    page.goto(f"/accounts/signup/?next=/{slug}/exhibitors/apply/")
    page.get_by_label("Full name").fill("Nina Nova")
    page.get_by_label("E-mail address").fill("nina@orion.test")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    # She proves her address: the link from the e-mail, then her password.
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/{slug}/exhibitors/apply/")
    page.get_by_label("Legal name").fill("Orion Optics SAS")
    page.get_by_label("Country of registration").select_option("FR")
    page.get_by_label("Address").fill("12 avenue des Lumières, Paris")
    page.get_by_label("Company registration number").fill("RCS Paris 123 456 789")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Contacts")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Surveillance").check()
    page.get_by_label("Products and services").fill("Thermal cameras and night vision")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Area wanted (m²)").fill("20")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # no co-exhibitors
    page.get_by_label("PDF file").set_input_files(
        files=[{"name": "kbis.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("link", name="kbis.pdf")).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("I accept the terms and conditions of the event").check()
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("Your application has been submitted.")).to_be_visible()
    app = Application.objects.get(legal_name="Orion Optics SAS")
    assert app.state == "submitted"
    page.get_by_role("button", name="Sign out").click()

    # The organiser sees the hit side by side, clears it and approves.
    sign_in(page, "org@example.test", factories.PASSWORD)
    page.goto(f"/{slug}/exhibitors/manage/applications/?screening=hits")
    page.get_by_role("link", name="Orion Optics SAS").click()
    hits = page.locator("table.hits")
    expect(hits).to_contain_text("Orion Optics SAS")
    expect(hits).to_contain_text("OPTICS ORION")
    page.get_by_label("Decision").select_option("approve")
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_role("alert").get_by_text("Resolve the screening hits before approving")
    ).to_be_visible()
    hits.get_by_label("Reason").fill("Different company: SIREN checked")
    hits.get_by_role("button", name="Clear").click()
    expect(page.get_by_text("Screening hit cleared.")).to_be_visible()
    page.get_by_label("Decision").select_option("approve")
    page.get_by_label("Reason (sent to the company)").fill("Welcome to the show")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Application updated; the company has been told.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The company holds and confirms a stand (the booking app's pages), then invites a
    # colleague and sees its badge quota.

    Stand.objects.create(
        event=event,
        hall=hall,
        number="5A-012",
        x=0,
        y=0,
        width=4,
        depth=5,
        area=20,
        kind=Stand.Kind.SHELL,
        status=Stand.Status.AVAILABLE,
        price=Decimal("10400.00"),
    )
    sign_in(page, "nina@orion.test", factories.PASSWORD)
    page.goto(f"/{slug}/booking/?all=1&company={app.organisation_id}")
    page.get_by_role("button", name="Hold stand 5A-012").click()
    expect(page.get_by_role("heading", name="Stand 5A-012 is held for you")).to_be_visible()
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.locator(".booked-stand")).to_contain_text("Stand 5A-012")
    page.goto(f"/{slug}/exhibitors/portal/")
    expect(
        page.get_by_text("Badge quota: 4 badges for 20 m² of stand (0 requested, 4 left).")
    ).to_be_visible()
    page.get_by_role("link", name="Staff").click()
    page.get_by_label("Colleague's e-mail address").fill("leo@orion.test")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to leo@orion.test.")).to_be_visible()
    expect(page.get_by_role("cell", name="leo@orion.test")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The public directory finds the company and links to its stand on the plan.
    page.goto(f"/{slug}/exhibitors/?q=thermal")
    page.get_by_role("link", name="Orion Optics SAS").click()
    expect(page.get_by_role("link", name=re.compile("Stand 5A-012"))).to_have_attribute(
        "href", f"/{slug}/plan/5A/?q=5A-012"
    )
