"""Thin, idempotent tasks: fetch, then call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="exhibition.delegations.run_planning", ignore_result=True, acks_late=True)
def run_planning(*, run_id: int) -> None:
    """Run a queued planning run; does nothing if it is gone or already claimed."""
    from .services import execute_planning

    execute_planning(run_id=run_id)
