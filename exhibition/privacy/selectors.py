from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Job


def shredder_runs(event: Any) -> QuerySet[Job]:
    return (
        Job.objects.filter(event=event, kind=Job.Kind.SHRED)
        .select_related("started_by")
        .order_by("-created_at", "-id")
    )


def shredder_runs_with_event(event: Any) -> QuerySet[Job]:
    """The event's shredder runs, newest first, each with its event (for the API)."""
    return shredder_runs(event).select_related("event")


def jobs_of_person(user: Any) -> QuerySet[Job]:
    return Job.objects.filter(person=user).order_by("-created_at", "-id")


def exports_of_person(user: Any) -> QuerySet[Job]:
    """The person's data exports, newest first, each with its event."""
    return jobs_of_person(user).filter(kind=Job.Kind.EXPORT).select_related("event")


def job_of_event(event: Any, pk: int) -> Job | None:
    return Job.objects.filter(event=event, kind=Job.Kind.SHRED, pk=pk).select_related("event").first()


def job_of_person(user: Any, pk: int) -> Job | None:
    return Job.objects.filter(person=user, pk=pk).first() if user.is_authenticated else None
