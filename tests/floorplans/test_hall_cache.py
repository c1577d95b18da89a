"""A visitor's hall plan (SVG, legend, stand count) comes from the shared cache, keyed by what it
draws (selectors.hall_stamp): a booking, a renamed exhibitor, changed sectors, a recoloured
sector or pavilion, a moved stand or a new feature shows on the next request. Organisers, editors
and searches are drawn fresh."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse

from exhibition.booking import services as booking
from exhibition.floorplans import selectors, services
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import approve
from tests.factories.floorplans import make_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(event, organiser):
    hall = factories.make_hall(event, "5A", width=60, depth=40, position=1)
    factories.make_hall(event, "6", width=60, depth=40, origin_x=60, position=2)
    services.create_door(
        event=event, actor=organiser, code="E-5A", name="Entrance 5A", hall_a=hall, hall_b=None, x=0, y=20
    )
    stands = {
        n: services.create_stand(
            event=event, actor=organiser, hall=hall, number=n, x=x, y=10, width=6, depth=4
        )
        for n, x in (("5A-A1", 10), ("5A-A2", 30))
    }
    return {"hall": hall, "stands": stands}


def _url(event, code="5A", **params):
    url = reverse("floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": code})
    if params:
        url += "?" + urlencode(params)
    return url


def _stand(html: str, number: str) -> str:
    match = re.search(
        r'(<a [^>]*>)?<g class="[^"]*"[^>]*data-number="' + re.escape(number) + r'"[^>]*>.*?</g>', html, re.S
    )
    assert match, f"stand {number} not on the page"
    return match.group(0)


def _page(client, event, **params) -> str:
    response = client.get(_url(event, **params))
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_visit_reads_the_plan_from_the_cache(client, event, plan, django_assert_max_num_queries):
    client.force_login(factories.make_visitor(event).user)
    first = _page(client, event)
    with django_assert_max_num_queries(9):  # the person, the event, the halls and one query for the stamp
        again = _page(client, event)

    def without_csrf(html):
        return re.sub(r'(data-csrf="|name="csrfmiddlewaretoken" value=")[^"]*"', "", html)

    assert without_csrf(again) == without_csrf(first)


def test_a_booking_a_rename_and_a_move_show_at_once(client, event, organiser, plan):
    client.force_login(factories.make_visitor(event).user)
    assert "5A-A2 · Free" in _stand(_page(client, event), "5A-A2")
    _page(client, event)  # from the cache now

    company = factories.make_company(event, "Aegis Systems")
    approve(company)
    booking.assign_stand(event=event, stand=plan["stands"]["5A-A2"], organisation=company, actor=organiser)
    assert "5A-A2 · Aegis Systems" in _stand(_page(client, event), "5A-A2")

    company.name = "Aegis Defence"
    company.save()
    assert "5A-A2 · Aegis Defence" in _stand(_page(client, event), "5A-A2")

    services.update_stand(stand=Stand.objects.get(number="5A-A2"), actor=organiser, x=40)
    assert 'data-x="40"' in _stand(_page(client, event), "5A-A2")


def test_sectors_and_their_colours_recolour_the_stands(client, event, organiser, plan):
    company = factories.make_company(event, "Aegis Systems")
    Stand.objects.filter(pk=plan["stands"]["5A-A1"].pk).update(exhibitor=company, status=Stand.Status.SOLD)
    cyber = factories.make_sector(event, "cyber")
    cyber.colour = "#123456"
    cyber.save()
    client.force_login(factories.make_visitor(event).user)
    assert 'fill="#e5e7eb"' in _stand(_page(client, event), "5A-A1")  # no sector yet

    company.sectors.add(cyber)  # a plain many-to-many write: no version, no time stamp moves
    page = _page(client, event)
    assert 'fill="#123456"' in _stand(page, "5A-A1") and "Cyber" in page  # in the legend too

    cyber.colour = "#654321"  # as in the admin
    cyber.save()
    assert 'fill="#654321"' in _stand(_page(client, event), "5A-A1")

    pavilion = services.create_pavilion(
        event=event, actor=organiser, name="French Pavilion", colour="#abcdef"
    )
    assert 'fill="#e5e7eb"' in _stand(_page(client, event, colour="pavilion"), "5A-A1")
    Stand.objects.filter(pk=plan["stands"]["5A-A1"].pk).update(pavilion=pavilion)
    assert 'fill="#abcdef"' in _stand(_page(client, event, colour="pavilion"), "5A-A1")
    pavilion.colour = "#fedcba"
    pavilion.save()
    assert 'fill="#fedcba"' in _stand(_page(client, event, colour="pavilion"), "5A-A1")


def test_features_doors_and_hall_names_show_at_once(client, event, organiser, plan):
    client.force_login(factories.make_visitor(event).user)
    assert "Lounge" not in _page(client, event)
    make_feature(event, plan["hall"], "5A-L1", x=45, y=25, width=6, depth=6, kind="lounge", name="Lounge")
    assert "Lounge" in _page(client, event)

    services.create_door(
        event=event,
        actor=organiser,
        code="D-5A-6",
        name="",
        hall_a=plan["hall"],
        hall_b=event.halls.get(code="6"),
        x=60,
        y=20,
    )
    assert "→ Hall 6" in _page(client, event)
    event.halls.filter(code="6").update(name="Hall Six")
    assert "→ Hall Six" in _page(client, event)


def test_organisers_see_live_status_and_drag_handles_not_the_visitors_plan(client, event, organiser, plan):
    visitor = factories.make_visitor(event).user
    client.force_login(visitor)
    page = _page(client, event)
    assert "data-move=" not in page and "st-available" not in page

    client.force_login(organiser)
    page = _page(client, event, colour="sector")
    assert "data-move=" in _stand(page, "5A-A1") and "st-available" in _stand(page, "5A-A1")

    client.force_login(visitor)
    assert "data-move=" not in _page(client, event)


def test_a_search_marks_its_hits_and_does_not_touch_the_cached_plan(client, event, plan):
    client.force_login(factories.make_visitor(event).user)
    assert "aria-current" in _stand(_page(client, event, q="5A-A2"), "5A-A2")
    assert "aria-current" not in _stand(_page(client, event), "5A-A2")


def test_the_plan_is_drawn_when_the_cache_fails(client, event, plan, monkeypatch):
    client.force_login(factories.make_visitor(event).user)
    monkeypatch.setattr(cache, "get", lambda *a, **kw: None)
    monkeypatch.setattr(cache, "set", lambda *a, **kw: None)
    assert "5A-A2 · Free" in _stand(_page(client, event), "5A-A2")


def test_the_stamp_moves_with_the_hall_not_with_another_hall(event, organiser, plan):
    halls = list(selectors.halls_for_event(event))
    five_a, six = plan["hall"], event.halls.get(code="6")
    before = (selectors.hall_stamp(event, five_a, halls), selectors.hall_stamp(event, six, halls))
    services.create_stand(event=event, actor=organiser, hall=six, number="6-B1", x=10, y=10, width=6, depth=4)
    # A new stand is a new plan version: every hall's key moves; a booking moves only its hall's.
    after = (selectors.hall_stamp(event, five_a, halls), selectors.hall_stamp(event, six, halls))
    assert after[0] != before[0] and after[1] != before[1]
    company = factories.make_company(event)
    approve(company)
    booking.assign_stand(
        event=event, stand=Stand.objects.get(number="6-B1"), organisation=company, actor=organiser
    )
    assert selectors.hall_stamp(event, five_a, halls) == after[0]
    assert selectors.hall_stamp(event, six, halls) != after[1]
