"""The Content-Security-Policy in a real Chromium: the pages (and the API docs with their own
policy) load without a single violation, and what used to be inline still works from files."""

from __future__ import annotations

from datetime import time

import pytest

from exhibition.delegations import services as delegation_services
from exhibition.events.models import Sector
from tests import factories
from tests.e2e.conftest import sign_in
from tests.factories import meetings as mf
from tests.factories.delegations import DAY, make_show
from tests.factories.floorplans import make_pavilion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    page.context.add_init_script(RECORD)
    messages = []
    page.on(
        "console", lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.csp_console = messages
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []") + page.csp_console


def test_pages_load_without_a_policy_violation(watched, event, organiser):
    page = watched
    show = make_show(event)
    delegation_services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    Sector.objects.create(event=event, code="cyber", name_en="Cyber", name_fr="Cyber", colour="#2563eb")
    show.companies[0].sectors.add(*Sector.objects.filter(event=event))
    make_pavilion(event, "French Pavilion", "FR")
    type(organiser).objects.filter(pk=organiser.pk).update(is_staff=True, is_superuser=True)
    sign_in(page, "org@example.test", factories.PASSWORD)
    slug = event.slug
    for path in (
        f"/{slug}/",
        f"/{slug}/plan/",
        f"/{slug}/plan/5A/",
        f"/{slug}/plan/print/",
        f"/{slug}/plan/route/?from=5A-101&to=5A-102",
        f"/{slug}/delegations/",
        f"/{slug}/delegations/{show.delegation.pk}/timeline/",
        f"/{slug}/meetings/manage/",
        f"/{slug}/exhibitors/manage/applications/",
        f"/{slug}/exhibitors/",
        "/api/docs/",
        "/admin/",
        "/admin/floorplans/stand/",
        f"/admin/floorplans/stand/{show.stands[0].pk}/change/",
        "/admin/exhibitors/badgerequest/add/",
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path

    # The stand panel (fetched by plan.js) and the timeline drawn as SVG.
    page.goto(f"/{slug}/plan/5A/")
    page.locator('g.stand[data-number="5A-101"]').click()
    page.wait_for_selector("#panel-title")
    page.goto(f"/{slug}/delegations/{show.delegation.pk}/timeline/")
    assert page.locator("svg.timeline svg.slot").count() == 1
    assert page.locator("svg.timeline svg.slot text").text_content() == "5A-101"
    # Swagger UI renders the operations from the schema under its own, relaxed policy.
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock-tag")
    assert violations(page) == []


def test_language_switch_and_print_button_work_without_inline_handlers(watched, event):
    page = watched
    visitor = mf.visitor(event, email="vis@example.test")
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("#lang-select").select_option("fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    sign_in_fr = page.get_by_role("button", name="Se connecter")
    assert sign_in_fr.count() == 1

    with page.expect_navigation():
        page.locator("#lang-select").select_option("en")
    sign_in(page, visitor.user.email, factories.PASSWORD)
    page.goto(f"/{event.slug}/meetings/agenda/print/")
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed") == 1
    assert violations(page) == []
