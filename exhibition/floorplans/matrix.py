"""Computing the stored walking matrix (called by the Celery task, or on demand)."""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from exhibition.events.models import Event

from .models import WalkingMatrix
from .selectors import build_walking_graph
from .services import plan_settings


def compute_and_store(event: Event) -> WalkingMatrix:
    """Idempotent: does nothing if the stored matrix is already for the current version."""
    settings_ = plan_settings(event)
    version = settings_.version
    with transaction.atomic():
        matrix, _ = WalkingMatrix.objects.select_for_update().get_or_create(event=event, defaults={"plan_version": version})
        if matrix.plan_version == version and matrix.status == WalkingMatrix.Status.READY:
            return matrix
        matrix.plan_version = version
        matrix.status = WalkingMatrix.Status.RUNNING
        matrix.progress = 0.1
        matrix.started_at = timezone.now()
        matrix.save(update_fields=["plan_version", "status", "progress", "started_at"])
    started = time.monotonic()
    try:
        graph = build_walking_graph(event, settings_.hall_entry_minutes)
        WalkingMatrix.objects.filter(pk=matrix.pk).update(progress=0.5)
        places = sorted(graph.places)
        minutes = graph.minutes_array(places)
    except Exception as exc:  # noqa: BLE001 - recorded for the organiser to see
        WalkingMatrix.objects.filter(pk=matrix.pk).update(status=WalkingMatrix.Status.FAILED, error=str(exc)[:2000])
        raise
    blob = minutes.astype("<f4").tobytes()
    # Only store if the plan did not change while we computed.
    updated = WalkingMatrix.objects.filter(pk=matrix.pk, plan_version=version).update(
        status=WalkingMatrix.Status.READY, progress=1.0, places=places, minutes=blob,
        computed_at=timezone.now(), seconds=round(time.monotonic() - started, 2), error="",
    )
    matrix.refresh_from_db()
    if not updated:
        matrix.status = WalkingMatrix.Status.PENDING
    return matrix
