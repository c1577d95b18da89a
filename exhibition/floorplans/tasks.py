from __future__ import annotations

from celery import shared_task

from exhibition.events.models import Event

from .matrix import compute_and_store


@shared_task(name="exhibition.floorplans.compute_walking_matrix", ignore_result=True)
def compute_walking_matrix(*, event_id: int) -> None:
    """Compute and store the event's walking matrix for the current plan version."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return
    compute_and_store(event)
