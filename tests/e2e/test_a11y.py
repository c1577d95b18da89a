"""Every page template, for every role, audited by axe (WCAG 2.0/2.1/2.2 A and AA): once in
English at laptop width and once in French at phone width; each with a title of its own. The
audit itself runs on every page load (tests/e2e/conftest.py); this walk makes sure each template
is loaded at least once.
"""

from __future__ import annotations

import pytest

from exhibition.accreditation.models import Badge, BadgeCategory
from exhibition.delegations.models import Delegation
from exhibition.events.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG
from exhibition.events.models import Hall
from exhibition.exhibitors.models import Application
from exhibition.meetings.models import Meeting, MeetingRequest, Participant, Round
from tests.e2e.conftest import finish_audits, new_audited_context
from tests.support.demo import demo_show

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

S = f"/{DEMO_SLUG}"


def _urls(show) -> dict[str, list[str]]:
    event = show.event
    hall = event.halls.order_by("position").first().code
    company = show.companies[0]
    listed = Participant.objects.filter(event=event, kind="exhibitor").order_by("pk").first()
    app = Application.objects.filter(event=event, state="submitted").order_by("pk").first()
    approved = Application.objects.filter(event=event, state="approved").order_by("pk").first()
    delegation = Delegation.objects.filter(organisation=show.delegations[0]).get()
    visitor_p = Participant.objects.filter(event=event, user=show.users["visitor"]).first()
    request = (
        MeetingRequest.objects.filter(recipient=visitor_p).first()
        or MeetingRequest.objects.filter(sender=visitor_p).first()
    )
    meeting = (
        Meeting.objects.filter(event=event).filter(sender=visitor_p).first()
        or Meeting.objects.filter(event=event, recipient=visitor_p).first()
    )
    rnd = Round.objects.filter(event=event).first()
    stand = company.stands.first()
    badge = Badge.objects.filter(event=event).order_by("pk").first()
    category = BadgeCategory.objects.filter(event=event).order_by("pk").first()
    acc = f"{S}/accreditation"
    return {
        "anonymous": [
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password-reset/",
            "/accounts/confirm/",
            f"{S}/",
            f"{S}/exhibitors/",
            f"{S}/exhibitors/{approved.organisation_id}/",
            f"{S}/plan/",
            f"{S}/plan/{hall}/",
            f"{S}/plan/{hall}/list/",
        ],
        "organiser": [
            f"{S}/",
            f"{S}/manage/visitors/",
            f"{S}/invitations/",
            f"{S}/exhibitors/manage/applications/",
            f"{S}/exhibitors/manage/applications/{app.pk}/",
            f"{S}/exhibitors/manage/screening/",
            f"{S}/exhibitors/manage/settings/",
            f"{S}/booking/manage/",
            f"{S}/booking/manage/invoices/",
            f"{S}/booking/manage/settings/",
            f"{S}/manage/show/",
            f"{S}/manage/show/halls/{Hall.objects.filter(event=event).order_by('pk').first().pk}/",
            f"{S}/plan/settings/",
            "/shows/new/",
            f"{S}/delegations/",
            f"{S}/delegations/{delegation.pk}/",
            f"{S}/delegations/{delegation.pk}/timeline/",
            f"{S}/delegations/halls/",
            f"{S}/meetings/manage/",
            f"{S}/meetings/manage/rounds/",
            *([f"{S}/meetings/manage/rounds/{rnd.pk}/"] if rnd else []),
            f"{S}/meetings/manage/places/",
            f"{S}/meetings/manage/settings/",
            f"{S}/meetings/p/{listed.pk}/",
            f"{S}/plan/{stand.hall.code}/stand/{stand.number}/",
            f"{S}/plan/route/",
            "/accounts/tokens/",
            f"{acc}/manage/",
            f"{acc}/manage/badges/",
            f"{acc}/manage/badges/new/",
            f"{acc}/manage/badges/{badge.pk}/",
            f"{acc}/manage/print/",
            f"{acc}/manage/categories/{category.pk}/",
            f"{acc}/manage/site/",
            f"{acc}/manage/devices/",
            f"{acc}/manage/live/",
            f"{S}/webhooks/",
            f"{S}/privacy/",
            "/privacy/",
        ],
        "exhibitor": [
            f"{S}/",
            f"{S}/exhibitors/companies/{company.pk}/",
            f"{S}/exhibitors/companies/{company.pk}/profile/",
            f"{S}/exhibitors/companies/{company.pk}/staff/",
            f"{S}/exhibitors/companies/{company.pk}/badges/",
            f"{S}/booking/",
            f"{S}/delegations/hosting/",
            f"{S}/meetings/",
            f"{S}/meetings/inbox/",
            f"{S}/meetings/agenda/",
            f"{S}/meetings/team/",
            f"{S}/meetings/profile/",
            f"{S}/invitations/",
            f"{S}/accreditation/leads/",
            f"{S}/accreditation/organisation/{company.pk}/",
        ],
        "delegation": [
            f"{S}/",
            f"{S}/delegations/{delegation.pk}/programme/",
            f"{S}/delegations/{delegation.pk}/",
            f"{S}/meetings/",
            f"{S}/meetings/agenda/",
        ],
        "visitor": [
            f"{S}/",
            f"{S}/meetings/",
            f"{S}/meetings/inbox/",
            f"{S}/meetings/agenda/",
            f"{S}/accreditation/badge/",
            *([f"{S}/meetings/requests/{request.pk}/"] if request else []),
            *([f"{S}/meetings/meeting/{meeting.pk}/"] if meeting else []),
        ],
    }


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_every_page_of_every_role_passes_axe(browser, live_server, axe_source):
    """English at laptop width, then French at phone width, on one demo show."""
    show = demo_show()
    urls = _urls(show)
    violations: list = []
    for language, width, height in (("en", 1280, 800), ("fr", 390, 844)):
        for role, pages in urls.items():
            context = new_audited_context(
                browser,
                live_server.url,
                axe_source,
                violations,
                viewport={"width": width, "height": height},
                locale=language,
            )
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(20_000)
            if role != "anonymous":
                _sign_in(page, DEMO_LOGINS[role])
            titles: dict[str, str] = {}
            for url in pages:
                response = page.goto(url)
                assert response.status == 200, (language, role, url, response.status)
                assert page.locator("html").get_attribute("lang") == language, (role, url)
                titles[url] = page.title()
                page.evaluate("window.__axePending || null")
            # each page names itself: no two pages of a walk share the title in the browser's tab
            assert len(set(titles.values())) == len(titles), (language, role, titles)
            context.close()
    finish_audits(context, violations)
