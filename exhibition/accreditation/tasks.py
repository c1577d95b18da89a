"""Thin, idempotent tasks: fetch by id, call one service, stop quietly when the object is gone."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from exhibition.events.models import Event

# services/printing.py queues print_badges and imports this module at its top: take the module
# (possibly still loading then), not its names
from . import services
from .models import BadgeCategory, PrintJob


@shared_task(name="exhibition.accreditation.print_badges", ignore_result=True)
def print_badges(*, job_id: int) -> None:
    job = PrintJob.objects.select_related("event").filter(pk=job_id).first()
    if job is None:
        return
    try:
        services.run_print_job(job=job)
    except Exception as exc:  # the page must show the failure, not spin forever
        PrintJob.objects.filter(pk=job_id).update(
            status=PrintJob.Status.FAILED, message=f"Failed: {exc}"[:200]
        )
        raise


@shared_task(name="exhibition.accreditation.reconcile_badges", ignore_result=True)
def reconcile_badges() -> int:
    return services.reconcile_badges()


@shared_task(name="exhibition.accreditation.issue_missing_badges", ignore_result=True)
def issue_missing_badges() -> int:
    total = 0
    for event in Event.objects.filter(pk__in=BadgeCategory.objects.values("event_id").distinct()):
        total += services.issue_missing_badges(event=event)
    return total


@shared_task(name="exhibition.accreditation.mark_no_shows", ignore_result=True)
def mark_no_shows() -> int:
    return services.mark_no_shows()


@shared_task(name="exhibition.accreditation.sweep_print_jobs", ignore_result=True)
def sweep_print_jobs() -> int:
    """Start batches whose task was lost (the broker was down when they were queued)."""
    stale = PrintJob.objects.filter(
        status=PrintJob.Status.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=2)
    ).values_list("pk", flat=True)
    for pk in stale:
        print_badges.apply_async(kwargs={"job_id": pk}, retry=False)
    return len(stale)
