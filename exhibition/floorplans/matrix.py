"""Computing the stored walking matrix (called by the Celery task, or on demand)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from exhibition.events.models import Event

from .models import PlanSettings, WalkingMatrix
from .selectors import build_walking_graph
from .services import plan_settings

RUNNING_FOR_AT_MOST = timedelta(minutes=15)
"""A computation of the same plan version started less than this ago is left to finish."""


def compute_and_store(event: Event, *, force: bool = False) -> WalkingMatrix:
    """Idempotent: does nothing if the stored matrix is already for the current version (and
    walking speed and hall-entry time), or if another worker started computing it recently
    (``force`` recomputes anyway)."""
    settings_ = plan_settings(event)
    version = settings_.version
    with transaction.atomic():
        matrix, _ = WalkingMatrix.objects.select_for_update().get_or_create(
            event=event, defaults={"plan_version": version}
        )
        if matrix.is_for(event, settings_) and not force:
            if matrix.status == WalkingMatrix.Status.READY:
                return matrix
            if (
                matrix.status == WalkingMatrix.Status.RUNNING
                and matrix.started_at
                and timezone.now() - matrix.started_at < RUNNING_FOR_AT_MOST
            ):
                return matrix
        matrix.plan_version = version
        matrix.walking_speed = event.walking_speed
        matrix.hall_entry_minutes = settings_.hall_entry_minutes
        matrix.status = WalkingMatrix.Status.RUNNING
        matrix.progress = 0.1
        matrix.started_at = timezone.now()
        matrix.error = ""
        matrix.save(
            update_fields=[
                "plan_version",
                "walking_speed",
                "hall_entry_minutes",
                "status",
                "progress",
                "started_at",
                "error",
            ]
        )
    started = time.monotonic()
    try:
        graph = build_walking_graph(event, settings_.hall_entry_minutes)
        WalkingMatrix.objects.filter(pk=matrix.pk, plan_version=version).update(progress=0.5)
        places = sorted(graph.places)
        minutes = graph.minutes_array(places)
    except Exception as exc:  # recorded for the organiser to see
        WalkingMatrix.objects.filter(pk=matrix.pk, plan_version=version).update(
            status=WalkingMatrix.Status.FAILED, error=str(exc)[:2000]
        )
        raise
    blob = minutes.astype("<f4").tobytes()
    with transaction.atomic():
        # Only store it as ready if the plan did not change while we computed (bump_plan_version
        # updates the same settings row, so this lock orders us against it).
        current = PlanSettings.objects.select_for_update().get(pk=settings_.pk).version
        done = (
            {"status": WalkingMatrix.Status.READY, "progress": 1.0}
            if current == version
            else {"status": WalkingMatrix.Status.PENDING, "progress": 0.0}
        )
        WalkingMatrix.objects.filter(pk=matrix.pk, plan_version=version).update(
            places=places,
            minutes=blob,
            computed_at=timezone.now(),
            seconds=round(time.monotonic() - started, 2),
            error="",
            **done,
        )
    matrix.refresh_from_db()
    return matrix
