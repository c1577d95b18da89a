"""Webhooks and the data lifecycle in Chromium: an organiser registers an endpoint against a real
HTTP receiver and works its delivery log; runs the shredder; a visitor downloads their data."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exhibition.core.models import OutboxMessage
from exhibition.events.models import ShowDay
from exhibition.webhooks import signing
from exhibition.webhooks.models import Delivery, Endpoint
from tests import factories
from tests.e2e.conftest import sign_in
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ops_settings(settings, tmp_path):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVACY_MIN_DAYS_AFTER_SHOW = 30


def test_organiser_registers_an_endpoint_tests_it_and_retries_a_failed_message(
    page, live_server, ops_settings
):
    event = factories.make_event("milipol-e2e", name="Milipol E2E")
    factories.make_organiser(event, email="org@e2e.test")
    with Receiver() as receiver:
        sign_in(page, "org@e2e.test", factories.PASSWORD)
        page.goto(f"/{event.slug}/")  # the organiser dashboard
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", name="Webhooks")).to_be_visible()
        page.get_by_label("Address (URL)").fill(receiver.url)
        page.get_by_label("Description").fill("Our CRM")
        page.get_by_label("A stand booking was confirmed (booking.confirmed)").check()
        page.get_by_role("button", name="Add endpoint").click()
        page.wait_for_load_state()
        expect(page.get_by_text("Endpoint added.")).to_be_visible()

        endpoint = Endpoint.objects.get()
        assert endpoint.event_types == ["booking.confirmed"]
        page.get_by_text("Show the secret").click()
        assert page.get_by_test_id("secret").inner_text() == endpoint.secret

        receiver.answers = [500]
        page.get_by_role("button", name="Send a test message").click()
        page.wait_for_load_state()
        row = page.locator("tr[data-delivery]").first
        assert (
            "webhook.test" in row.inner_text()
            and "Pending" in row.inner_text()
            and "HTTP 500" in row.inner_text()
        )

        row.get_by_role("button", name="Retry now").click()
        page.wait_for_load_state()
        assert "Delivered" in page.locator("tr[data-delivery]").first.inner_text()
        assert len(receiver.received) == 2
        assert signing.verify(
            endpoint.secret, receiver.received[-1]["body"], receiver.received[-1]["headers"]
        )
        assert Delivery.objects.get().status == "succeeded"

        page.set_viewport_size({"width": 390, "height": 844})  # a phone: no sideways scroll of the page
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_organiser_runs_the_shredder_and_downloads_its_archive(page, live_server, ops_settings):
    event = factories.make_event("milipol-e2e", name="Milipol E2E")
    factories.make_organiser(event, email="org@e2e.test")
    last = timezone.localdate() - timedelta(days=45)
    for i, day in enumerate(event.days.order_by("-date")):
        ShowDay.objects.filter(pk=day.pk).update(date=last - timedelta(days=i))
    OutboxMessage.objects.create(
        event=event,
        kind="t",
        recipient="jean@example.test",
        subject="Welcome",
        body="Dear Jean",
        status="sent",
    )

    sign_in(page, "org@e2e.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/privacy/")
    expect(page.get_by_role("heading", name="Data retention")).to_be_visible()
    row = page.locator('tr[data-category="outbox_bodies"]')
    assert "(due)" in row.inner_text() and row.locator("td").last.inner_text() == "1"

    page.get_by_role("button", name="Run the shredder now").click()
    page.wait_for_load_state()
    page.reload()
    run = page.locator(".cards li").first
    assert "Done" in run.inner_text() and "Sent e-mails: 1" in run.inner_text()
    with page.expect_download() as download:
        run.get_by_role("link", name="Download the archive").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert json.loads(archive.read("outbox_bodies.json"))[0]["recipient"] == "jean@example.test"
    assert OutboxMessage.objects.get().body == ""
    assert page.locator('tr[data-category="outbox_bodies"] td').last.inner_text() == "0"


def test_a_visitor_downloads_their_data_in_french(page, live_server, ops_settings):
    event = factories.make_event("milipol-e2e", name="Milipol E2E")
    visitor = factories.make_visitor(event, email="jean@e2e.test")
    sign_in(page, "jean@e2e.test", factories.PASSWORD)
    page.goto(f"/{event.slug}/")
    page.locator("#lang-select").select_option("fr")
    page.wait_for_load_state()
    page.get_by_role("link", name="Vos données").click()
    page.get_by_role("button", name="Préparer mes données").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert (
        data["account"][0]["email"] == "jean@e2e.test"
        and data["visitor_registrations"][0]["status"] == visitor.status
    )
