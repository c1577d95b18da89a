"""The route page's site map and list of places come from the shared cache; a booking, a renamed
exhibitor or a moved stand shows at once (the key is what they show, selectors.site_stamp)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from exhibition.booking import services as booking
from exhibition.floorplans import selectors, services
from exhibition.floorplans.models import Door
from tests import factories
from tests.factories.booking import approve
from tests.factories.floorplans import make_feature

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(event, organiser):
    hall = factories.make_hall(event, "5A", width=60, depth=40, position=1)
    services.create_door(
        event=event, actor=organiser, code="E-5A", name="Entrance 5A", hall_a=hall, hall_b=None, x=0, y=20
    )
    return {
        n: services.create_stand(
            event=event, actor=organiser, hall=hall, number=n, x=x, y=10, width=6, depth=4
        )
        for n, x in (("5A-A1", 10), ("5A-A2", 30))
    }


def _page(client, event) -> str:
    return client.get(reverse("floorplans:route", kwargs={"event_slug": event.slug})).content.decode()


def test_a_booking_a_rename_and_a_move_show_at_once(client, event, organiser, plan):
    client.force_login(factories.make_visitor(event).user)
    assert '<option value="5A-A2">Stand 5A-A2</option>' in _page(client, event)
    _page(client, event)  # from the cache now

    company = factories.make_company(event, "Aegis Systems")
    approve(company)
    booking.assign_stand(event=event, stand=plan["5A-A2"], organisation=company, actor=organiser)
    assert '<option value="5A-A2">Stand 5A-A2 · Aegis Systems</option>' in _page(client, event)

    company.name = "Aegis Defence"
    company.save()
    assert '<option value="5A-A2">Stand 5A-A2 · Aegis Defence</option>' in _page(client, event)

    assert 'x="30" y="10" width="6" height="4"' in _page(client, event)
    services.update_stand(stand=plan["5A-A2"], actor=organiser, x=40)
    page = _page(client, event)
    assert 'x="40" y="10" width="6" height="4"' in page and 'x="30" y="10" width="6" height="4"' not in page


def test_the_visitors_site_map_follows_a_moved_stand(client, event, organiser, plan):
    client.force_login(factories.make_visitor(event).user)
    url = reverse("floorplans:overview", kwargs={"event_slug": event.slug})
    assert 'x="30" y="10" width="6" height="4"' in client.get(url).content.decode()
    services.update_stand(stand=plan["5A-A2"], actor=organiser, x=40)
    page = client.get(url).content.decode()
    assert 'x="40" y="10" width="6" height="4"' in page and 'x="30" y="10" width="6" height="4"' not in page


def test_a_new_place_and_a_renamed_door_show_at_once(client, event, organiser, plan):
    client.force_login(factories.make_visitor(event).user)
    assert '<option value="E-5A">Entrance 5A</option>' in _page(client, event)
    hall = plan["5A-A1"].hall
    make_feature(event, hall, "5A-L1", x=45, y=25, width=6, depth=6, kind="lounge", name="VIP lounge")
    assert '<option value="5A-L1">VIP lounge</option>' in _page(client, event)
    Door.objects.filter(code="E-5A").update(name="Main entrance")  # as in the admin: no plan version moves
    page = _page(client, event)
    assert '<option value="E-5A">Main entrance</option>' in page and "Entrance 5A" not in page
    url = reverse("floorplans:route", kwargs={"event_slug": event.slug})
    assert "Main entrance" in client.get(url, {"from": "E-5A", "to": "5A-A2"}).content.decode()


def test_a_route_is_searched_once_per_plan_version(event, organiser, plan, monkeypatch):
    first = selectors.route_between(event, "5A-A1", "5A-A2")
    monkeypatch.setattr(selectors, "walking_graph", lambda *a, **kw: pytest.fail("searched again"))
    assert selectors.route_between(event, "5A-A1", "5A-A2") == first
    monkeypatch.undo()

    services.update_stand(stand=plan["5A-A2"], actor=organiser, x=40)  # a new plan version: searched again
    moved = selectors.route_between(event, "5A-A1", "5A-A2")
    assert moved.metres > first.metres
