"""Thin, idempotent tasks: fetch by id, call one service, stop quietly when the object is gone."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="exhibition.meetings.schedule_round", ignore_result=True)
def schedule_round(*, round_id: int) -> None:
    from django.db.models import Case, Value, When
    from django.utils.translation import gettext as _

    from .models import Round
    from .scheduling import ProblemError
    from .services import run_scheduler

    rnd = Round.objects.select_related("event").filter(pk=round_id, status=Round.Status.SCHEDULING).first()
    if rnd is None:
        return
    # a failed run goes back to the draft it started from, if any
    back = Case(When(draft__isnull=True, then=Value(Round.Status.OPEN)), default=Value(Round.Status.DRAFT))
    try:
        run_scheduler(rnd=rnd)
    except ProblemError:
        Round.objects.filter(pk=round_id, status=Round.Status.SCHEDULING).update(
            status=back, progress_message=_("The pinned meetings cannot all be kept: unpin some and run again."))
    except Exception as exc:  # noqa: BLE001 - the page must show the failure, not spin forever
        Round.objects.filter(pk=round_id, status=Round.Status.SCHEDULING).update(
            status=back, progress_message=f"Failed: {exc}"[:200])
        raise


@shared_task(name="exhibition.meetings.expire_requests", ignore_result=True)
def expire_requests() -> dict:
    from .services import expire_requests as run

    return run()


@shared_task(name="exhibition.meetings.send_meeting_reminders", ignore_result=True)
def send_meeting_reminders() -> int:
    from .services import send_meeting_reminders as run

    return run()
