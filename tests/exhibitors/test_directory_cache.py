"""The public directory's listing (filters, count, cards) comes from the shared cache, keyed by the
filters, the page and selectors.directory_stamp: a new product, an admitted company, a booking,
a rename, new sectors or a recoloured sector show on the next request."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from exhibition.accounts.models import Membership
from exhibition.booking import services as booking
from exhibition.exhibitors import services
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.exhibitors import make_exhibitor, make_stand

pytestmark = pytest.mark.django_db


def _page(client, event, **params) -> str:
    response = client.get(reverse("exhibitors:directory", kwargs={"event_slug": event.slug}), params)
    assert response.status_code == 200
    return response.content.decode()


def _card(html: str, name: str) -> str:
    match = re.search(r'<li class="card">(?:(?!</li>).)*>' + re.escape(name) + r"</a>.*?</li>", html, re.S)
    assert match, f"{name} not listed"
    return match.group(0)


def test_the_second_visit_reads_the_listing_from_the_cache(client, event, django_assert_max_num_queries):
    sector = factories.make_sector(event)
    hall = factories.make_hall(event)
    for i in range(30):
        make_stand(
            event,
            hall,
            f"A{i}",
            exhibitor=make_exhibitor(event, f"Exhibitor {i:02d}", sectors=[sector]),
            x=i * 4,
        )
    first = _page(client, event, page="2")
    with django_assert_max_num_queries(2):  # the event and the stamp
        again = _page(client, event, page="2")

    def without_csrf(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert without_csrf(again) == without_csrf(first) and 'rel="prev"' in again and "Page 2 of 2" in again
    assert _page(client, event, page="1") != first
    assert "Page 2 of 2" in _page(client, event, page="9")  # past the end: the last page, as before


def test_a_product_a_new_exhibitor_and_a_booking_show_at_once(client, event, organiser):
    sector = factories.make_sector(event, "drones")
    hall = factories.make_hall(event, "6")
    sky = make_exhibitor(event, "Sky Shield", sectors=[sector], search="counter-drone")
    assert "Sky Shield" not in _page(client, event, q="jammer")
    _page(client, event, q="jammer")  # from the cache now

    admin = factories.make_member(sky, Membership.Role.ADMIN)
    services.add_product(
        organisation=sky, actor=admin, name="RF jammer"
    )  # search text: no other time stamp moves
    assert "Sky Shield" in _page(client, event, q="jammer")

    assert "Cipher Labs" not in _page(client, event)
    make_exhibitor(event, "Cipher Labs", country="DE")
    page = _page(client, event)
    assert "Cipher Labs" in page and '<option value="DE"' in page  # and its country in the filter

    assert "Stand 6A12" not in _card(_page(client, event), "Sky Shield")
    stand = make_stand(event, hall, "6A12")
    booking.assign_stand(event=event, stand=stand, organisation=sky, actor=organiser)
    assert "Stand 6A12, Hall 6" in _card(_page(client, event), "Sky Shield")

    sky.name = "Sky Shield Systems"
    sky.save()
    assert "Sky Shield Systems" in _page(client, event)


def test_sectors_and_their_names_show_at_once(client, event):
    drones = factories.make_sector(event, "drones")
    cipher = make_exhibitor(event, "Cipher Labs")
    assert "chip" not in _card(_page(client, event), "Cipher Labs")
    cipher.sectors.add(drones)  # a plain many-to-many write
    assert "Drones" in _card(_page(client, event), "Cipher Labs")
    drones.name_en = "Unmanned systems"
    drones.colour = "#123456"
    drones.save()
    card = _card(_page(client, event), "Cipher Labs")
    assert "Unmanned systems" in card and "#123456" in card


def test_a_stand_given_back_leaves_the_card(client, event, organiser):
    hall = factories.make_hall(event, "6")
    sky = make_exhibitor(event, "Sky Shield")
    stand = make_stand(event, hall, "6A12", exhibitor=sky)
    assert "Stand 6A12" in _card(_page(client, event), "Sky Shield")
    stand.status = Stand.Status.AVAILABLE
    stand.exhibitor = None
    stand.save()
    assert "Stand 6A12" not in _card(_page(client, event), "Sky Shield")


def test_odd_page_numbers_are_answered_without_the_cache(client, event, monkeypatch):
    make_exhibitor(event, "Cipher Labs")
    stored = []
    monkeypatch.setattr(cache, "set", lambda key, *a, **kw: stored.append(key))
    assert "Cipher Labs" in _page(client, event, page="last")
    assert "Cipher Labs" in _page(client, event, page="1" * 40)
    assert stored == []
    assert "Cipher Labs" in _page(client, event, page="1") and len(stored) == 1


def test_the_listing_is_built_when_the_cache_fails(client, event, monkeypatch):
    make_exhibitor(event, "Cipher Labs")
    monkeypatch.setattr(cache, "get", lambda *a, **kw: None)
    monkeypatch.setattr(cache, "set", lambda *a, **kw: None)
    assert "Cipher Labs" in _page(client, event)
