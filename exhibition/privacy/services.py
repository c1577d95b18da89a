"""Data lifecycle: retention per category, the shredder, a person's download and erasure.

The shredder runs after the show, category by category, never before the category's
retention period and never before ``PRIVACY_MIN_DAYS_AFTER_SHOW`` days after the show's last
day. It first writes every row it is about to shred into an archive (a zip of JSON files in
private storage, for the organiser), then deletes or anonymises them in batches, redacting
the personal fields of their audit entries. Invoices and payments are never touched.
"""

from __future__ import annotations

import json
import logging
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.privacy import CATEGORIES, PERSON_DATA, Category
from exhibition.events.models import Event

from . import tasks  # privacy.tasks imports this module: its tasks are read at call time
from .models import Job, RetentionRule

logger = logging.getLogger(__name__)
BATCH = 200
MAX_DAYS = 3650


def _require(actor: User, perm: str, obj: Any) -> None:
    require_perm(actor, perm, obj, _("Only the show's organiser admins can change data retention."))


def floor_days() -> int:
    return int(settings.PRIVACY_MIN_DAYS_AFTER_SHOW)


def show_end(event: Any) -> date | None:
    last: date | None = event.days.order_by("-date").values_list("date", flat=True).first()
    return last


def rules_for(event: Any) -> list[dict[str, Any]]:
    """Every category with its period, the day it is due and how many rows it holds now."""
    saved = dict(RetentionRule.objects.filter(event=event).values_list("category", "keep_days"))
    end = show_end(event)
    out = []
    for category in CATEGORIES.values():
        days = max(saved.get(category.key, category.default_days), floor_days())
        out.append(
            {"category": category, "keep_days": days, "due_on": end + timedelta(days=days) if end else None}
        )
    return out


def update_retention(*, event: Any, actor: User, days: dict[str, Any]) -> list[dict[str, Any]]:
    _require(actor, "privacy.manage_retention", event)
    clean: dict[str, int] = {}
    for key, value in days.items():
        if key not in CATEGORIES:
            raise DomainError(_("Unknown category."), field=key)
        try:
            n = int(value)
        except (TypeError, ValueError):
            raise DomainError(_("Enter a number of days."), field=key) from None
        if not floor_days() <= n <= MAX_DAYS:
            raise DomainError(
                _("Between %(low)d and %(high)d days after the show.")
                % {"low": floor_days(), "high": MAX_DAYS},
                field=key,
            )
        clean[key] = n
    with transaction.atomic():
        for key, n in clean.items():
            RetentionRule.objects.update_or_create(event=event, category=key, defaults={"keep_days": n})
        audit.record(actor=actor, action="privacy.retention_changed", obj=event, event=event, days=clean)
    return rules_for(event)


def due_categories(event: Any, today: date | None = None) -> list[Category]:
    today = today or event.today()
    return [r["category"] for r in rules_for(event) if r["due_on"] is not None and today >= r["due_on"]]


# --- the shredder ----------------------------------------------------------------------------------


def start_shredder(*, event: Any, actor: User | None = None) -> Job:
    """Queue a shredder run of the categories that are due (one run at a time per event)."""
    if actor is not None:
        _require(actor, "privacy.manage_retention", event)
    due = due_categories(event)
    if not due:
        upcoming = [r["due_on"] for r in rules_for(event) if r["due_on"]]
        when = min(upcoming).isoformat() if upcoming else None
        raise DomainError(
            _("Nothing is due for shredding yet (the first category is due on %(day)s).") % {"day": when}
            if when
            else _("The show has no days: nothing can be due."),
            code="not_due",
        )
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=Job.Kind.SHRED,
                event=event,
                started_by=actor if actor else None,
                report={"categories": [c.key for c in due]},
            )
            audit.record(
                actor=actor,
                action="privacy.shredder_started",
                obj=job,
                event=event,
                categories=[c.key for c in due],
            )
            transaction.on_commit(lambda: _enqueue("run_shredder", job.pk))
    except IntegrityError:
        raise ConflictError(_("A shredder run is already in progress for this show.")) from None
    return job


def _enqueue(task_name: str, job_id: int) -> None:
    try:
        getattr(tasks, task_name).apply_async(kwargs={"job_id": job_id}, retry=False)
    except Exception:  # broker down: the job stays queued; the daily sweep re-queues it
        logger.warning("Could not queue privacy job %s", job_id, exc_info=True)


def _claim(job_id: int, kind: str) -> Job | None:
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, kind=kind, status=Job.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        job.status = Job.Status.RUNNING
        job.save(update_fields=["status"])
    return job


def _progress(job: Job, done: int, message: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(done=done, message=message[:300])


def _storage_path(*parts: str) -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT, "privacy", *parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run_shredder(*, job_id: int) -> Job | None:
    job = _claim(job_id, Job.Kind.SHRED)
    if job is None:
        return None
    event = job.event
    try:
        if event is None:  # never: start_shredder always names the show; failed like any broken run
            raise ValueError(f"shredder run {job.pk} has no event")
        categories = [CATEGORIES[k] for k in job.report.get("categories", []) if k in CATEGORIES]
        rows = {c.key: list(c.rows(event)) for c in categories}
        total = sum(len(r) for r in rows.values())
        Job.objects.filter(pk=job.pk).update(total=total)
        # 1. export everything that is about to go
        name = f"{event.slug}/shredder-{job.pk}-{timezone.now():%Y%m%d}.zip"
        with zipfile.ZipFile(
            _storage_path(*name.split("/")), "w", compression=zipfile.ZIP_DEFLATED
        ) as archive:
            for c in categories:
                archive.writestr(
                    f"{c.key}.json",
                    json.dumps([c.export(r) for r in rows[c.key]], ensure_ascii=False, indent=1),
                )
        _progress(job, 0, _("Archive written; shredding."))
        # 2. shred, batch by batch, each batch in its own short transaction
        done, counts = 0, {}
        for c in categories:
            counts[c.key] = 0
            batch_rows = rows[c.key]
            for start in range(0, len(batch_rows), BATCH):
                with transaction.atomic():
                    counts[c.key] += c.shred(batch_rows[start : start + BATCH])
                done += len(batch_rows[start : start + BATCH])
                _progress(job, done, str(c.label))
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.DONE,
                done=total,
                file=name,
                report={**job.report, "counts": counts},
                finished_at=timezone.now(),
                message="",
            )
            audit.record(actor=None, action="privacy.shredded", obj=job, event=event, counts=counts)
    except Exception as exc:  # the page must show the failure, not spin forever
        logger.exception("Shredder run %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=f"{type(exc).__name__}: {exc}"[:300]
        )
        raise
    job.refresh_from_db()
    return job


def shred_due_events() -> int:
    """Daily: start a run for every show with due categories that still hold rows."""
    started = 0
    for event in Event.objects.all():
        due = due_categories(event)
        if not due or not any(c.rows(event).exists() for c in due):
            continue
        if Job.objects.filter(
            event=event, kind=Job.Kind.SHRED, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).exists():
            continue
        try:
            start_shredder(event=event, actor=None)
            started += 1
        except DomainError:
            continue
    # Jobs whose task the broker lost (Redis down when they were queued): queue them again.
    stale = timezone.now() - timedelta(minutes=30)
    for job in Job.objects.filter(status=Job.Status.QUEUED, created_at__lt=stale):
        _enqueue(
            {"shred": "run_shredder", "export": "build_export", "erase": "erase_person"}[job.kind], job.pk
        )
    return started


# --- one person: download, erasure ---------------------------------------------------------------------


def request_export(*, person: Any) -> Job:
    if Job.objects.filter(
        person=person, kind=Job.Kind.EXPORT, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
    ).exists():
        raise ConflictError(_("Your data is already being gathered."))
    with transaction.atomic():
        job = Job.objects.create(
            kind=Job.Kind.EXPORT, person=person, started_by=person, total=len(PERSON_DATA)
        )
        audit.record(actor=person, action="privacy.export_requested", obj=job)
        transaction.on_commit(lambda: _enqueue("build_export", job.pk))
    return job


def run_export(*, job_id: int) -> Job | None:
    job = _claim(job_id, Job.Kind.EXPORT)
    if job is None or job.person is None:
        return job
    person = job.person
    try:
        data: dict[str, Any] = {"generated": timezone.now().isoformat(), "person": person.email}
        sources = sorted(PERSON_DATA.values(), key=lambda s: s.order)
        for n, source in enumerate(sources, start=1):
            data[source.key] = source.collect(person)
            _progress(job, n, str(source.label))
        name = f"people/{person.pk}/export-{job.pk}.json"
        _storage_path(*name.split("/")).write_text(
            json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE,
            done=len(sources),
            file=name,
            report={s.key: len(data[s.key]) for s in sources},
            finished_at=timezone.now(),
            message="",
        )
    except Exception as exc:
        logger.exception("Data export %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=f"{type(exc).__name__}: {exc}"[:300]
        )
        raise
    job.refresh_from_db()
    return job


def request_erasure(*, person: Any, confirm_email: str) -> Job:
    if (confirm_email or "").strip().lower() != person.email.lower():
        raise DomainError(_("Type your e-mail address exactly to confirm."), field="confirm_email")
    if Job.objects.filter(person=person, kind=Job.Kind.ERASE).exclude(status=Job.Status.FAILED).exists():
        raise ConflictError(_("Your erasure has already been asked for."))
    with transaction.atomic():
        job = Job.objects.create(
            kind=Job.Kind.ERASE,
            person=person,
            started_by=person,
            total=sum(1 for s in PERSON_DATA.values() if s.erase),
        )
        audit.record(actor=person, action="privacy.erasure_requested", obj=job)
        transaction.on_commit(lambda: _enqueue("erase_person", job.pk))
    return job


def run_erasure(*, job_id: int) -> Job | None:
    job = _claim(job_id, Job.Kind.ERASE)
    if job is None or job.person is None:
        return job
    person = job.person
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():  # all or nothing: a half-erased person helps nobody
            sources = sorted((s for s in PERSON_DATA.values() if s.erase), key=lambda s: s.order)
            erasers = [(s, s.erase) for s in sources if s.erase is not None]
            for n, (source, erase) in enumerate(erasers, start=1):
                counts[source.key] = erase(person)
                _progress(job, n, str(source.label))
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.DONE,
                done=len(sources),
                report=counts,
                finished_at=timezone.now(),
                message="",
            )
            audit.record(actor=None, action="privacy.erased", obj=job, counts=counts)
        for old in Job.objects.filter(person_id=person.pk, kind=Job.Kind.EXPORT).exclude(file=""):
            Path(settings.PRIVATE_MEDIA_ROOT, "privacy", old.file).unlink(missing_ok=True)
    except Exception as exc:
        logger.exception("Erasure %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), message=f"{type(exc).__name__}: {exc}"[:300]
        )
        raise
    job.refresh_from_db()
    return job


def file_path(job: Job) -> Path | None:
    if not job.file:
        return None
    path = Path(settings.PRIVATE_MEDIA_ROOT, "privacy", job.file)
    return path if path.is_file() else None
