"""What an exhibitor reads about staff badges on the company's pages and its landing page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from exhibition.exhibitors.models import BadgeRequest
from tests import factories
from tests.factories.exhibitors import make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def _page(client, user, name, event, **kw):
    client.force_login(user)
    return squash(client.get(reverse(name, kwargs={"event_slug": event.slug, **kw})).content.decode())


def test_before_a_stand_is_booked_the_portal_says_to_book_one(client, event, company, company_admin):
    booking = f"/{event.slug}/booking/"

    home = _page(client, company_admin, "exhibitors:portal", event, org=company.pk)
    badges = _page(client, company_admin, "exhibitors:portal_badges", event, org=company.pk)

    assert f'<p class="quota"><a href="{booking}">Book a stand to get staff badges.</a></p>' in home
    assert f'<p class="quota"><a href="{booking}">Book a stand to get staff badges.</a></p>' in badges
    assert "Badge quota" not in home + badges and "0 badges for 0 m²" not in home + badges
    assert "<p>Book a stand to get staff badges.</p>" in badges  # instead of the request form
    assert 'name="name"' not in badges


def test_landing_counts_the_staff_badges_left_to_request(client, event, company, company_admin):
    make_stand(event, factories.make_hall(event), "5A-1", exhibitor=company, width=4, depth=5)  # 4 badges
    BadgeRequest.objects.create(event=event, organisation=company, name="Ana Silva")

    html = _page(client, company_admin, "events:home", event)

    assert "3 staff badges left to request" in html and "1 badge requested out of 4" in html
    assert "left to register" not in html

    for name in ("Bo Chen", "Cy Diaz"):
        BadgeRequest.objects.create(event=event, organisation=company, name=name)
    html = _page(client, company_admin, "events:home", event)

    assert "1 staff badge left to request" in html and "3 badges requested out of 4" in html
