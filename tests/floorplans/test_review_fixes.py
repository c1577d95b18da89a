"""What a person reads on the floor plan pages and in the API after the review of a brand-new show:
placement errors in the plan's words, codes fit for a URL, doors that do not overlap and say which
wall to use, statuses that belong to bookings, pavilion colours, route wording, the plan's labels
and the empty hall."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from exhibition.core.colours import QUALITATIVE
from exhibition.core.errors import DomainError
from exhibition.floorplans import selectors, services, svg
from exhibition.floorplans.models import Door, Feature, Pavilion, Stand
from exhibition.floorplans.views.plan import minutes_words
from tests import factories
from tests.factories.floorplans import make_door, make_pavilion, make_stand, sell
from tests.support.html import squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def halls(event):
    """5A (100 x 80 m) and 5B beside it on the site (x 100 to 160): 5B touches 5A's right wall."""
    return {
        "5A": factories.make_hall(event, "5A", width=100, depth=80, position=1),
        "5B": factories.make_hall(event, "5B", width=60, depth=80, origin_x=100, position=2),
    }


@pytest.fixture
def visitor(event):
    return factories.make_visitor(event).user


def url(name, event, **kw):
    return reverse(f"floorplans:{name}", kwargs={"event_slug": event.slug, **kw})


STAND = {"number": "Z1", "x": "10", "y": "10", "width": "6", "depth": "3", "rotation": "0", "kind": "shell"}


def post_stand(client, event, hall, **changes):
    return client.post(
        url("stand_create", event), {**STAND, "hall": hall.pk, "status": "available", **changes}
    )


# --- 1. a stand outside its hall -------------------------------------------------------------------


def test_stand_past_the_right_wall_says_by_how_much_and_where_it_fits(client, event, organiser, halls):
    client.force_login(organiser)

    response = post_stand(client, event, halls["5A"], x="98")

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "x": ["Stand Z1 would stick out of Hall 5A by 4 m: place it at x ≤ 94 m."]
    }
    assert not Stand.objects.exists()


def test_rotated_stand_past_the_bottom_wall_is_an_error_on_y(client, event, organiser, halls):
    client.force_login(organiser)

    # at 90° the 6 m width runs along y: 76 + 6 = 82 > 80
    response = post_stand(client, event, halls["5A"], y="76", rotation="90")

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "y": ["Stand Z1 would stick out of Hall 5A by 2 m: place it at y ≤ 74 m."]
    }


def test_stand_wider_than_its_hall_is_an_error_on_its_width(event, organiser, halls):
    with pytest.raises(DomainError) as exc:
        make_stand(event, halls["5B"], "Z2", 0, 0, width=70, depth=3)

    assert (exc.value.field, exc.value.message) == (
        "width",
        "Stand Z2 is 70 m wide on the plan but Hall 5B is only 60 m wide.",
    )


def test_feature_outside_its_hall_says_where_it_fits(client, event, organiser, halls):
    client.force_login(organiser)

    response = client.post(
        url("feature_create", event),
        {
            "hall": halls["5A"].pk,
            "code": "COL-1",
            "kind": "column",
            "x": "99",
            "y": "1",
            "width": "2",
            "depth": "2",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "x": ["Feature COL-1 would stick out of Hall 5A by 1 m: place it at x ≤ 98 m."]
    }
    assert not Feature.objects.exists()


def test_merging_stands_that_do_not_form_a_rectangle_says_so_in_words(event, organiser, halls):
    a = make_stand(event, halls["5A"], "M1", 0, 0, width=3, depth=3)
    b = make_stand(event, halls["5A"], "M2", 3, 0, width=3, depth=4)

    with pytest.raises(DomainError) as exc:
        services.merge_stands(stands=[a, b], actor=organiser)

    assert exc.value.message == "Stands M1 and M2 do not form a rectangle: they must share a whole side."


# --- 2. codes fit for a URL ------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["A 05", "A/05", "A?5", "A#1", "É1"])
def test_stand_number_with_a_space_or_url_character_is_refused(client, event, organiser, halls, number):
    client.force_login(organiser)

    response = post_stand(client, event, halls["5A"], number=number)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "number": [
            (
                "A stand number uses only letters A-Z, digits, hyphens (-), dots (.) and underscores (_), "
                "without spaces: for example 5A-G120."
            )
        ]
    }
    assert not Stand.objects.exists()


def test_door_and_feature_codes_with_spaces_are_refused(client, event, organiser, halls):
    client.force_login(organiser)
    message = (
        "A code uses only letters A-Z, digits, hyphens (-), dots (.) and underscores (_), without "
        "spaces: for example ENTRANCE-NORTH."
    )

    door = client.post(
        url("door_create", event, hall_code="5A"),
        {"code": "north entrance", "leads_to": "", "wall": "top", "position": "20", "width": "2"},
    )
    feature = client.post(
        url("feature_create", event),
        {
            "hall": halls["5A"].pk,
            "code": "COL 1",
            "kind": "column",
            "x": "1",
            "y": "1",
            "width": "1",
            "depth": "1",
        },
    )

    assert (door.status_code, door.context["form"].errors) == (400, {"code": [message]})
    assert (feature.status_code, feature.context["form"].errors) == (400, {"code": [message]})
    assert not Door.objects.exists() and not Feature.objects.exists()


def test_split_numbers_with_spaces_are_refused(event, organiser, halls):
    stand = make_stand(event, halls["5A"], "S1", 0, 0, width=6, depth=3)

    with pytest.raises(DomainError) as exc:
        services.split_stand(stand=stand, actor=organiser, parts=2, numbers=["S1 A", "S1-B"])

    assert exc.value.field == "numbers"
    assert Stand.objects.get().number == "S1"


# --- 3. and 4. doors ---------------------------------------------------------------------------------


DOOR = {"code": "E-2", "name": "", "leads_to": "", "wall": "left", "position": "20", "width": "2"}


def test_a_door_on_the_same_spot_as_another_is_refused(client, event, organiser, halls):
    make_door(event, "E-1", halls["5A"], None, 0, 20)
    client.force_login(organiser)

    same = client.post(url("door_create", event, hall_code="5A"), DOOR)
    overlapping = client.post(url("door_create", event, hall_code="5A"), {**DOOR, "position": "21.5"})
    beside = client.post(url("door_create", event, hall_code="5A"), {**DOOR, "position": "22"})

    assert same.status_code == overlapping.status_code == 400
    assert same.context["form"].errors == {"position": ["Door E-2 would overlap door E-1 on this wall."]}
    assert overlapping.context["form"].errors == {
        "position": ["Door E-2 would overlap door E-1 on this wall."]
    }
    assert beside.status_code == 302  # openings 19-21 and 21-23 only touch
    assert sorted(Door.objects.values_list("code", flat=True)) == ["E-1", "E-2"]


def test_moving_a_door_onto_itself_is_no_overlap(event, organiser, halls):
    door = make_door(event, "E-1", halls["5A"], None, 0, 20)

    services.update_door(door=door, actor=organiser, y=20.5)

    assert Door.objects.get().y == 20.5


def test_api_refuses_a_door_overlapping_another_between_the_same_halls(event, organiser, halls):
    make_door(event, "D-1", halls["5A"], halls["5B"], 100, 40, width=4)
    api = APIClient()
    api.force_authenticate(organiser)

    response = api.post(
        f"/api/v1/events/{event.slug}/doors/",
        {"code": "D-2", "hall": "5A", "to_hall": "5B", "x": 100, "y": 42, "width": 2},
        format="json",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"x": ["Door D-2 would overlap door D-1 on this wall."]},
    )
    assert Door.objects.count() == 1


def test_a_door_to_a_hall_on_the_wrong_wall_names_the_wall_to_use(client, event, organiser, halls):
    client.force_login(organiser)

    response = client.post(
        url("door_create", event, hall_code="5A"), {**DOOR, "leads_to": "5B", "wall": "top"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "position": ["Hall 5B touches the right wall of Hall 5A: put the door there."]
    }


def test_a_door_to_a_hall_that_does_not_touch_says_so(client, event, organiser, halls):
    factories.make_hall(event, "7", width=50, depth=50, origin_x=400, position=3)
    client.force_login(organiser)

    response = client.post(
        url("door_create", event, hall_code="5A"), {**DOOR, "leads_to": "7", "wall": "right"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "position": [
            "Hall 5A and Hall 7 do not touch on the site plan: a door between them needs a shared wall."
        ]
    }


# --- 5. statuses that belong to bookings ---------------------------------------------------------------


def test_stand_form_offers_only_available_and_blocked(client, event, organiser, halls):
    stand = make_stand(event, halls["5A"], "5A-1", 10, 10)
    client.force_login(organiser)

    page = client.get(url("stand_edit", event, hall_code="5A", number="5A-1"))
    refused = client.post(
        url("stand_edit", event, hall_code="5A", number="5A-1"),
        {**STAND, "number": "5A-1", "hall": halls["5A"].pk, "status": "sold", "version": stand.version},
    )

    html = squash(page.content.decode())
    options = re.search(r'<select name="status"[^>]*>(.*?)</select>', html).group(1)
    assert re.findall(r'<option value="(\w+)"', options) == ["available", "blocked"]
    assert refused.status_code == 400 and list(refused.context["form"].errors) == ["status"]
    assert Stand.objects.get().status == Stand.Status.AVAILABLE


def test_a_sold_stand_shows_its_status_read_only_and_keeps_it_when_saved(
    client, event, organiser, halls, company
):
    stand = sell(make_stand(event, halls["5A"], "5A-1", 10, 10), company)
    client.force_login(organiser)

    page = client.get(url("stand_edit", event, hall_code="5A", number="5A-1"))
    saved = client.post(
        url("stand_edit", event, hall_code="5A", number="5A-1"),
        {
            **STAND,
            "number": "5A-1",
            "hall": halls["5A"].pk,
            "x": "12",
            "status": "available",
            "version": stand.version,
        },
    )

    html = squash(page.content.decode())
    assert re.search(r'<select name="status"[^>]*disabled', html)
    assert '<option value="sold" selected>Sold</option>' in html
    assert "Set by the stand's booking; it changes with the booking." in html
    assert saved.status_code == 302
    assert Stand.objects.values_list("x", "status", "exhibitor").get() == (12.0, "sold", company.pk)


def test_service_refuses_booking_statuses(event, organiser, halls, company):
    free = make_stand(event, halls["5A"], "5A-1", 10, 10)
    sold = sell(make_stand(event, halls["5A"], "5A-2", 20, 10), company)

    with pytest.raises(DomainError) as to_sold:
        services.update_stand(stand=free, actor=organiser, status=Stand.Status.SOLD)
    with pytest.raises(DomainError) as from_sold:
        services.update_stand(stand=sold, actor=organiser, status=Stand.Status.AVAILABLE)
    with pytest.raises(DomainError) as created:
        make_stand(event, halls["5A"], "5A-3", 30, 10, status=Stand.Status.RESERVED)

    assert (to_sold.value.field, to_sold.value.message) == (
        "status",
        "Stand 5A-1 can only be made Available or Blocked here: held, reserved and sold come from a booking.",
    )
    assert (
        from_sold.value.message
        == "Stand 5A-2 is booked: its status follows its booking. Change the booking instead."
    )
    assert (
        created.value.message
        == "Held, reserved and sold come from a booking: a new stand is Available or Blocked."
    )
    assert dict(Stand.objects.values_list("number", "status")) == {"5A-1": "available", "5A-2": "sold"}


def test_api_refuses_booking_statuses(event, organiser, halls):
    make_stand(event, halls["5A"], "5A-1", 10, 10)
    api = APIClient()
    api.force_authenticate(organiser)
    base = f"/api/v1/events/{event.slug}/stands/"

    created = api.post(
        base,
        {"number": "5A-2", "hall": "5A", "x": 30, "y": 10, "width": 3, "depth": 3, "status": "sold"},
        format="json",
    )
    changed = api.patch(f"{base}5A-1/", {"status": "reserved"}, format="json")
    blocked = api.patch(f"{base}5A-1/", {"status": "blocked"}, format="json")

    assert created.status_code == changed.status_code == 400
    assert list(created.json()) == list(changed.json()) == ["status"]
    assert blocked.status_code == 200
    assert dict(Stand.objects.values_list("number", "status")) == {"5A-1": "blocked"}


# --- 6. pavilions ----------------------------------------------------------------------------------------


def test_new_pavilions_get_distinct_colours(client, event, organiser):
    first = make_pavilion(event, "German Pavilion")
    second = make_pavilion(event, "Italian Pavilion", country="IT")
    client.force_login(organiser)

    page = client.get(url("pavilion_create", event))

    assert (first.colour, second.colour) == (QUALITATIVE[0], QUALITATIVE[1])
    assert f'name="colour" value="{QUALITATIVE[2]}"' in page.content.decode()


def test_pavilion_with_only_an_email_shows_just_the_email(client, event, organiser):
    services.create_pavilion(
        event=event, actor=organiser, name="Swiss Pavilion", contact_email="info@ch.test"
    )
    client.force_login(organiser)

    html = squash(client.get(url("pavilions", event)).content.decode())

    cell = re.search(r'<th scope="row">Swiss Pavilion</th>.*?</tr>', html).group(0)
    assert '<td><a href="mailto:info@ch.test">info@ch.test</a></td>' in cell
    assert "—<" not in cell.split("</td>", 2)[2]  # the contact cell is the third


# --- 7. French wording --------------------------------------------------------------------------------------


def test_bar_chart_tooltip_uses_the_colon_and_percent_of_the_language():
    stats = {"area_m2": {"available": 120, "held": 0, "reserved": 54, "sold": 0, "blocked": 0}}

    english = str(svg.bar_chart(stats))
    with translation.override("fr"):
        french = str(svg.bar_chart(stats))

    assert "<title>Available: 120 m² (69 %)</title>" in english
    assert "<title>Disponible\u00a0: 120 m² (69 %)</title>" in french


def test_doors_page_heading_names_the_hall_as_a_whole(client, event, organiser, halls):
    client.force_login(organiser)

    html = squash(client.get(url("door_list", event, hall_code="5A")).content.decode())

    assert "<h1>Doors and entrances: Hall 5A</h1>" in html


# --- 9. routes --------------------------------------------------------------------------------------------


@pytest.fixture
def walk(event, halls):
    make_door(event, "E-WEST", halls["5A"], None, 0, 20)
    make_door(event, "D-5A-5B", halls["5A"], halls["5B"], 100, 40)
    Door.objects.filter(code="E-WEST").update(name="West entrance")
    Door.objects.filter(code="D-5A-5B").update(name="Door 5A/5B")
    return {
        "5A-A1": make_stand(event, halls["5A"], "5A-A1", 20, 10, width=6, depth=4),
        "5B-B1": make_stand(event, halls["5B"], "5B-B1", 20, 10, width=6, depth=4),
    }


def test_route_names_its_ends_and_lists_only_the_doors_in_between(client, event, visitor, walk):
    client.force_login(visitor)

    response = client.get(url("route", event), {"from": "e-west", "to": "5b-b1"})

    html = squash(response.content.decode())
    assert response.status_code == 200
    assert "<strong>From West entrance (E-WEST) to Stand 5B-B1:</strong>" in html
    assert re.search(r'class="route-minutes">(about \d+ min|less than 1 min)<', html)
    assert "Through: Door 5A/5B</p>" in html  # not the entrance it starts from
    assert "At a walking speed of 60 m/min." in html


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(0.2, "less than 1 min"), (0.5, "about 1 min"), (1.6, "about 2 min"), (12.4, "about 12 min")],
)
def test_walking_time_is_said_in_whole_minutes(minutes, words):
    assert minutes_words(minutes) == words


def test_walk_here_from_starts_at_the_nearest_entrance_of_the_hall(client, event, visitor, walk, halls):
    make_door(event, "E-SOUTH", halls["5A"], None, 50, 80)
    client.force_login(visitor)

    panel = client.get(url("stand", event, hall_code="5A", number="5A-A1")).content.decode()
    no_entrance = client.get(url("stand", event, hall_code="5B", number="5B-B1")).content.decode()

    route = url("route", event)
    assert f'href="{route}?from=E-WEST&amp;to=5A-A1"' in panel  # (23, 12) is nearer (0, 20) than (50, 80)
    assert f'href="{route}?to=5B-B1"' in no_entrance


# --- 10. and 11. the hall plan ----------------------------------------------------------------------------


def test_hall_plan_is_labelled_with_its_stands_and_doors_have_titles(client, event, visitor, walk):
    client.force_login(visitor)

    html = client.get(url("hall", event, hall_code="5A")).content.decode()

    assert 'role="group" aria-label="Floor plan: Hall 5A, 1 stand"' in html
    assert "<title>West entrance</title>" in html


def test_empty_hall_invites_the_editor_to_draw_the_first_stand(client, event, organiser, visitor, halls):
    client.force_login(organiser)
    editor = squash(client.get(url("hall", event, hall_code="5A")).content.decode())
    client.force_login(visitor)
    reader = squash(client.get(url("hall", event, hall_code="5A")).content.decode())

    new = url("stand_create", event) + "?hall=5A"
    assert "No stands yet: draw the first one." in editor
    assert f'<a class="button primary" href="{new}">New stand</a>' in editor
    assert "No stands on this plan yet." in reader and new not in reader


def test_a_show_without_stands_says_so_instead_of_a_table_of_zeros(client, event, organiser, halls):
    client.force_login(organiser)
    overview = squash(client.get(url("overview", event)).content.decode())
    hall = squash(client.get(url("hall", event, hall_code="5A")).content.decode())

    assert "No stands yet: draw them on a hall's plan, or import them from a CSV file." in overview
    assert "0 stands, 0 m²" not in overview and "Per hall" not in overview
    assert "No stands in this hall yet." in hall and "0 stands, 0 m²" not in hall

    make_stand(event, halls["5A"], "5A-1", 10, 10)
    overview = squash(client.get(url("overview", event)).content.decode())
    assert "No stands yet" not in overview and "Per hall" in overview
    assert "1 stand, " in overview and "1 stands" not in overview


def test_new_stand_form_picks_the_hall_when_the_show_has_only_one(client, event, organiser):
    hall = factories.make_hall(event, "1", width=120, depth=80)
    client.force_login(organiser)

    html = client.get(url("stand_create", event)).content.decode()

    assert re.search(rf'<option value="{hall.pk}" selected>', html)


def test_hall_with_stands_has_no_empty_state(client, event, organiser, halls):
    make_stand(event, halls["5A"], "5A-1", 10, 10)
    client.force_login(organiser)

    html = client.get(url("hall", event, hall_code="5A")).content.decode()

    assert "No stands yet" not in html


def test_new_pavilion_colour_skips_colours_in_use(event):
    Pavilion.objects.create(event=event, name="A", colour=QUALITATIVE[0].upper())

    assert selectors.next_pavilion_colour(event) == QUALITATIVE[1]
