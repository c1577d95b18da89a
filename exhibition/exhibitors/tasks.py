"""Thin, idempotent background tasks of exhibitor registration."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="exhibition.exhibitors.rescreen_event", ignore_result=True, acks_late=True)
def rescreen_event(*, run_id: int) -> None:
    """Re-screen every application of the run's event; a vanished or finished run is a no-op."""
    services.run_rescreen(run_id=run_id)
