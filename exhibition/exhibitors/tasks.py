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


@shared_task(name="exhibition.exhibitors.sweep_imports", ignore_result=True)
def sweep_imports() -> int:
    """Start again the imports whose task was lost: queued while the broker was down, or left
    running by a worker that died (its transaction rolled back). Safe to repeat: an import that a
    live worker holds is left to it."""
    stale = services.stale_imports()
    for pk in stale:
        import_exhibitors.apply_async(kwargs={"job_id": pk}, retry=False)
    return len(stale)


@shared_task(name="exhibition.exhibitors.sweep_screening_runs", ignore_result=True)
def sweep_screening_runs() -> int:
    """Start the re-screening runs queued while the broker was down (two minutes ago or more)."""
    stale = services.stale_screening_runs()
    for pk in stale:
        rescreen_event.apply_async(kwargs={"run_id": pk}, retry=False)
    return len(stale)
