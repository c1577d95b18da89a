"""Stand numbers, feature codes and door codes share one namespace per event (they all name places
of the walking graph): a clash is a field error wherever the code is typed, never a broken plan."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from exhibition.core.errors import DomainError
from exhibition.floorplans import matrix, selectors, services
from exhibition.floorplans.models import Door, Feature, Stand, WalkingMatrix
from tests import factories
from tests.factories.floorplans import make_door, make_feature, make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db

CLASH = (
    "is already a stand number at this event: stand numbers, feature and door codes must all be different."
)


@pytest.fixture
def plan(event, organiser):
    """Two halls joined by a door, an entrance, two stands in each (one of them 3-C126) and a lounge."""
    a = factories.make_hall(event, "3", width=40, depth=20)
    b = factories.make_hall(event, "4", width=40, depth=20, origin_x=40, position=1)
    make_door(event, "D-3-4", a, b, 40, 10)
    make_door(event, "E-3", a, None, 0, 10)
    make_stand(event, a, "3-C126", 5, 2, width=4, depth=4)
    make_stand(event, a, "3-C127", 20, 2, width=4, depth=4)
    make_stand(event, b, "4-A1", 10, 2, width=4, depth=4)
    make_feature(event, b, "4-LOUNGE", 20, 12, 6, 4, kind=Feature.Kind.LOUNGE, name="Lounge")
    return {"3": a, "4": b}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_feature_with_a_stand_number_is_a_field_error_on_the_page(client, event, organiser, plan):
    client.force_login(organiser)

    response = client.post(
        reverse("floorplans:feature_create", kwargs={"event_slug": event.slug}),
        {
            "hall": plan["4"].pk,
            "code": "3-c126",
            "kind": "lounge",
            "name": "VIP",
            "x": 2,
            "y": 12,
            "width": 4,
            "depth": 4,
        },
    )

    assert response.status_code == 400
    assert f"3-C126 {CLASH}" in response.content.decode()
    assert not Feature.objects.filter(code="3-C126").exists()


def test_a_feature_with_a_stand_number_is_a_field_error_in_the_api(event, organiser, plan):
    response = api(organiser).post(
        f"/api/v1/events/{event.slug}/features/",
        {"hall": "4", "code": "3-C126", "kind": "lounge", "x": 2, "y": 12, "width": 4, "depth": 4},
        format="json",
    )

    assert (response.status_code, response.json()) == (400, {"code": [f"3-C126 {CLASH}"]})


def test_a_stand_cannot_take_a_feature_or_door_code(event, organiser, plan):
    client = api(organiser)

    created = client.post(
        f"/api/v1/events/{event.slug}/stands/",
        {"number": "4-lounge", "hall": "4", "x": 30, "y": 2, "width": 3, "depth": 3},
        format="json",
    )
    renamed = client.patch(f"/api/v1/events/{event.slug}/stands/4-A1/", {"number": "D-3-4"}, format="json")
    split = client.post(
        f"/api/v1/events/{event.slug}/stands/3-C127/split/",
        {"parts": 2, "numbers": ["E-3", "X2"]},
        format="json",
    )

    assert (created.status_code, created.json()) == (
        400,
        {
            "number": [
                (
                    "4-LOUNGE is already a feature code at this event: stand numbers, feature and door codes must all be "
                    "different."
                )
            ]
        },
    )
    assert (renamed.status_code, list(renamed.json())) == (400, ["number"])
    assert (split.status_code, list(split.json())) == (400, ["numbers"])
    assert sorted(Stand.objects.values_list("number", flat=True)) == ["3-C126", "3-C127", "4-A1"]


def test_a_door_cannot_take_a_stand_number(event, organiser, plan):
    with pytest.raises(DomainError) as exc:
        services.create_door(
            event=event, actor=organiser, code="3-c127", hall_a=plan["3"], hall_b=None, x=0, y=5
        )

    assert (exc.value.field, exc.value.message) == ("code", f"3-C127 {CLASH}")


def test_a_csv_import_with_a_clashing_number_names_the_row_and_imports_nothing(
    client, event, organiser, plan
):
    client.force_login(organiser)
    csv = "number,hall,x,y,width,depth\n4-A9,4,30,2,3,3\n4-LOUNGE,4,30,12,3,3\n"

    response = client.post(
        reverse("floorplans:import", kwargs={"event_slug": event.slug}),
        {"file": SimpleUploadedFile("stands.csv", csv.encode())},
    )

    assert response.status_code == 400
    assert '<th scope="row">3</th><td>4-LOUNGE is already a feature code' in squash(response.content.decode())
    assert not Stand.objects.filter(number__in=["4-A9", "4-LOUNGE"]).exists()


def test_the_admin_form_checks_the_namespace_too(event, plan):
    feature = Feature(
        event=event, hall=plan["3"], code="3-C126", kind=Feature.Kind.COLUMN, x=30, y=15, width=1, depth=1
    )

    with pytest.raises(ValidationError) as exc:
        feature.full_clean()

    assert exc.value.message_dict["code"] == [f"3-C126 {CLASH}"]
    Door(event=event, code="D-NEW", hall_a=plan["3"], x=0, y=15).full_clean()  # a free code is fine


def test_a_clash_from_older_data_breaks_no_route_but_its_own(event, organiser, plan):
    # As before the rule: a feature given the code of a stand, written straight to the table.
    Feature.objects.create(
        event=event, hall=plan["4"], code="3-C126", kind=Feature.Kind.LOUNGE, x=30, y=12, width=4, depth=4
    )
    selectors.forget_local_graphs()
    client = api(factories.make_visitor(event).user)

    route = client.get(f"/api/v1/events/{event.slug}/route/?from=3-C127&to=4-A1")
    to_stand = client.get(f"/api/v1/events/{event.slug}/route/?from=3-C126&to=4-lounge")
    stored = matrix.compute_and_store(event, force=True)

    assert route.status_code == 200 and route.json()["doors"] == ["D-3-4"]
    assert to_stand.status_code == 200  # 3-C126 is the stand: the clashing feature is left out
    assert stored.status == WalkingMatrix.Status.READY
    assert "3-C126" in stored.places and stored.places.count("3-C126") == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_stand_and_a_feature_racing_for_one_code_in_two_halls_only_one_wins(postgres, event, organiser):
    a = factories.make_hall(event, "3", width=40, depth=20)
    b = factories.make_hall(event, "4", width=40, depth=20, origin_x=40, position=1)
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def stand():
        start.wait(timeout=10)
        make_stand(event, a, "X-1", 5, 2)

    def feature():
        start.wait(timeout=10)
        make_feature(event, b, "X-1", 5, 2, kind=Feature.Kind.LOUNGE)

    def run(name, fn):
        try:
            fn()
            results[name] = "ok"
        except DomainError as exc:
            results[name] = exc.field
        except Exception as exc:  # noqa: BLE001 - a server error: the test reports it
            results[name] = f"error {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(name, fn)) for name, fn in (("stand", stand), ("feature", feature))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results.values()) in (["number", "ok"], ["code", "ok"])
    assert Stand.objects.filter(number="X-1").count() + Feature.objects.filter(code="X-1").count() == 1
