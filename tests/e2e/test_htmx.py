"""htmx in a real Chromium, under the Content-Security-Policy: a progress bar follows the work,
stops asking when it is over, and nothing htmx does is refused by the policy."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from exhibition.core import background
from exhibition.exhibitors.models import Application, ExhibitorImport, ScreeningRun
from exhibition.exhibitors.selectors import import_progress_key
from tests import factories
from tests.e2e.conftest import sign_in
from tests.e2e.test_content_security_policy import RECORD, violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def watched(page):
    page.context.add_init_script(RECORD)
    page.csp_console = []
    page.on(
        "console", lambda msg: page.csp_console.append(msg.text) if "Security Policy" in msg.text else None
    )
    return page


def test_screening_progress_follows_the_run_and_stops(watched, event, organiser):
    page = watched
    run = ScreeningRun.objects.create(event=event, status=ScreeningRun.Status.RUNNING, total=4, done=1)
    sign_in(page, organiser.email, factories.PASSWORD)
    polls = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") == "true" else None)

    page.goto(f"/{event.slug}/exhibitors/manage/screening/")
    assert page.locator("#screening-run progress").get_attribute("value") == "25"
    ScreeningRun.objects.filter(pk=run.pk).update(done=3)
    # Locators, not wait_for_function: the policy forbids evaluating a string in the page.
    expect(page.locator("#screening-run progress")).to_have_attribute("value", "75", timeout=10_000)
    ScreeningRun.objects.filter(pk=run.pk).update(done=4, status=ScreeningRun.Status.DONE)
    expect(page.locator("#screening-run progress")).to_have_attribute("value", "100", timeout=10_000)
    assert page.locator("#screening-run [role=status]").inner_text() == "Done"
    asked = len(polls)
    page.wait_for_timeout(2500)

    assert len(polls) == asked  # 286: htmx stopped asking
    assert violations(page) == []


def test_exhibitor_import_progress_follows_the_rows_written_and_ends_on_the_drafts(watched, event, organiser):
    page = watched
    job = ExhibitorImport.objects.create(
        event=event,
        started_by=organiser,
        status=ExhibitorImport.Status.RUNNING,
        total=200,
        filename="2025.csv",
    )
    cache.set(import_progress_key(job.pk), 50)
    sign_in(page, organiser.email, factories.PASSWORD)
    polls = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") == "true" else None)

    page.goto(f"/{event.slug}/exhibitors/manage/import/{job.pk}/")
    expect(page.get_by_role("status")).to_have_text("Importing: 50 of 200 rows written.")
    assert page.locator("#import-job progress").get_attribute("value") == "25"
    cache.set(import_progress_key(job.pk), 150)  # the worker writes on, in its own transaction
    expect(page.locator("#import-job progress")).to_have_attribute("value", "75", timeout=10_000)
    ExhibitorImport.objects.filter(pk=job.pk).update(status=ExhibitorImport.Status.DONE, imported=200)
    expect(page.get_by_role("status")).to_have_text("200 exhibitors imported as drafts.", timeout=10_000)
    asked = len(polls)
    page.wait_for_timeout(2500)

    assert len(polls) == asked  # 286: htmx stopped asking
    expect(page.get_by_role("link", name="See the drafts")).to_be_visible()
    assert violations(page) == []


def test_exhibitor_import_in_the_browser_as_in_the_demo(page, event, organiser, settings):
    """The embedded demo runs the import in a background thread: the upload returns at once, and
    the import's page follows it to the drafts, on a phone too."""
    settings.BACKGROUND_THREADS = True
    factories.make_sector(event, "cyber")
    rows = "".join(f"Company {i:03d},FR,cyber,contact{i}@example.test\n" for i in range(300))
    sign_in(page, organiser.email, factories.PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/{event.slug}/exhibitors/manage/import/")
    page.get_by_label("CSV file").set_input_files(
        files=[
            {
                "name": "last-year.csv",
                "mimeType": "text/csv",
                "buffer": ("name,country,sectors,contact_email\n" + rows).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_role("heading", name="Exhibitor import")).to_be_visible()
    expect(page.get_by_text("last-year.csv")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("300 exhibitors imported as drafts.", timeout=30_000)
    assert background.wait_for_background(30)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="See the drafts").click()
    expect(page.get_by_role("link", name="Company 000")).to_be_visible()
    assert Application.objects.filter(event=event, state="draft").count() == 300
