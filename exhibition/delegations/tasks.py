"""Thin, idempotent tasks: fetch, then call one service."""

from __future__ import annotations

from celery import shared_task

from exhibition.core import background, heartbeat

from . import services


@shared_task(
    name="exhibition.delegations.run_planning",
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=20,
)
def run_planning(self, *, run_id: int) -> None:
    """Run a queued planning run; nothing if it is gone or finished. Redelivered after its
    worker died (the message was not acknowledged), it takes the run over once the old
    worker's heartbeat has gone stale."""
    try:
        services.execute_planning(
            run_id=run_id, threaded_heartbeat=not self.request.is_eager or background.in_background()
        )
    except services.RunStillBeating as exc:
        raise self.retry(countdown=heartbeat.stale_after().total_seconds(), exc=exc) from exc


@shared_task(name="exhibition.delegations.sweep_planning_runs", ignore_result=True)
def sweep_planning_runs() -> int:
    """Every minute: runs whose worker stopped beating end as failed, with the reason."""
    return services.sweep_planning_runs()
