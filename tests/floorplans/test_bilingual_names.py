"""Doors and pavilions have a French name as well: French pages, routes, programmes and the public
plan read it (the English name when there is none), English pages keep the English one, and the
organiser's forms and the API write it. The English name stays the identifier."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from exhibition.core.errors import DomainError
from exhibition.core.models import AuditLogEntry
from exhibition.delegations.places import place_names
from exhibition.floorplans import services
from exhibition.floorplans.models import Door, Pavilion, Stand
from tests import factories
from tests.factories.exhibitors import make_exhibitor
from tests.support.html import squash

pytestmark = pytest.mark.django_db

FR = {"HTTP_ACCEPT_LANGUAGE": "fr"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def url(name, event, **kw):
    return reverse(f"floorplans:{name}", kwargs={"event_slug": event.slug, **kw})


def page(client, address, **headers) -> str:
    response = client.get(address, **headers)
    assert response.status_code == 200, response.status_code
    return squash(response.content.decode())


@pytest.fixture
def plan(event, organiser, halls, company):
    """A pavilion with a French name and one without, an entrance and a door with French names
    and an entrance without, and a stand of each pavilion (one sold to ``company``)."""
    german = services.create_pavilion(
        event=event, actor=organiser, name="German Pavilion", name_fr="Pavillon allemand", colour="#abcdef"
    )
    dutch = services.create_pavilion(event=event, actor=organiser, name="Dutch Pavilion", colour="#123456")
    door = {"event": event, "actor": organiser, "hall_a": halls["5A"]}
    services.create_door(
        **door, code="E-WEST", name="West entrance", name_fr="Entrée ouest", hall_b=None, x=0, y=20
    )
    services.create_door(
        **door, code="D-5A-6", name="Door 5A/6", name_fr="Porte 5A/6", hall_b=halls["6"], x=60, y=20
    )
    services.create_door(**door, code="E-TOP", name="Top entrance", hall_b=None, x=30, y=0)
    stand = {"event": event, "actor": organiser, "width": 6, "depth": 4}
    services.create_stand(**stand, hall=halls["5A"], number="5A-A1", x=10, y=10, pavilion=german)
    services.create_stand(**stand, hall=halls["5A"], number="5A-A2", x=30, y=10, pavilion=dutch)
    services.create_stand(**stand, hall=halls["6"], number="6-B1", x=10, y=10)
    Stand.objects.filter(number="5A-A1").update(status=Stand.Status.SOLD, exhibitor=company)
    return {"german": german, "dutch": dutch}


@pytest.fixture
def visitor(event):
    return factories.make_visitor(event).user


# --- the models -------------------------------------------------------------------------------------


def test_label_is_the_french_name_on_french_pages_else_the_name_else_the_code(event, halls):
    named = Door(event=event, code="E-1", name="West entrance", name_fr="Entrée ouest", hall_a=halls["5A"])
    english_only = Door(event=event, code="E-2", name="North entrance", hall_a=halls["5A"])
    bare = Door(event=event, code="E-3", hall_a=halls["5A"])
    pavilion = Pavilion(event=event, name="German Pavilion", name_fr="Pavillon allemand")
    plain = Pavilion(event=event, name="Dutch Pavilion")

    with translation.override("en"):
        english = [str(named), str(english_only), str(bare), str(pavilion), str(plain)]
    with translation.override("fr"):
        french = [str(named), str(english_only), str(bare), str(pavilion), str(plain)]

    assert english == ["West entrance", "North entrance", "E-3", "German Pavilion", "Dutch Pavilion"]
    assert french == ["Entrée ouest", "North entrance", "E-3", "Pavillon allemand", "Dutch Pavilion"]


# --- what people read -------------------------------------------------------------------------------


def test_hall_plan_names_pavilions_and_doors_in_the_readers_language_from_the_cache(
    client, event, visitor, plan
):
    """The visitors' plan is cached: English, then French, then English again each read their own."""
    client.force_login(visitor)
    address = url("hall", event, hall_code="5A") + "?colour=pavilion"

    english = page(client, address, **EN)
    french = page(client, address, **FR)
    english_again = page(client, address, **EN)
    french_again = page(client, address, **FR)

    for html in (english, english_again):
        assert "German Pavilion" in html and "Pavillon allemand" not in html
        assert "West entrance" in html and "Entrée ouest" not in html
        assert "Porte 5A/6" not in html
    for html in (french, french_again):
        assert "Pavillon allemand" in html and "German Pavilion" not in html
        assert "Entrée ouest" in html and "West entrance" not in html
        assert "Porte 5A/6" in html
        assert "Dutch Pavilion" in html and "Top entrance" in html  # no French name: the English one


def test_a_french_name_set_later_reaches_the_cached_french_plan(client, event, visitor, plan, organiser):
    client.force_login(visitor)
    address = url("hall", event, hall_code="5A") + "?colour=pavilion"
    assert "Dutch Pavilion" in page(client, address, **FR)

    services.update_pavilion(pavilion=plan["dutch"], actor=organiser, name_fr="Pavillon néerlandais")
    french = page(client, address, **FR)
    services.update_door(door=Door.objects.get(code="E-TOP"), actor=organiser, name_fr="Entrée nord")

    assert "Pavillon néerlandais" in french and "Dutch Pavilion" not in french
    assert "Entrée nord" in page(client, address, **FR)
    assert "Dutch Pavilion" in page(client, address, **EN)


def test_site_map_titles_doors_in_the_readers_language(client, event, visitor, plan):
    client.force_login(visitor)

    english = page(client, url("overview", event), **EN)
    french = page(client, url("overview", event), **FR)

    assert "<title>West entrance</title>" in english and "Entrée ouest" not in english
    assert "<title>Entrée ouest</title>" in french and "<title>West entrance</title>" not in french
    assert "<title>Top entrance</title>" in french


def test_walking_route_names_doors_in_the_readers_language(client, event, visitor, plan):
    client.force_login(visitor)
    address = url("route", event) + "?" + urlencode({"from": "E-WEST", "to": "6-B1"})

    english = page(client, address, **EN)
    french = page(client, address, **FR)
    english_again = page(client, address, **EN)

    for html in (english, english_again):
        assert "West entrance (E-WEST)" in html and "Door 5A/6" in html
        assert '<option value="E-WEST">West entrance</option>' in html
        assert "Entrée ouest" not in html and "Porte 5A/6" not in html
    assert "Entrée ouest (E-WEST)" in french and "Porte 5A/6" in french
    assert '<option value="E-WEST">Entrée ouest</option>' in french
    assert '<option value="E-TOP">Top entrance</option>' in french
    assert "West entrance" not in french and "Door 5A/6" not in french


def test_stand_panel_and_list_name_the_pavilion_in_the_readers_language(client, event, visitor, plan):
    client.force_login(visitor)
    panel = url("stand", event, hall_code="5A", number="5A-A1")
    listing = url("hall_list", event, hall_code="5A")

    assert "German Pavilion" in page(client, panel, **EN)
    assert "Pavillon allemand" in page(client, panel, **FR)
    french_list = page(client, listing, **FR)
    assert "Pavillon allemand" in french_list and "Dutch Pavilion" in french_list
    assert "German Pavilion" in page(client, listing, **EN)


def test_pavilion_list_shows_the_french_name_on_french_pages(client, event, organiser, plan):
    client.force_login(organiser)

    english = page(client, url("pavilions", event), **EN)
    french = page(client, url("pavilions", event), **FR)

    assert '<th scope="row">German Pavilion</th>' in english
    assert '<th scope="row">Pavillon allemand</th>' in french
    assert '<th scope="row">Dutch Pavilion</th>' in french


def test_pavilion_list_is_in_the_order_of_the_names_the_reader_reads(client, event, organiser, plan):
    services.create_pavilion(
        event=event, actor=organiser, name="Austrian Pavilion", name_fr="Pavillon autrichien"
    )
    client.force_login(organiser)

    def order(html):
        return re.findall(r'<th scope="row">([^<]*Pavi[^<]*)</th>', html)

    assert order(page(client, url("pavilions", event), **EN)) == [
        "Austrian Pavilion",
        "Dutch Pavilion",
        "German Pavilion",
    ]
    assert order(page(client, url("pavilions", event), **FR)) == [
        "Dutch Pavilion",
        "Pavillon allemand",
        "Pavillon autrichien",
    ]


def test_doors_page_shows_the_french_name_on_french_pages(client, event, organiser, plan):
    client.force_login(organiser)

    english = page(client, url("door_list", event, hall_code="5A"), **EN)
    french = page(client, url("door_list", event, hall_code="5A"), **FR)

    assert "<td>West entrance</td>" in english and "Entrée ouest" not in english
    assert "<td>Entrée ouest</td>" in french and "<td>West entrance</td>" not in french
    assert "<td>Top entrance</td>" in french


def test_exhibitor_directory_and_profile_name_pavilions_in_the_readers_language(client, event, halls, plan):
    org = make_exhibitor(event, "Sky Shield")
    Stand.objects.filter(number="5A-A2").update(status=Stand.Status.SOLD, exhibitor=org)
    directory = reverse("exhibitors:directory", kwargs={"event_slug": event.slug})
    profile = reverse("exhibitors:profile", kwargs={"event_slug": event.slug, "pk": org.pk})
    german = plan["german"].pk

    english = page(client, directory, **EN)
    french = page(client, directory, **FR)
    english_again = page(client, directory, **EN)

    assert f'<option value="{german}">German Pavilion</option>' in english
    assert f'<option value="{german}">Pavillon allemand</option>' in french
    assert "Pavillon allemand" not in english_again
    # by the name the reader reads: "Dutch Pavilion" before "Pavillon allemand" in French
    assert french.index("Dutch Pavilion") < french.index("Pavillon allemand")
    services.update_pavilion(pavilion=plan["dutch"], actor=None, name_fr="Pavillon néerlandais")
    assert "Pavillon néerlandais" in page(client, directory, **FR)  # the cached listing is stale
    assert "Pavillon néerlandais" in page(client, profile, **FR)
    assert "Dutch Pavilion" in page(client, profile, **EN)


def test_delegation_programmes_name_entrances_in_the_readers_language(event, plan):
    with translation.override("en"):
        english = place_names(event, {"E-WEST", "E-TOP"})
    with translation.override("fr"):
        french = place_names(event, {"E-WEST", "E-TOP"})

    assert english == {"E-WEST": "West entrance", "E-TOP": "Top entrance"}
    assert french == {"E-WEST": "Entrée ouest", "E-TOP": "Top entrance"}


# --- the organiser's forms --------------------------------------------------------------------------


DOOR = {"code": "e-south", "name": "South entrance", "leads_to": "", "wall": "bottom", "position": "50"}
PAVILION = {"name": "Italian Pavilion", "country": "IT", "colour": "#112233"}


def test_door_form_saves_the_french_name_and_logs_its_change(client, event, organiser, plan):
    client.force_login(organiser)

    created = client.post(
        url("door_create", event, hall_code="5A"), {**DOOR, "width": "2", "name_fr": " Entrée sud "}
    )
    edit = url("door_edit", event, hall_code="5A", code="E-SOUTH")
    form = client.get(edit).content.decode()
    edited = client.post(edit, {**DOOR, "width": "2", "name_fr": "Entrée du sud"})

    assert created.status_code == 302 and edited.status_code == 302
    assert 'value="Entrée sud"' in form
    assert "E.g. Entrée nord. Shown on French pages; left empty, they show the English name." in form
    assert Door.objects.get(code="E-SOUTH").name_fr == "Entrée du sud"
    entry = AuditLogEntry.objects.get(action="door.changed")
    assert entry.data["changes"] == {"name_fr": ["Entrée sud", "Entrée du sud"]}


def test_door_form_refuses_a_too_long_french_name(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(
        url("door_create", event, hall_code="5A"), {**DOOR, "width": "2", "name_fr": "x" * 101}
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name_fr"]
    assert not Door.objects.filter(code="E-SOUTH").exists()


def test_pavilion_form_saves_the_french_name(client, event, organiser, plan):
    client.force_login(organiser)

    created = client.post(url("pavilion_create", event), {**PAVILION, "name_fr": "Pavillon italien"})
    pavilion = Pavilion.objects.get(name="Italian Pavilion")
    form = client.get(url("pavilion_edit", event, pk=pavilion.pk)).content.decode()
    edited = client.post(url("pavilion_edit", event, pk=pavilion.pk), {**PAVILION, "name_fr": ""})

    assert created.status_code == 302 and edited.status_code == 302
    assert 'value="Pavillon italien"' in form
    pavilion.refresh_from_db()
    assert pavilion.name_fr == ""
    entry = AuditLogEntry.objects.get(action="pavilion.changed")
    assert entry.data["changes"] == {"name_fr": ["Pavillon italien", ""]}


@pytest.mark.parametrize(
    "name_fr", ["pavillon ALLEMAND", "German pavilion", "x" * 151], ids=["french", "english", "long"]
)
def test_pavilion_form_refuses_a_taken_or_too_long_french_name(client, event, organiser, plan, name_fr):
    client.force_login(organiser)

    response = client.post(url("pavilion_create", event), {**PAVILION, "name_fr": name_fr})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name_fr"]
    assert not Pavilion.objects.filter(name="Italian Pavilion").exists()


def test_a_pavilion_may_keep_its_own_french_name_and_not_take_anothers(event, organiser, plan):
    german = services.update_pavilion(
        pavilion=plan["german"], actor=organiser, name_fr="PAVILLON ALLEMAND", country="AT"
    )
    assert german.name_fr == "PAVILLON ALLEMAND"

    with pytest.raises(DomainError) as refused:
        services.update_pavilion(pavilion=plan["dutch"], actor=organiser, name_fr="Pavillon allemand")

    assert refused.value.field == "name_fr"
    assert Pavilion.objects.get(pk=plan["dutch"].pk).name_fr == ""


# --- the API ----------------------------------------------------------------------------------------


@pytest.fixture
def api(organiser):
    client = APIClient()
    client.force_authenticate(organiser)
    return client


def api_url(event, path):
    return f"/api/v1/events/{event.slug}/{path}"


def test_api_writes_and_reads_french_names(api, event, plan):
    door = api.post(
        api_url(event, "doors/"),
        {
            "code": "E-SOUTH",
            "name": "South entrance",
            "name_fr": "Entrée sud",
            "hall": "5A",
            "x": 50,
            "y": 40,
        },
        format="json",
    )
    door_changed = api.patch(api_url(event, "doors/E-SOUTH/"), {"name_fr": "Entrée du sud"}, format="json")
    door_read = api.get(api_url(event, "doors/E-SOUTH/"))
    pavilion = api.post(
        api_url(event, "pavilions/"),
        {"name": "Italian Pavilion", "name_fr": "Pavillon italien"},
        format="json",
    )
    pk = pavilion.json()["id"]
    pavilion_changed = api.patch(api_url(event, f"pavilions/{pk}/"), {"country": "IT"}, format="json")
    pavilion_read = api.get(api_url(event, f"pavilions/{pk}/"))

    assert door.status_code == 201 and door.json()["name_fr"] == "Entrée sud"
    assert door_changed.status_code == 200
    assert (door_read.json()["name"], door_read.json()["name_fr"]) == ("South entrance", "Entrée du sud")
    assert pavilion.status_code == 201 and pavilion.json()["name_fr"] == "Pavillon italien"
    assert pavilion_changed.status_code == 200
    assert (pavilion_read.json()["name"], pavilion_read.json()["name_fr"]) == (
        "Italian Pavilion",
        "Pavillon italien",
    )
    # the English name stays the identifier: the stands' filter and the stands' pavilion
    stands = api.get(api_url(event, "stands/"), {"pavilion": "German Pavilion"}).json()["results"]
    assert [(s["number"], s["pavilion"]) for s in stands] == [("5A-A1", "German Pavilion")]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("doors/E-WEST/", {"name_fr": "x" * 101}),
        ("doors/E-WEST/", {"name_fr": None}),
        ("doors/E-WEST/", {"name_fr": ["Entrée"]}),
        ("pavilions/{german}/", {"name_fr": "x" * 151}),
        ("pavilions/{german}/", {"name_fr": None}),
        ("pavilions/{dutch}/", {"name_fr": "pavillon allemand"}),
    ],
)
def test_api_bad_french_name_is_400_on_its_field(api, event, plan, path, body):
    address = api_url(event, path.format(german=plan["german"].pk, dutch=plan["dutch"].pk))

    response = api.patch(address, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["name_fr"]
    assert Door.objects.get(code="E-WEST").name_fr == "Entrée ouest"
    assert sorted(Pavilion.objects.values_list("name_fr", flat=True)) == ["", "Pavillon allemand"]


# --- the stand import -------------------------------------------------------------------------------


def test_stand_import_finds_a_pavilion_by_either_name(event, organiser, plan):
    data = (
        "number,hall,x,y,width,depth,pavilion\n"
        "5A-C1,5A,10,25,3,3,pavillon ALLEMAND\n"
        "5A-C2,5A,20,25,3,3,dutch pavilion\n"
    )

    services.import_stands_csv(event=event, actor=organiser, data=data)

    assert dict(Stand.objects.filter(number__startswith="5A-C").values_list("number", "pavilion__name")) == {
        "5A-C1": "German Pavilion",
        "5A-C2": "Dutch Pavilion",
    }
