"""Thin, idempotent tasks: fetch by id, call one service, stop quietly when the object is gone."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="exhibition.meetings.schedule_round", ignore_result=True)
def schedule_round(*, round_id: int) -> None:
    from .models import Round
    from .services import run_scheduler

    rnd = Round.objects.select_related("event").filter(pk=round_id, status=Round.Status.SCHEDULING).first()
    if rnd is None:
        return
    try:
        run_scheduler(rnd=rnd)
    except Exception as exc:  # noqa: BLE001 - the page must show the failure, not spin forever
        Round.objects.filter(pk=round_id, status=Round.Status.SCHEDULING).update(
            status=Round.Status.OPEN, progress_message=f"Failed: {exc}"[:200])
        raise


@shared_task(name="exhibition.meetings.expire_requests", ignore_result=True)
def expire_requests() -> dict:
    from .services import expire_requests as run

    return run()


@shared_task(name="exhibition.meetings.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders() -> int:
    from .services import send_meeting_reminders as run

    return run()
