"""Thin privacy tasks: the long ones on the planners queue (see exhibition/core/queues.py)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="exhibition.privacy.run_shredder", ignore_result=True, acks_late=True)
def run_shredder(*, job_id: int) -> None:
    services.run_shredder(job_id=job_id)


@shared_task(name="exhibition.privacy.build_export", ignore_result=True, acks_late=True)
def build_export(*, job_id: int) -> None:
    services.run_export(job_id=job_id)


@shared_task(name="exhibition.privacy.erase_person", ignore_result=True, acks_late=True)
def erase_person(*, job_id: int) -> None:
    services.run_erasure(job_id=job_id)


@shared_task(name="exhibition.privacy.shred_due", ignore_result=True)
def shred_due() -> int:
    """Daily: start the shredder where categories are due (short: it only queues runs)."""
    return services.shred_due_events()
