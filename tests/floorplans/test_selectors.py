"""Floor-plan reads: routes on the stored plan, the walking matrix and its invalidation, figures."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from exhibition.floorplans import matrix as matrix_module
from exhibition.floorplans import selectors, services
from exhibition.floorplans.geometry import Rect, segment_hits_rect
from exhibition.floorplans.matrix import compute_and_store
from exhibition.floorplans.models import PlanSettings, Stand, WalkingMatrix
from exhibition.floorplans.tasks import compute_walking_matrix
from exhibition.floorplans.walking import UnknownPlaceError
from tests import factories
from tests.factories.floorplans import make_door, make_feature, make_stand, sell

pytestmark = pytest.mark.django_db


@pytest.fixture
def block_hall(event):
    """Hall H, 30 x 24: stand W1 on the west, E1 on the east, a 10 x 16 block (B1) between them."""
    hall = factories.make_hall(event, "H", width=30, depth=24)
    make_stand(event, hall, "W1", 2, 10, width=3, depth=4)
    make_stand(event, hall, "E1", 25, 10, width=3, depth=4)
    make_stand(event, hall, "B1", 10, 4, width=10, depth=16)
    return hall


@pytest.fixture
def two_halls(event):
    """Halls A and B side by side (20 x 10 each), a door between them at (20, 5)."""
    hall_a = factories.make_hall(event, "A", width=20, depth=10)
    hall_b = factories.make_hall(event, "B", width=20, depth=10, origin_x=20, position=1)
    make_door(event, "D-AB", hall_a, hall_b, 20, 5)
    make_stand(event, hall_a, "A1", 2, 2, width=4, depth=4)
    make_stand(event, hall_b, "B1", 14, 2, width=4, depth=4)
    return hall_a, hall_b


def stand_rects(event) -> list[Rect]:
    """Stand footprints in site coordinates."""
    return [
        Rect(
            s.hall.origin_x + s.x,
            s.hall.origin_y + s.y,
            *((s.depth, s.width) if s.rotation == 90 else (s.width, s.depth)),
        )
        for s in Stand.objects.filter(event=event).select_related("hall")
    ]


# --- routes ------------------------------------------------------------------------------------


def test_route_goes_around_a_block_and_never_crosses_a_stand(event, block_hall):
    route = selectors.route_between(event, "W1", "E1")

    straight = math.dist((3.5, 12.0), (26.5, 12.0))  # centre to centre, through the block
    assert route.points == [(3.5, 14.5), (9.5, 20.5), (20.5, 20.5), (26.5, 14.5)]  # round the north of B1
    assert route.metres == round(11 + 2 * math.hypot(6, 6), 3) == 27.971
    assert route.metres > straight
    for p, q in pairwise(route.points):
        assert not any(segment_hits_rect(p, q, rect) for rect in stand_rects(event))
    assert route.minutes == round(route.metres / 60, 4)
    assert route.doors == []


def test_route_between_halls_goes_through_the_door(event, two_halls):
    route = selectors.route_between(event, "A1", "B1")

    assert route.doors == ["D-AB"]
    assert (20.0, 5.0) in route.points
    assert route.points[0][0] < 20 < route.points[-1][0]
    for p, q in pairwise(route.points):
        assert not any(segment_hits_rect(p, q, rect) for rect in stand_rects(event))


def test_route_to_an_unknown_place_names_it(event, block_hall):
    with pytest.raises(UnknownPlaceError) as exc:
        selectors.route_between(event, "W1", "ZZ-9")

    assert "ZZ-9" in str(exc.value)


def test_route_uses_the_events_walking_speed(event, block_hall):
    event.walking_speed = 30
    event.save()

    route = selectors.route_between(event, "W1", "E1")

    assert route.minutes == round(route.metres / 30, 4)


# --- walking graph cache and the stored matrix -------------------------------------------------------


def test_walking_graph_cache_key_follows_the_plan_version(event, block_hall, organiser):
    v1 = services.plan_settings(event).version
    selectors.walking_graph(event)
    assert cache.get(selectors._graph_key(event, v1)) is not None

    services.update_stand(stand=Stand.objects.get(number="E1"), actor=organiser, y=0)
    v2 = services.plan_settings(event).version
    route = selectors.route_between(event, "W1", "E1")

    assert v2 == v1 + 1
    assert cache.get(selectors._graph_key(event, v2)) is not None
    assert route.points[-1] == (24.5, 2.0)  # E1's new access point (west side, 0.5 m out); it was (24.5, 12)


def test_status_change_keeps_the_cached_graph(event, block_hall, organiser):
    v1 = services.plan_settings(event).version
    selectors.walking_graph(event)

    services.update_stand(stand=Stand.objects.get(number="E1"), actor=organiser, status=Stand.Status.BLOCKED)

    assert services.plan_settings(event).version == v1
    assert cache.get(selectors._graph_key(event, v1)) is not None


def test_matrix_is_stored_in_travel_minutes_shape(event, two_halls):
    matrix = compute_and_store(event)

    minutes = selectors.walking_minutes(event)

    assert (matrix.status, matrix.plan_version, matrix.places) == (
        "ready",
        services.plan_settings(event).version,
        ["A1", "B1", "D-AB"],
    )
    assert set(minutes) == {"A1", "B1", "D-AB"}
    assert all(set(row) == {"A1", "B1", "D-AB"} for row in minutes.values())
    assert [minutes[p][p] for p in minutes] == [0.0, 0.0, 0.0]
    assert (
        minutes["A1"]["B1"]
        == minutes["B1"]["A1"]
        == round(selectors.route_between(event, "A1", "B1").minutes, 2)
    )
    assert selectors.walking_minutes(event, ["B1", "A1", "NOPE"]) == {
        "B1": {"B1": 0.0, "A1": minutes["B1"]["A1"]},
        "A1": {"B1": minutes["A1"]["B1"], "A1": 0.0},
    }


def test_matrix_is_stale_after_a_stand_moves_and_recomputed_by_the_task(event, two_halls, organiser):
    compute_and_store(event)
    before = selectors.walking_minutes(event)["A1"]["B1"]

    services.update_stand(stand=Stand.objects.get(number="A1"), actor=organiser, x=12)

    assert selectors.walking_minutes(event) is None
    state = selectors.matrix_state(event)
    assert (state.status, state.plan_version) == ("pending", services.plan_settings(event).version - 1)

    compute_walking_matrix(event_id=event.pk)

    after = selectors.walking_minutes(event)
    assert after is not None
    assert after["A1"]["B1"] < before
    assert after["A1"]["B1"] == round(selectors.route_between(event, "A1", "B1").minutes, 2)


def test_matrix_is_stale_after_the_walking_speed_changes_and_recomputed_with_it(event, two_halls):
    compute_and_store(event)
    before = selectors.walking_minutes(event)["A1"]["B1"]

    event.walking_speed /= 2
    event.save(update_fields=["walking_speed"])

    assert selectors.walking_minutes(event) is None  # no longer served at the old speed
    compute_walking_matrix(event_id=event.pk)
    assert selectors.walking_minutes(event)["A1"]["B1"] == pytest.approx(2 * before, abs=0.02)


def test_saving_a_new_walking_speed_in_the_admin_recomputes_the_matrix(
    event, two_halls, admin_client, settings, django_capture_on_commit_callbacks
):
    settings.WALKING_MATRIX_EAGER = True  # queue the task as a deployment with a worker does
    compute_and_store(event)
    before = selectors.walking_minutes(event)["A1"]["B1"]
    url = f"/admin/events/event/{event.pk}/change/"
    page = admin_client.get(url)
    data = _admin_form_data(page)
    data["walking_speed"] = str(event.walking_speed / 2)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)

    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    event.refresh_from_db()
    assert selectors.walking_minutes(event)["A1"]["B1"] == pytest.approx(2 * before, abs=0.02)


def _admin_form_data(page) -> dict:
    """The POST body of an unchanged admin change form, main form and inlines."""
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = str(value)
    return data


def test_unreachable_pairs_are_null_in_the_matrix(event, two_halls):
    closed = factories.make_hall(event, "C", width=10, depth=10, origin_y=20, position=2)  # no door at all
    make_stand(event, closed, "C1", 2, 2)

    compute_and_store(event)
    minutes = selectors.walking_minutes(event, ["A1", "C1"])

    assert minutes == {"A1": {"A1": 0.0, "C1": None}, "C1": {"A1": None, "C1": 0.0}}


def test_a_matrix_computed_while_the_plan_changed_is_not_marked_ready(
    event, two_halls, organiser, monkeypatch
):
    build = matrix_module.build_walking_graph

    def build_while_someone_edits(event_, *args, **kwargs):
        graph = build(event_, *args, **kwargs)
        services.update_stand(
            stand=Stand.objects.get(number="A1"), actor=organiser, x=12
        )  # the concurrent edit
        return graph

    monkeypatch.setattr(matrix_module, "build_walking_graph", build_while_someone_edits)

    stored = compute_and_store(event)

    assert stored.status == WalkingMatrix.Status.PENDING
    assert selectors.walking_minutes(event) is None


# --- lists and figures -----------------------------------------------------------------------------


def test_find_stands_by_number_or_exhibitor_name(event, block_hall, company):
    sell(Stand.objects.get(number="E1"), company)

    assert [s.number for s in selectors.find_stands(event, "aegis")] == ["E1"]
    assert [s.number for s in selectors.find_stands(event, "w1")] == ["W1"]
    assert list(selectors.find_stands(event, "  ")) == []


def test_stand_statistics_by_status_with_revenue_as_decimal_string(event, block_hall, company, organiser):
    hall = block_hall
    assert selectors.stand_statistics(event)["revenue"] == "0.00"
    sell(Stand.objects.get(number="E1"), company)  # 12 m2, peninsula (wall-less: island) price
    Stand.objects.filter(number="W1").update(status=Stand.Status.RESERVED)
    make_stand(event, hall, "X1", 0, 0)
    make_stand(event, hall, "X2", 27, 0)
    held = Stand.Status.HELD  # holds come from the booking app
    Stand.objects.filter(number="X1").update(status=held, held_until=timezone.now() + timedelta(minutes=10))
    Stand.objects.filter(number="X2").update(status=held, held_until=timezone.now() - timedelta(minutes=1))

    stats = selectors.stand_statistics(event)

    prices = dict(Stand.objects.values_list("number", "price"))
    assert prices["E1"] == prices["W1"] == Decimal("7176.00")  # 12 m2 x 520 x 1.15 (island)
    assert stats == {
        "stands": {"available": 2, "held": 1, "reserved": 1, "sold": 1, "blocked": 0},
        "area_m2": {"available": 169.0, "held": 9.0, "reserved": 12.0, "sold": 12.0, "blocked": 0},
        "revenue": "14352.00",
        "currency": "EUR",
    }
    assert selectors.stand_statistics(event, hall=factories.make_hall(event, "EMPTY"))["revenue"] == "0.00"


# --- fetches and filters the pages and the API read through --------------------------------------


def test_plan_settings_for_reads_the_defaults_without_making_the_row(event):
    defaults = selectors.plan_settings_for(event)

    assert (defaults.pk, defaults.version, defaults.shell_rate) == (None, 1, Decimal("520.00"))
    assert not PlanSettings.objects.filter(event=event).exists()
    hall = factories.make_hall(event, "H")
    make_stand(event, hall, "A1", 0, 0)  # an edit makes the row and bumps the version
    stored = PlanSettings.objects.get(event=event)
    assert (selectors.plan_settings_for(event).pk, selectors.plan_settings_for(event).version) == (
        stored.pk,
        stored.version,
    )


def test_filtered_stands_narrows_by_each_filter_given(event, block_hall, company):
    sell(Stand.objects.get(number="E1"), company)

    def numbers(**filters):
        return [s.number for s in selectors.filtered_stands(event, **filters)]

    assert numbers() == ["B1", "E1", "W1"]
    assert numbers(hall="h", pavilion="", text="") == ["B1", "E1", "W1"]
    assert numbers(hall="nope") == []
    assert numbers(min_area=12, max_area=12) == ["E1", "W1"]
    assert numbers(min_area=13) == ["B1"]
    assert numbers(status=Stand.Status.SOLD) == ["E1"]
    assert numbers(status=Stand.Status.AVAILABLE) == ["B1", "W1"]
    assert numbers(kind=Stand.Kind.RAW) == []
    assert numbers(text="aegis") == ["E1"]
    assert numbers(text="w") == ["W1"]
    assert numbers(pavilion="nowhere") == []


def test_hall_stand_and_feature_fetches_ignore_case_and_404_elsewhere(event, other_event, block_hall):
    other_hall = factories.make_hall(other_event, "H")
    make_feature(event, block_hall, "C1", 0, 0)

    assert selectors.hall_for(event, "h") == block_hall
    assert selectors.hall_id_for(event, "h") == block_hall.pk
    assert selectors.hall_id_for(event, "nope") is None
    assert selectors.stand_for(event, block_hall, "w1").number == "W1"
    assert selectors.stand_by_number(event, "e1").number == "E1"
    assert selectors.feature_for(event, block_hall, "c1").code == "C1"
    assert sorted(s.number for s in selectors.stands_numbered(event, ["W1", "E1", "X9"])) == ["E1", "W1"]
    for fetch in (
        lambda: selectors.hall_for(event, "nope"),
        lambda: selectors.stand_for(event, other_hall, "W1"),
        lambda: selectors.stand_for(event, block_hall, "X9"),
        lambda: selectors.stand_by_number(other_event, "W1"),
        lambda: selectors.feature_for(event, other_hall, "C1"),
    ):
        with pytest.raises(Http404):
            fetch()


def test_stand_places_name_each_stand_with_its_exhibitor(event, block_hall, company):
    sell(Stand.objects.get(number="E1"), company)

    assert selectors.stand_places(event) == [("B1", None), ("E1", company.name), ("W1", None)]
