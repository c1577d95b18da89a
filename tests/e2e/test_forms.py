"""A form that posts is sent once: a second click while the first is on its way does nothing, so a
slow answer never creates the same thing twice; the button says it is busy meanwhile."""

from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import expect

from exhibition.exhibitors import services
from exhibition.exhibitors.models import ExhibitorImport
from exhibition.exhibitors.views import organiser as organiser_views
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = {"name": "last-year.csv", "mimeType": "text/csv", "buffer": b"name,country\nNova Secure,FR\n"}


@pytest.fixture
def slow_import(monkeypatch):
    """The import's request takes a second, as on a busy day; counts how many arrive."""
    calls = []
    lock = threading.Lock()
    real = services.start_exhibitor_import

    def slow(**kw):
        with lock:
            calls.append(time.monotonic())
        time.sleep(1)
        return real(**kw)

    monkeypatch.setattr(organiser_views.services, "start_exhibitor_import", slow)
    return calls


def _double_click_import(page, event, organiser, *, opt_out: bool):
    sign_in(page, organiser.email, factories.PASSWORD)
    page.goto(f"/{event.slug}/exhibitors/manage/import/")
    if opt_out:  # what the page did before the guard: every click sends the form
        page.locator("main form").evaluate("form => form.setAttribute('data-resubmit', '')")
    page.get_by_label("CSV file").set_input_files(files=[CSV])
    # Both clicks from inside the page: Playwright's own clicks wait for the navigation the first
    # one starts, and the second would come too late to matter.
    busy = page.evaluate(
        """() => new Promise((resolve) => {
          const button = document.querySelector('main button[type=submit]');
          button.click();
          setTimeout(() => { const busy = button.getAttribute('aria-busy'); button.click(); resolve(busy); }, 200);
        })"""
    )
    page.wait_for_timeout(2500)  # the answer, and a second request, would have arrived by now
    return busy


def test_a_second_click_while_the_form_is_on_its_way_sends_nothing(page, event, organiser, slow_import):
    busy = _double_click_import(page, event, organiser, opt_out=False)

    assert busy == "true"  # the button said so (site.css turns a spinner in it)
    expect(page.get_by_role("heading", name="Exhibitor import")).to_be_visible()
    assert len(slow_import) == 1
    assert ExhibitorImport.objects.filter(event=event).count() == 1


def test_without_the_guard_the_second_click_sends_the_form_again(page, event, organiser, slow_import):
    """The test can see the fault it guards against."""
    _double_click_import(page, event, organiser, opt_out=True)

    assert len(slow_import) == 2
    # the second found the first's company already there: refused, nothing doubled
    expect(page.get_by_text("Nova Secure is already registered.")).to_be_visible()
    assert ExhibitorImport.objects.filter(event=event).count() == 1
