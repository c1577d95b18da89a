"""Floor-plan API: read for everyone who may see the plan, write for organisers, filters, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from exhibition.core.models import AuditLogEntry
from exhibition.floorplans import services
from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.floorplans import make_door, make_feature, make_pavilion, make_stand, sell

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def hall(event):
    return factories.make_hall(event, "5A")


@pytest.fixture
def url(event):
    return lambda path="": f"/api/v1/events/{event.slug}/{path}"


@pytest.fixture
def plan(event, hall, company):
    """A1 free, A2 raw sold to Aegis in the German pavilion, B1 blocked and B2 held in hall 6, B3 an expired hold."""
    hall_6 = factories.make_hall(event, "6", position=1)
    pavilion = make_pavilion(event, "German Pavilion")
    make_stand(event, hall, "A1", 10, 10)
    sell(make_stand(event, hall, "A2", 30, 10, width=6, kind=Stand.Kind.RAW, pavilion=pavilion), company)
    make_stand(event, hall_6, "B1", 10, 10, status=Stand.Status.BLOCKED)
    make_stand(event, hall_6, "B2", 20, 10)
    make_stand(event, hall_6, "B3", 30, 10)
    held = Stand.Status.HELD  # holds come from the booking app
    Stand.objects.filter(number="B2").update(status=held, held_until=timezone.now() + timedelta(minutes=10))
    Stand.objects.filter(number="B3").update(status=held, held_until=timezone.now() - timedelta(minutes=10))


def numbers(response) -> list[str]:
    return [s["number"] for s in response.json()["results"]]


def snapshot():
    return list(Stand.objects.order_by("number").values()), AuditLogEntry.objects.count()


# --- reading ----------------------------------------------------------------------------------


def test_stand_list_for_a_visitor_has_no_commercial_fields(api, url, plan, event):
    api.force_authenticate(factories.make_visitor(event).user)

    response = api.get(url("stands/?hall=5A"))

    assert response.status_code == 200
    a2 = Stand.objects.get(number="A2")
    assert response.json()["results"][1] == {
        "id": a2.pk,
        "number": "A2",
        "hall": "5A",
        "x": 30.0,
        "y": 10.0,
        "width": 6.0,
        "depth": 3.0,
        "rotation": 0,
        "area": 18.0,
        "open_sides": 4,
        "open_sides_fixed": False,
        "kind": "raw",
        "exhibitor": {"id": a2.exhibitor_id, "name": "Aegis Systems", "country": "FR"},
        "pavilion": "German Pavilion",
        "version": 1,
    }  # no sales status, hold or price: those are the organisers'
    by_status = api.get(url("stands/?status=sold"))
    assert (by_status.status_code, by_status.json()) == (
        400,
        {"status": ["Only organisers can filter stands by sales status."]},
    )


def test_stand_list_for_an_organiser_shows_price_and_hold(api, url, plan, organiser):
    api.force_authenticate(organiser)

    rows = {s["number"]: s for s in api.get(url("stands/")).json()["results"]}

    assert rows["A2"]["price"] == "8694.00"  # 18 m2 x 420 x 1.15 (island)
    assert rows["B2"]["held_until"] is not None
    assert (rows["B2"]["status"], rows["B3"]["status"]) == ("held", "available")  # an expired hold is free


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hall=5a", ["A1", "A2"]),
        ("hall=ZZ", []),
        ("status=sold", ["A2"]),
        ("status=available", ["A1", "B3"]),
        ("status=held", ["B2"]),
        ("pavilion=german pavilion", ["A2"]),
        ("kind=raw", ["A2"]),
        ("min_area=10", ["A2"]),
        ("max_area=9", ["A1", "B1", "B2", "B3"]),
        ("min_area=9&max_area=9.5&hall=6", ["B1", "B2", "B3"]),
        ("q=aegis", ["A2"]),
        ("q=b1", ["B1"]),
    ],
)
def test_stand_list_filters(api, url, plan, organiser, query, expected):
    api.force_authenticate(organiser)

    response = api.get(url(f"stands/?{query}"))

    assert response.status_code == 200
    assert numbers(response) == expected


@pytest.mark.parametrize(
    ("query", "body"),
    [
        ("min_area=abc", {"min_area": ["min_area must be a number."]}),
        ("max_area=nan", {"max_area": ["max_area must be a number."]}),
        ("status=bogus", {"status": ["status must be one of: available, held, reserved, sold, blocked."]}),
        ("kind=tent", {"kind": ["kind must be one of: shell, raw."]}),
    ],
)
def test_stand_list_bad_filter_is_400_with_message(api, url, plan, organiser, query, body):
    api.force_authenticate(organiser)

    response = api.get(url(f"stands/?{query}"))

    assert (response.status_code, response.json()) == (400, body)


def test_stand_detail_and_features_and_pavilions(api, url, plan, event, hall, visitor_user):
    make_feature(event, hall, "MR-1", 60, 60, 4, 4, kind="meeting_room", name="Room 1")
    api.force_authenticate(visitor_user)

    stand = api.get(url("stands/A1/")).json()
    features = api.get(url("features/?hall=5A")).json()["results"]
    pavilions = api.get(url("pavilions/")).json()["results"]

    assert (stand["number"], "price" in stand) == ("A1", False)
    assert [(f["code"], f["kind"], f["is_place"], f["hall"]) for f in features] == [
        ("MR-1", "meeting_room", True, "5A")
    ]
    assert [(p["name"], p["country"]) for p in pavilions] == [("German Pavilion", "DE")]
    assert api.get(url("stands/NOPE/")).status_code == 404


@pytest.fixture
def visitor_user(event):
    return factories.make_visitor(event).user


# --- query counts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_stand_list_query_count_is_the_same_for_1_and_3(
    api, url, event, hall, company, organiser, count, django_assert_num_queries
):
    pavilion = make_pavilion(event)
    for i in range(count):
        sell(make_stand(event, hall, f"A{i}", 10 * i, 0, pavilion=pavilion), factories.make_company(event))
    api.force_authenticate(organiser)

    # event (middleware, view), count, stands with hall/exhibitor/pavilion, the viewer's roles (3)
    with django_assert_num_queries(6):
        response = api.get(url("stands/"))

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_feature_and_pavilion_lists_query_count_is_the_same_for_1_and_3(
    api, url, event, hall, organiser, count, django_assert_num_queries
):
    for i in range(count):
        make_feature(event, hall, f"COL-{i}", 10 * i, 0)
        make_pavilion(event, f"Pavilion {i}")
    api.force_authenticate(organiser)

    with django_assert_num_queries(3):  # a public event: the viewer's roles are not needed to see it
        features = api.get(url("features/"))
    with django_assert_num_queries(6):  # the roles (3 queries) say whether the contacts are shown
        pavilions = api.get(url("pavilions/"))

    assert (len(features.json()["results"]), len(pavilions.json()["results"])) == (count, count)


# --- writing: who --------------------------------------------------------------------------------------


@pytest.fixture
def outsiders(event, other_event, company_admin):
    return {
        "exhibitor": company_admin,
        "visitor": factories.make_visitor(event).user,
        "other_event_organiser": factories.make_organiser(other_event),
    }


@pytest.mark.parametrize("who", ["exhibitor", "visitor", "other_event_organiser"])
def test_writes_are_403_for_non_organisers_and_change_nothing(api, url, plan, outsiders, who):
    api.force_authenticate(outsiders[who])
    before = snapshot()

    responses = [
        api.post(
            url("stands/"),
            {"number": "N1", "hall": "5A", "x": 60, "y": 60, "width": 3, "depth": 3},
            format="json",
        ),
        api.patch(url("stands/A1/"), {"x": 50}, format="json"),
        api.delete(url("stands/A1/")),
        api.post(url("stands/A1/split/"), {"parts": 3}, format="json"),
        api.post(url("stands/merge/"), {"stands": ["B1", "B2"]}, format="json"),
        api.post(
            url("features/"),
            {"code": "C1", "kind": "column", "hall": "5A", "x": 1, "y": 1, "width": 1, "depth": 1},
            format="json",
        ),
        api.post(url("walking-matrix/")),
    ]

    assert [r.status_code for r in responses] == [403] * 7
    assert snapshot() == before


def test_anonymous_gets_401(api, url, plan):
    assert api.get(url("stands/")).status_code == 401


# --- writing: what ---------------------------------------------------------------------------------------


def test_organiser_creates_a_stand(api, url, event, hall, organiser):
    api.force_authenticate(organiser)

    response = api.post(
        url("stands/"),
        {"number": "a9", "hall": "5A", "x": 10.2, "y": 0, "width": 3, "depth": 3},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["x"], body["area"], body["open_sides"], body["price"], body["version"]) == (
        "A9",
        10.0,
        9.0,
        3,
        "5148.00",
        1,
    )
    assert AuditLogEntry.objects.filter(action="stand.created", actor=organiser).count() == 1


@pytest.mark.parametrize(
    ("payload", "body"),
    [
        ({"x": 11, "y": 11}, {"x": ["Stand A9 would overlap stand A1."]}),
        ({"x": 98}, {"x": ["Stand A9 would stick out of Hall 5A by 1 m: place it at x ≤ 97 m."]}),
        ({"hall": "ZZ"}, {"hall": ["Object with code=ZZ does not exist."]}),
        ({"rotation": 45}, {"rotation": ['"45" is not a valid choice.']}),
        ({"x": "abc"}, {"x": ["A valid number is required."]}),
        ({"width": 0.2}, {"width": ["Enter at least 1 m."]}),
        ({"number": "A1"}, {"number": ["Stand number A1 is already used at this event."]}),
    ],
)
def test_bad_create_is_400_with_field_message(api, url, plan, organiser, payload, body):
    api.force_authenticate(organiser)
    before = snapshot()
    data = {"number": "A9", "hall": "5A", "x": 60, "y": 60, "width": 3, "depth": 3} | payload

    response = api.post(url("stands/"), data, format="json")

    assert (response.status_code, response.json()) == (400, body)
    assert snapshot() == before


def test_patch_moves_a_stand_and_bumps_its_version(api, url, plan, organiser):
    api.force_authenticate(organiser)

    response = api.patch(url("stands/A1/"), {"x": 50, "version": 1}, format="json")

    assert response.status_code == 200
    assert (response.json()["x"], response.json()["version"]) == (50.0, 2)
    assert Stand.objects.get(number="A1").x == 50.0


def test_patch_with_a_stale_version_is_409_and_changes_nothing(api, url, plan, organiser):
    api.force_authenticate(organiser)
    api.patch(url("stands/A1/"), {"x": 50, "version": 1}, format="json")
    before = snapshot()

    response = api.patch(url("stands/A1/"), {"x": 70, "version": 1}, format="json")

    assert (response.status_code, response.json()) == (
        409,
        {"detail": "Stand A1 was changed by someone else meanwhile. Reload the plan.", "code": "conflict"},
    )
    assert snapshot() == before


def test_patch_bad_rotation_is_400(api, url, plan, organiser):
    api.force_authenticate(organiser)

    response = api.patch(url("stands/A1/"), {"rotation": "sideways"}, format="json")

    assert (response.status_code, response.json()) == (
        400,
        {"rotation": ['"sideways" is not a valid choice.']},
    )


def test_delete_of_a_sold_stand_is_409(api, url, plan, organiser):
    api.force_authenticate(organiser)

    response = api.delete(url("stands/A2/"))

    assert (response.status_code, response.json()["code"]) == (409, "conflict")
    assert Stand.objects.filter(number="A2").exists()


def test_split_and_merge_endpoints(api, url, event, hall, organiser):
    make_stand(event, hall, "A1", 10, 10, width=6)
    api.force_authenticate(organiser)

    split = api.post(url("stands/A1/split/"), {"parts": 2}, format="json")
    merged = api.post(url("stands/merge/"), {"stands": ["A1-1", "A1-2"], "number": "A1"}, format="json")

    assert split.status_code == 201
    assert [(s["number"], s["x"], s["area"], s["open_sides"]) for s in split.json()] == [
        ("A1-1", 10.0, 9.0, 3),
        ("A1-2", 13.0, 9.0, 3),
    ]
    assert merged.status_code == 201
    assert (merged.json()["number"], merged.json()["area"], merged.json()["open_sides"]) == ("A1", 18.0, 4)
    assert list(Stand.objects.values_list("number", flat=True)) == ["A1"]


def test_split_and_merge_bad_input_is_400(api, url, plan, organiser):
    api.force_authenticate(organiser)

    bad_parts = api.post(url("stands/A1/split/"), {"parts": "many"}, format="json")
    too_small = api.post(url("stands/A1/split/"), {"parts": 4}, format="json")
    missing = api.post(url("stands/merge/"), {"stands": ["A1", "NOPE"]}, format="json")
    apart = api.post(url("stands/merge/"), {"stands": ["A1", "A2"]}, format="json")

    assert (bad_parts.status_code, list(bad_parts.json())) == (400, ["parts"])
    assert (too_small.status_code, too_small.json()) == (
        400,
        {"parts": ["Each part must be at least 1 m wide and deep."]},
    )
    assert (missing.status_code, missing.json()) == (
        400,
        {"stands": ["Both stands must exist at this event."]},
    )
    assert apart.status_code == 409  # A2 is sold


# --- routes and the matrix -----------------------------------------------------------------------------


@pytest.fixture
def two_halls(event):
    hall_a = factories.make_hall(event, "A", width=20, depth=10)
    hall_b = factories.make_hall(event, "B", width=20, depth=10, origin_x=20, position=1)
    make_door(event, "D-AB", hall_a, hall_b, 20, 5)
    make_stand(event, hall_a, "A1", 2, 2, width=4, depth=4)
    make_stand(event, hall_b, "B1", 14, 2, width=4, depth=4)


def test_route_between_stands_of_two_halls(api, url, two_halls, visitor_user):
    api.force_authenticate(visitor_user)

    response = api.get(url("route/?from=a1&to=B1"))

    assert response.status_code == 200
    body = response.json()
    assert (body["origin"], body["destination"], body["doors"]) == ("A1", "B1", ["D-AB"])
    assert [20.0, 5.0] in body["points"]
    assert body["minutes"] == round(body["metres"] / 60, 2)


def test_route_errors_are_400_with_message(api, url, two_halls, visitor_user):
    api.force_authenticate(visitor_user)

    unknown = api.get(url("route/?from=A1&to=ZZ9"))
    missing = api.get(url("route/?from=A1"))

    assert (unknown.status_code, unknown.json()) == (
        400,
        {"detail": "unknown place 'ZZ9': not a stand, door or place feature of this floor plan"},
    )
    assert (missing.status_code, missing.json()) == (400, {"to": ["This field is required."]})


def test_walking_matrix_is_202_until_computed_then_200_and_stale_after_a_move(
    api, url, event, two_halls, organiser
):
    api.force_authenticate(organiser)
    version = services.plan_settings(event).version

    missing = api.get(url("walking-matrix/"))
    started = api.post(url("walking-matrix/"))  # tasks run eagerly in the tests
    ready = api.get(url("walking-matrix/?places=A1,b1"))
    api.patch(url("stands/A1/"), {"x": 10}, format="json")
    stale = api.get(url("walking-matrix/"))

    assert (missing.status_code, missing.json()) == (
        202,
        {"status": "missing", "progress": 0.0, "plan_version": version},
    )
    assert (started.status_code, started.json()) == (202, {"status": "ready"})
    assert ready.status_code == 200
    body = ready.json()
    assert (body["kind"], body["plan_version"], list(body["minutes"])) == ("matrix", version, ["A1", "B1"])
    assert (
        body["minutes"]["A1"]["A1"] == 0.0 and body["minutes"]["A1"]["B1"] == body["minutes"]["B1"]["A1"] > 0
    )
    assert (stale.status_code, stale.json()) == (
        202,
        {"status": "stale", "progress": 0.0, "plan_version": version + 1},
    )


STANDS_CSV = "number,hall,x,y,width,depth,rotation,type,open_sides,status,pavilion\n"


def test_stands_import_through_the_api_is_all_or_nothing_with_row_errors(api, url, event, hall, organiser):
    visitor = factories.make_visitor(event).user
    make_stand(event, hall, "A1", 10, 10)
    api.force_authenticate(organiser)
    good = STANDS_CSV + "A1,5A,20,10,3,3,0,shell,,available,\nB1,5a,40,10,4,3,90,raw,1,blocked,\n"

    bad = api.post(
        url("stands/import/"),
        {"csv": STANDS_CSV + "C1,5A,60,10,3,3,0,shell,,available,\nC2,ZZ,70,10,3,3,0,shell,,available,\n"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"row": 3, "detail": "unknown hall 'ZZ'"}]
    assert sorted(Stand.objects.values_list("number", flat=True)) == ["A1"]  # nothing written
    binary = api.post(
        url("stands/import/"),
        {"file": SimpleUploadedFile("plan.xlsx", b"PK\x03\x04\x00\x00binary")},
        format="multipart",
    )
    assert binary.status_code == 400 and binary.json()["errors"][0]["row"] == 0
    assert api.post(url("stands/import/"), {}, format="json").status_code == 400

    r = api.post(
        url("stands/import/"), {"file": SimpleUploadedFile("plan.csv", good.encode())}, format="multipart"
    )
    assert (r.status_code, r.json()) == (200, {"created": 1, "updated": 1})
    assert dict(Stand.objects.values_list("number", "x")) == {"A1": 20.0, "B1": 40.0}

    api.force_authenticate(visitor)
    assert api.post(url("stands/import/"), {"csv": good}, format="json").status_code == 403
