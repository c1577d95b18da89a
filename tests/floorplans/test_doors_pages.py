"""Doors and entrances of a hall, from the organiser's pages and the API: adding, changing and
removing them through the same services, refusals, permissions, and routes that start at them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from exhibition.accounts.models import EventStaff
from exhibition.core.models import AuditLogEntry
from exhibition.floorplans import door_uses, selectors
from exhibition.floorplans.models import Door, PlanSettings
from exhibition.floorplans.walking import WalkingError
from tests import factories
from tests.factories.delegations import give_day, make_official_delegation
from tests.factories.floorplans import make_door, make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def stands(event, halls):
    return {
        "5A-A1": make_stand(event, halls["5A"], "5A-A1", 20, 10, width=6, depth=4),
        "6-B1": make_stand(event, halls["6"], "6-B1", 20, 10, width=6, depth=4),
    }


def url(name, event, **kw):
    return reverse(f"floorplans:{name}", kwargs={"event_slug": event.slug, **kw})


def version(event) -> int:
    return PlanSettings.objects.get(event=event).version


ENTRANCE = {
    "code": "e-west",
    "name": "West entrance",
    "leads_to": "",
    "wall": "left",
    "position": "20",
    "width": "4",
}


# --- pages ----------------------------------------------------------------------------------------


def test_organiser_adds_an_entrance_and_a_route_starts_there(client, event, organiser, halls, stands):
    client.force_login(organiser)
    with pytest.raises(WalkingError):
        selectors.route_between(event, "E-WEST", "5A-A1")
    before = version(event)

    response = client.post(url("door_create", event, hall_code="5A"), ENTRANCE)

    assert response.status_code == 302
    assert response["Location"] == url("door_list", event, hall_code="5A")
    door = Door.objects.get()
    assert (door.code, door.name, door.hall_a, door.hall_b, door.x, door.y, door.width) == (
        "E-WEST",
        "West entrance",
        halls["5A"],
        None,
        0.0,
        20.0,
        4.0,
    )
    assert version(event) == before + 1
    assert AuditLogEntry.objects.filter(
        action="door.created", object_id=str(door.pk), actor=organiser
    ).exists()
    route = selectors.route_between(event, "E-WEST", "5A-A1")
    assert route.origin == "E-WEST" and route.destination == "5A-A1" and route.minutes > 0
    page = client.get(url("route", event), {"from": "e-west", "to": "5a-a1"})
    assert page.status_code == 200
    assert "From West entrance (E-WEST) to Stand 5A-A1:" in squash(page.content.decode())


def test_door_list_says_where_each_door_leads(client, event, organiser, halls):
    make_door(event, "E-5A", halls["5A"], None, 0, 20, width=4)
    make_door(event, "D-5A-6", halls["5A"], halls["6"], 60, 10, width=3)
    client.force_login(organiser)

    html = squash(client.get(url("door_list", event, hall_code="5a")).content.decode())
    hall_6 = squash(client.get(url("door_list", event, hall_code="6")).content.decode())

    assert '<th scope="row">D-5A-6</th><td></td><td>Hall 6</td><td>Right wall</td>' in html
    assert '<th scope="row">E-5A</th><td></td><td>Outside (entrance)</td><td>Left wall</td>' in html
    assert '<th scope="row">D-5A-6</th><td></td><td>Hall 5A</td><td>Left wall</td>' in hall_6
    assert "This hall has no entrance from outside" in hall_6
    assert "This hall has no entrance from outside" not in html


def test_a_door_to_the_next_hall_joins_their_routes(client, event, organiser, halls, stands):
    client.force_login(organiser)
    client.post(url("door_create", event, hall_code="5A"), ENTRANCE)

    response = client.post(
        url("door_create", event, hall_code="5A"),
        {"code": "D-5A-6", "leads_to": "6", "wall": "right", "position": "10", "width": "3"},
    )

    assert response.status_code == 302
    door = Door.objects.get(code="D-5A-6")
    assert (door.hall_a, door.hall_b, door.x, door.y) == (halls["5A"], halls["6"], 60.0, 10.0)
    route = selectors.route_between(event, "E-WEST", "6-B1")
    assert route.doors == ["E-WEST", "D-5A-6"]


def test_organiser_edits_a_door_from_the_other_hall_and_it_keeps_its_halls(client, event, organiser, halls):
    door = make_door(event, "D-5A-6", halls["5A"], halls["6"], 60, 10, width=3)
    client.force_login(organiser)
    edit = url("door_edit", event, hall_code="6", code="d-5a-6")
    form = client.get(edit).content.decode()
    assert 'value="10"' in form and '<option value="left" selected>' in form

    response = client.post(
        edit,
        {
            "code": "D-5A-6",
            "name": "Between",
            "leads_to": "5A",
            "wall": "left",
            "position": "30",
            "width": "5",
        },
    )

    assert response.status_code == 302
    door.refresh_from_db()
    assert (door.name, door.hall_a, door.hall_b, door.x, door.y, door.width) == (
        "Between",
        halls["5A"],
        halls["6"],
        60.0,
        30.0,
        5.0,
    )
    entry = AuditLogEntry.objects.get(action="door.changed")
    assert entry.data["changes"] == {"name": ["", "Between"], "y": ["10.0", "30.0"], "width": ["3.0", "5.0"]}


def test_organiser_removes_a_door(client, event, organiser, halls):
    make_door(event, "E-5A", halls["5A"], None, 0, 20)
    before = version(event)
    client.force_login(organiser)
    delete = url("door_delete", event, hall_code="5A", code="E-5A")
    assert "Remove the entrance E-5A?" in client.get(delete).content.decode()

    response = client.post(delete)

    assert response.status_code == 302
    assert not Door.objects.exists()
    assert version(event) == before + 1
    assert AuditLogEntry.objects.filter(action="door.deleted", object_repr="E-5A").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"position": "abc"}, "position", "Enter a number."),
        ({"position": "41"}, "position", "This wall is 40 m long: enter 0 to 40."),
        ({"position": "1e300"}, "position", "This wall is 40 m long"),
        ({"position": "1", "width": "4"}, "width", "runs past the end of a wall of Hall 5A"),
        ({"wall": "right"}, "leads_to", "this is a door to Hall 6, not an entrance from outside"),
        ({"wall": "inside"}, "wall", "Select a valid choice."),
        ({"code": "5a-a1"}, "code", "5A-A1 is already a stand number at this event"),
        ({"code": ""}, "code", "This field is required."),
        (
            {"leads_to": "6", "wall": "top"},
            "position",
            "Hall 6 touches the right wall of Hall 5A: put the door there.",
        ),
        ({"leads_to": "99"}, "leads_to", "Select a valid choice."),
    ],
)
def test_bad_door_input_is_a_field_error_and_writes_nothing(
    client, event, organiser, halls, stands, changes, field, message
):
    client.force_login(organiser)
    before = version(event)

    response = client.post(url("door_create", event, hall_code="5A"), {**ENTRANCE, **changes})

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert not Door.objects.exists()
    assert version(event) == before


def test_a_door_in_use_is_neither_removed_nor_recoded(client, event, organiser, halls, monkeypatch):
    door = make_door(event, "E-5A", halls["5A"], None, 0, 20)
    monkeypatch.setattr(door_uses, "_door_uses", [lambda d: ["2 delegation days start or end here"]])
    client.force_login(organiser)

    removed = client.post(url("door_delete", event, hall_code="5A", code="E-5A"))
    recoded = client.post(
        url("door_edit", event, hall_code="5A", code="E-5A"),
        {"code": "E-NEW", "leads_to": "", "wall": "left", "position": "20", "width": "2"},
    )
    moved = client.post(
        url("door_edit", event, hall_code="5A", code="E-5A"),
        {"code": "E-5A", "leads_to": "", "wall": "left", "position": "25", "width": "2"},
    )

    assert removed.status_code == 409
    assert "Door E-5A cannot be removed: 2 delegation days start or end here." in removed.content.decode()
    assert recoded.status_code == 409
    assert "Door E-5A keeps its code" in " ".join(recoded.context["form"].errors["code"])
    assert moved.status_code == 302
    door.refresh_from_db()
    assert (door.code, door.y) == ("E-5A", 25.0)


def test_a_door_a_delegation_starts_its_day_at_stays(client, event, organiser, halls):
    make_door(event, "E-5A", halls["5A"], None, 0, 20)
    give_day(make_official_delegation(event), point="E-5A")
    client.force_login(organiser)
    removed = client.post(url("door_delete", event, hall_code="5A", code="E-5A"))
    assert removed.status_code == 409
    assert "Door E-5A cannot be removed: 1 delegation day starts or ends here." in removed.content.decode()
    assert Door.objects.filter(code="E-5A").exists()


@pytest.mark.parametrize("who", ["exhibitor", "other_organiser", "visitor"])
def test_others_may_not_touch_doors(client, event, other_event, halls, company, who):
    door = make_door(event, "E-5A", halls["5A"], None, 0, 20)
    users = {
        "exhibitor": lambda: factories.make_member(company, "admin"),
        "other_organiser": lambda: factories.make_organiser(other_event),
        "visitor": lambda: factories.make_visitor(event).user,
    }
    client.force_login(users[who]())
    pages = [
        url("door_list", event, hall_code="5A"),
        url("door_create", event, hall_code="5A"),
        url("door_edit", event, hall_code="5A", code="E-5A"),
        url("door_delete", event, hall_code="5A", code="E-5A"),
    ]

    assert [client.get(p).status_code for p in pages] == [403] * 4
    assert [client.post(p, {**ENTRANCE, "code": "E-5A"}).status_code for p in pages[1:]] == [403] * 3
    assert list(Door.objects.values_list("code", "y")) == [("E-5A", 20.0)]
    assert door.pk == Door.objects.get().pk


def test_anonymous_is_sent_to_sign_in(client, event, halls):
    response = client.post(url("door_create", event, hall_code="5A"), ENTRANCE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Door.objects.exists()


def test_organiser_staff_may_edit_doors(client, event, halls):
    client.force_login(factories.make_organiser(event, role=EventStaff.Role.STAFF))
    assert client.post(url("door_create", event, hall_code="5A"), ENTRANCE).status_code == 302
    assert Door.objects.get().code == "E-WEST"


@pytest.mark.parametrize("n", [1, 3])
def test_door_list_query_count_is_the_same_for_1_and_3(
    client, event, organiser, halls, n, django_assert_num_queries
):
    for i in range(n):
        make_door(event, f"E-{i}", halls["5A"], None, 0, 5 + 10 * i)
    client.force_login(organiser)
    client.get(url("door_list", event, hall_code="5A"))  # warm the session and roles

    with django_assert_num_queries(8):
        response = client.get(url("door_list", event, hall_code="5A"))

    assert response.status_code == 200
    assert squash(response.content.decode()).count('<th scope="row">E-') == n


def test_hall_page_links_to_its_doors_for_editors_only(client, event, organiser, halls, company):
    link = url("door_list", event, hall_code="5A")
    client.force_login(organiser)
    assert link in client.get(url("hall", event, hall_code="5A")).content.decode()
    client.force_login(factories.make_member(company, "admin"))
    assert link not in client.get(url("hall", event, hall_code="5A")).content.decode()


# --- API --------------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def api_url(event, path=""):
    return f"/api/v1/events/{event.slug}/doors/{path}"


def test_api_adds_reads_changes_and_removes_a_door(api, event, organiser, halls, stands):
    api.force_authenticate(organiser)

    created = api.post(
        api_url(event), {"code": "e-west", "hall": "5A", "x": 0, "y": 20, "width": 4}, format="json"
    )
    joined = api.post(
        api_url(event), {"code": "D-5A-6", "hall": "5A", "to_hall": "6", "x": 60, "y": 10}, format="json"
    )
    listed = api.get(api_url(event), {"hall": "6"})
    changed = api.patch(api_url(event, "e-west/"), {"y": 25, "name": "West"}, format="json")

    assert created.status_code == 201
    assert created.json() == {
        "id": Door.objects.get(code="E-WEST").pk,
        "code": "E-WEST",
        "name": "",
        "name_fr": "",
        "hall": "5A",
        "to_hall": None,
        "is_entrance": True,
        "x": 0.0,
        "y": 20.0,
        "width": 4.0,
        "wall": "left",
        "position": 20.0,
    }
    assert joined.status_code == 201 and joined.json()["to_hall"] == "6"
    assert [d["code"] for d in listed.json()["results"]] == ["D-5A-6"]
    assert changed.status_code == 200
    assert (changed.json()["name"], changed.json()["y"], changed.json()["to_hall"]) == ("West", 25.0, None)
    assert selectors.route_between(event, "E-WEST", "6-B1").doors == ["E-WEST", "D-5A-6"]

    assert api.delete(api_url(event, "E-WEST/")).status_code == 204
    assert list(Door.objects.values_list("code", flat=True)) == ["D-5A-6"]
    assert api.get(api_url(event, "E-WEST/")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"x": "abc"}, "x"),
        ({"x": 1e300}, "x"),
        ({"x": [0]}, "x"),
        ({"y": 55}, "x"),
        ({"width": 0}, "width"),
        ({"width": "huge"}, "width"),
        ({"hall": "99"}, "hall"),
        ({"to_hall": "5A"}, "to_hall"),
        ({"x": 60, "y": 20}, "to_hall"),
        ({"code": "5A-A1"}, "code"),
        ({"code": ["E"]}, "code"),
        ({"code": "X" * 41}, "code"),
    ],
)
def test_api_bad_door_is_400_on_its_field_and_writes_nothing(
    api, event, organiser, halls, stands, body, field
):
    api.force_authenticate(organiser)

    response = api.post(
        api_url(event), {"code": "E-WEST", "hall": "5A", "x": 0, "y": 20, **body}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Door.objects.exists()


def test_api_refuses_a_json_array_and_a_door_in_use(api, event, organiser, halls, monkeypatch):
    make_door(event, "E-5A", halls["5A"], None, 0, 20)
    api.force_authenticate(organiser)
    monkeypatch.setattr(door_uses, "_door_uses", [lambda d: ["1 delegation day starts or ends here"]])

    array = api.post(api_url(event), [{"code": "E-2", "hall": "5A", "x": 0, "y": 30}], format="json")
    removed = api.delete(api_url(event, "E-5A/"))
    to_hall = api.patch(api_url(event, "E-5A/"), {"to_hall": "6", "x": 60, "y": 20}, format="json")

    assert array.status_code == 400
    assert removed.status_code == 409
    assert removed.json()["detail"] == "Door E-5A cannot be removed: 1 delegation day starts or ends here."
    assert to_hall.status_code == 409
    assert to_hall.json() == {
        "to_hall": ["Door E-5A stays an entrance from outside: 1 delegation day starts or ends here."]
    }
    assert list(Door.objects.values_list("code", "hall_b", "x")) == [("E-5A", None, 0.0)]


def test_api_doors_for_others(api, event, halls, company):
    make_door(event, "E-5A", halls["5A"], None, 0, 20)
    assert api.get(api_url(event)).status_code == 401
    assert (
        api.post(api_url(event), {"code": "E-2", "hall": "5A", "x": 0, "y": 30}, format="json").status_code
        == 401
    )
    api.force_authenticate(factories.make_member(company, "admin"))

    listed = api.get(api_url(event))
    created = api.post(api_url(event), {"code": "E-2", "hall": "5A", "x": 0, "y": 30}, format="json")
    changed = api.patch(api_url(event, "E-5A/"), {"y": 30}, format="json")
    removed = api.delete(api_url(event, "E-5A/"))

    assert listed.status_code == 200 and [d["code"] for d in listed.json()["results"]] == ["E-5A"]
    assert (created.status_code, changed.status_code, removed.status_code) == (403, 403, 403)
    assert list(Door.objects.values_list("code", "y")) == [("E-5A", 20.0)]


@pytest.mark.parametrize("n", [1, 3])
def test_api_door_list_query_count_is_the_same_for_1_and_3(
    api, event, organiser, halls, n, django_assert_num_queries
):
    for i in range(n):
        make_door(event, f"E-{i}", halls["5A"], None, 0, 5 + 10 * i)
    api.force_authenticate(organiser)

    with django_assert_num_queries(3):
        response = api.get(api_url(event))

    assert response.json()["count"] == n
