"""Least exposure: the sales side of stands, pavilion desks' contacts and the whole walking matrix
are the organisers'; the matrix (and other heavy endpoints) are throttled."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from exhibition.floorplans.models import Pavilion, Stand
from tests import factories
from tests.factories.floorplans import make_pavilion, make_stand, sell

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(event, company):
    hall = factories.make_hall(event, "5A")
    pavilion = make_pavilion(event, "German Pavilion")
    Pavilion.objects.filter(pk=pavilion.pk).update(contact_name="Desk DE", contact_email="desk@pavilion.test")
    sell(make_stand(event, hall, "5A-1", 10, 10, pavilion=pavilion), company)
    make_stand(event, hall, "5A-2", 20, 10)
    return hall


@pytest.fixture
def people(event, organiser, company_admin):
    return {"organiser": organiser, "exhibitor": company_admin, "visitor": factories.make_visitor(event).user}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", ["exhibitor", "visitor"])
def test_others_see_neither_sales_status_nor_pavilion_contacts(event, plan, people, who):
    client = api(people[who])

    stands = client.get(f"/api/v1/events/{event.slug}/stands/").json()["results"]
    stand = client.get(f"/api/v1/events/{event.slug}/stands/5A-1/").json()
    pavilions = client.get(f"/api/v1/events/{event.slug}/pavilions/").json()["results"]

    for row in (*stands, stand):
        assert not {"status", "held_until", "price"} & set(row)
    assert pavilions == [
        {
            "id": pavilions[0]["id"],
            "name": "German Pavilion",
            "name_fr": "",
            "country": "DE",
            "colour": "#0067a5",
        }
    ]
    assert "desk@pavilion.test" not in str(stands) + str(stand) + str(pavilions)


def test_organisers_see_the_sales_side_and_the_contacts(event, plan, people):
    client = api(people["organiser"])

    stands = {s["number"]: s for s in client.get(f"/api/v1/events/{event.slug}/stands/").json()["results"]}
    pavilions = client.get(f"/api/v1/events/{event.slug}/pavilions/").json()["results"]

    assert (stands["5A-1"]["status"], stands["5A-2"]["status"]) == ("sold", "available")
    assert stands["5A-1"]["price"] == str(Stand.objects.get(number="5A-1").price)
    assert (pavilions[0]["contact_name"], pavilions[0]["contact_email"]) == ("Desk DE", "desk@pavilion.test")


@pytest.mark.parametrize(("who", "shown"), [("visitor", False), ("exhibitor", False), ("organiser", True)])
def test_the_stand_panel_shows_the_pavilion_desk_to_organisers_only(client, event, plan, people, who, shown):
    client.force_login(people[who])

    html = client.get(
        reverse("floorplans:stand", kwargs={"event_slug": event.slug, "hall_code": "5A", "number": "5A-1"})
    ).content.decode()

    assert "German Pavilion" in html
    assert ("mailto:desk@pavilion.test" in html) is shown


@pytest.mark.parametrize("who", ["exhibitor", "visitor"])
def test_the_walking_matrix_is_for_organisers(event, plan, people, who):
    client = api(people[who])

    assert client.get(f"/api/v1/events/{event.slug}/walking-matrix/").status_code == 403
    assert client.post(f"/api/v1/events/{event.slug}/walking-matrix/").status_code == 403
    assert api(people["organiser"]).get(f"/api/v1/events/{event.slug}/walking-matrix/").status_code == 202


def test_the_walking_matrix_is_throttled_per_user_in_the_shared_cache(event, plan, people, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"heavy": "3/hour"}}
    cache.clear()
    client, other = api(people["organiser"]), api(factories.make_organiser(event, email="org2@example.test"))
    url = f"/api/v1/events/{event.slug}/walking-matrix/"

    answers = [client.get(url).status_code for _ in range(4)]
    limited = client.get(url)

    assert answers == [202, 202, 202, 429]
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert other.get(url).status_code == 202  # counted per user
    cache.clear()
