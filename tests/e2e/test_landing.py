"""A newcomer signs in with each demo login and sees their landing page."""

from __future__ import annotations

import pytest

from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD
from tests.support.demo import demo_show

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "organiser": ("Milipol Paris: organiser dashboard", "1,080"),
    "exhibitor": ("What to do next", "Invite your colleagues"),
    "delegation": ("What to do next", "Head of delegation"),
    "visitor": ("Your visit", "Your registration is approved."),
}


def test_each_demo_login_reaches_its_landing_page(page):
    demo_show()
    for role, email in DEMO_LOGINS.items():
        sign_in(page, email, DEMO_PASSWORD)
        if role == "organiser":  # runs two shows: picks one from the list of events
            page.get_by_role("link", name="Milipol Paris", exact=True).click()
            page.wait_for_load_state()
        assert page.url.rstrip("/").endswith(f"/{DEMO_SLUG}"), (role, page.url)
        heading, text = EXPECTED[role]
        assert heading in page.content(), role
        assert text in page.content(), role
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/accounts/login/")


def test_wrong_password_stays_on_sign_in_with_message(page, organiser):
    sign_in(page, "org@example.test", "not-the-password")
    assert "Please enter a correct e-mail address and password" in page.content()


def test_organiser_invites_from_the_page_and_sees_it_listed(page, event, organiser, company):
    sign_in(page, "org@example.test", PASSWORD)
    page.goto(f"/{event.slug}/invitations/")
    page.get_by_label("E-mail address").fill("boss@aegis.test")
    page.get_by_label("Role").select_option("company_admin")
    page.get_by_label("Organisation").select_option(label="Aegis Systems")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert "Invitation sent to boss@aegis.test." in page.content()
    assert page.get_by_role("cell", name="boss@aegis.test", exact=True).count() == 1
