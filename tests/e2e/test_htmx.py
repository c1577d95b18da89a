"""htmx in a real Chromium, under the Content-Security-Policy: a progress bar follows the work,
stops asking when it is over, and nothing htmx does is refused by the policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from exhibition.exhibitors.models import ScreeningRun
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
