"""The walking-matrix task: thin, idempotent, queued on commit after a plan change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from exhibition.floorplans import selectors, services
from exhibition.floorplans.models import Stand, WalkingMatrix
from exhibition.floorplans.tasks import compute_walking_matrix
from tests import factories
from tests.factories.floorplans import make_door, make_stand

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(event):
    hall_a = factories.make_hall(event, "A", width=20, depth=10)
    hall_b = factories.make_hall(event, "B", width=20, depth=10, origin_x=20, position=1)
    make_door(event, "D-AB", hall_a, hall_b, 20, 5)
    make_stand(event, hall_a, "A1", 2, 2, width=4, depth=4)
    make_stand(event, hall_b, "B1", 14, 2, width=4, depth=4)


def test_task_for_a_missing_event_stops_quietly(db):
    compute_walking_matrix(event_id=987654)

    assert WalkingMatrix.objects.count() == 0


def test_task_computes_once_per_plan_version(event, plan):
    compute_walking_matrix(event_id=event.pk)
    first = WalkingMatrix.objects.get(event=event)

    compute_walking_matrix(event_id=event.pk)
    second = WalkingMatrix.objects.get(event=event)

    assert (first.status, first.plan_version, first.places) == (
        "ready",
        services.plan_settings(event).version,
        ["A1", "B1", "D-AB"],
    )
    assert second.computed_at == first.computed_at
    assert first.seconds is not None and first.progress == 1.0


def test_task_leaves_a_recent_computation_of_the_same_version_alone(event, plan):
    WalkingMatrix.objects.create(
        event=event,
        plan_version=services.plan_settings(event).version,
        walking_speed=event.walking_speed,
        hall_entry_minutes=0.0,
        status=WalkingMatrix.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=1),
    )

    compute_walking_matrix(event_id=event.pk)

    assert WalkingMatrix.objects.get(event=event).status == "running"


def test_task_takes_over_a_computation_that_died(event, plan):
    WalkingMatrix.objects.create(
        event=event,
        plan_version=services.plan_settings(event).version,
        status=WalkingMatrix.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=1),
    )

    compute_walking_matrix(event_id=event.pk)

    assert WalkingMatrix.objects.get(event=event).status == "ready"


def test_plan_change_queues_the_matrix_on_commit(
    event, plan, organiser, settings, django_capture_on_commit_callbacks
):
    settings.WALKING_MATRIX_EAGER = True  # in the embedded mode the page offers a button instead
    compute_walking_matrix(event_id=event.pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.update_stand(stand=Stand.objects.get(number="A1"), actor=organiser, x=10)
    assert selectors.walking_minutes(event) is None  # stale until the queued task runs
    for callback in callbacks:
        callback()

    matrix = WalkingMatrix.objects.get(event=event)
    assert len(callbacks) == 1
    assert (matrix.status, matrix.plan_version) == ("ready", services.plan_settings(event).version)
    assert selectors.walking_minutes(event)["A1"]["B1"] == round(
        selectors.route_between(event, "A1", "B1").minutes, 2
    )


def test_status_change_queues_nothing(event, plan, organiser, settings, django_capture_on_commit_callbacks):
    settings.WALKING_MATRIX_EAGER = True
    compute_walking_matrix(event_id=event.pk)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.update_stand(
            stand=Stand.objects.get(number="A1"), actor=organiser, status=Stand.Status.BLOCKED
        )

    assert callbacks == []
    assert selectors.walking_minutes(event) is not None


def test_embedded_mode_does_not_compute_on_every_edit(
    event, plan, organiser, django_capture_on_commit_callbacks
):
    compute_walking_matrix(event_id=event.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_stand(stand=Stand.objects.get(number="A1"), actor=organiser, x=10)

    matrix = WalkingMatrix.objects.get(event=event)
    assert (matrix.status, matrix.plan_version) == ("pending", services.plan_settings(event).version - 1)
