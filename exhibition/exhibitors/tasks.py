"""Thin, idempotent background tasks of exhibitor registration."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="exhibition.exhibitors.rescreen_event", ignore_result=True, acks_late=True)
def rescreen_event(*, run_id: int) -> None:
    """Re-screen every application of the run's event; a vanished or finished run is a no-op."""
    services.run_rescreen(run_id=run_id)


@shared_task(name="exhibition.exhibitors.import_exhibitors", ignore_result=True, acks_late=True)
def import_exhibitors(*, job_id: int) -> None:
    """Write an exhibitor import's rows; a vanished, finished or already running import is a no-op."""
    services.run_exhibitor_import(job_id=job_id)
