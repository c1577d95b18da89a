"""Thin, idempotent tasks: fetch by id, call one service, stop quietly when the object is gone."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="exhibition.accreditation.print_badges", ignore_result=True)
def print_badges(*, job_id: int) -> None:
    from .models import PrintJob
    from .services import run_print_job

    job = PrintJob.objects.select_related("event").filter(pk=job_id).first()
    if job is None:
        return
    try:
        run_print_job(job=job)
    except Exception as exc:  # noqa: BLE001 - the page must show the failure, not spin forever
        PrintJob.objects.filter(pk=job_id).update(
            status=PrintJob.Status.FAILED, message=f"Failed: {exc}"[:200]
        )
        raise


@shared_task(name="exhibition.accreditation.reconcile_badges", ignore_result=True)
def reconcile_badges() -> int:
    from .services import reconcile_badges as run

    return run()


@shared_task(name="exhibition.accreditation.issue_missing_badges", ignore_result=True)
def issue_missing_badges() -> int:
    from exhibition.events.models import Event

    from .models import BadgeCategory
    from .services import issue_missing_badges as run

    total = 0
    for event in Event.objects.filter(pk__in=BadgeCategory.objects.values("event_id").distinct()):
        total += run(event=event)
    return total


@shared_task(name="exhibition.accreditation.mark_no_shows", ignore_result=True)
def mark_no_shows() -> int:
    from .services import mark_no_shows as run

    return run()


@shared_task(name="exhibition.accreditation.sweep_print_jobs", ignore_result=True)
def sweep_print_jobs() -> int:
    """Start batches whose task was lost (the broker was down when they were queued)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import PrintJob

    stale = PrintJob.objects.filter(
        status=PrintJob.Status.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=2)
    ).values_list("pk", flat=True)
    for pk in stale:
        print_badges.apply_async(kwargs={"job_id": pk}, retry=False)
    return len(stale)
