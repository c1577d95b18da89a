"""Thin, idempotent tasks: fetch by id, call one service, stop quietly when the object is gone."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from exhibition.core import background, heartbeat

# services/rounds.py queues schedule_round and imports this module at its top: take the modules
# (possibly still loading then), not their names
from . import services
from .models import Round
from .services import rounds


@shared_task(
    name="exhibition.meetings.schedule_round",
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=20,
)
def schedule_round(self, *, round_id: int) -> None:
    """Schedule a round; redelivered after its worker died, it takes the run over once the old
    worker's heartbeat is stale (the sweep ends it if no worker does)."""
    from .scheduling import (  # noqa: PLC0415 -- the solver package pulls in OR-Tools and PySAT: only a worker that runs a round loads it
        ProblemError,
    )

    try:
        rnd = rounds.claim_round(round_id)
    except rounds.RoundStillBeating as exc:
        raise self.retry(countdown=heartbeat.stale_after().total_seconds(), exc=exc) from exc
    if rnd is None:
        return
    back = rounds.back_to_draft()  # a failed run goes back to the draft it started from, if any
    try:
        with heartbeat.beating(
            Round, round_id, threaded=not self.request.is_eager or background.in_background()
        ):
            rounds.run_scheduler(rnd=rnd)
    except ProblemError:
        Round.objects.filter(pk=round_id, status=Round.Status.SCHEDULING).update(
            status=back,
            progress_message=_("The pinned meetings cannot all be kept: unpin some and run again."),
        )
    except Exception as exc:  # the page must show the failure, not spin forever
        Round.objects.filter(pk=round_id, status=Round.Status.SCHEDULING).update(
            status=back, progress_message=f"Failed: {exc}"[:200]
        )
        raise


@shared_task(name="exhibition.meetings.sweep_rounds", ignore_result=True)
def sweep_rounds() -> int:
    """Every minute: rounds whose scheduler's worker stopped end, their draft kept."""
    return rounds.sweep_rounds()


@shared_task(name="exhibition.meetings.expire_requests", ignore_result=True)
def expire_requests() -> dict[str, int]:
    return services.expire_requests()


@shared_task(name="exhibition.meetings.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders() -> int:
    return services.send_meeting_reminders()
