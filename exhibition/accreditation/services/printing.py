"""Printing badges: one badge on demand, or a batch in the background with progress.

Only printable badges are printed (valid, holder admitted: ``badges.check_printable``); a
batch records which badges it took and marks them printed, so that "new since last print"
means what it says."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit
from exhibition.core.errors import DomainError, NotAllowed, require_perm
from exhibition.events.models import Event

# tasks.py imports the services at its top: take the module (possibly still loading then), not its names
from .. import codes, pdf, tasks
from ..models import Badge, BadgeCategory, PrintJob
from .badges import check_printable, code_for, mark_printed, printable_badges


def badge_signer() -> Callable[[Badge], str]:
    """code_for() with each key decrypted once per batch."""
    keys: dict[int, Ed25519PrivateKey] = {}

    def sign(badge: Badge) -> str:
        kid = badge.key_id
        if kid is not None and kid not in keys and badge.key is not None:
            keys[kid] = codes.load_private(badge.key.private_key)
        # without a key, code_for() refuses: the badge has no code yet
        return code_for(badge, keys.get(kid) if kid is not None else None)

    return sign


def badge_pdf(*, badge: Badge, actor: User, fmt: str = "a6") -> bytes:
    """One badge, for its holder, their company or delegation, or the organiser."""
    require_perm(actor, "accreditation.view_badge", badge, _("You may not print this badge."))
    check_printable(badge)
    if (
        actor.pk == badge.user_id
        and not badge.category.self_print
        # django-rules checks any object; django-stubs types has_perm's object as a user
        and not actor.has_perm("accreditation.manage", badge.event)  # type: ignore[arg-type]
        and badge.organisation_id is None
    ):
        raise NotAllowed(_("The organiser prints badges of this category."), code="no_self_print")
    data = pdf.render([badge], badge_signer(), fmt=fmt)
    with transaction.atomic():
        mark_printed([badge])
        audit.record(actor=actor, action="badge.printed", obj=badge, event=badge.event, format=fmt)
    return data


def organisation_pdf(*, badges: list[Badge], actor: User, fmt: str = "a6") -> bytes:
    ok = []
    for b in badges:
        require_perm(actor, "accreditation.view_badge", b, _("You may not print these badges."))
        try:
            check_printable(b)
        except DomainError:
            continue
        ok.append(b)
    if not ok:
        raise DomainError(_("None of these badges can be printed yet."))
    data = pdf.render(ok, badge_signer(), fmt=fmt)
    with transaction.atomic():
        mark_printed(ok)
        for b in ok:
            audit.record(actor=actor, action="badge.printed", obj=b, event=b.event, format=fmt)
    return data


def start_print_job(
    *,
    event: Event,
    actor: User,
    fmt: str = "a6",
    category: BadgeCategory | None = None,
    organisation: Organisation | None = None,
    new_only: bool = False,
) -> PrintJob:
    """Choose the badges now, print them in the background (the page polls the progress)."""
    require_perm(actor, "accreditation.manage", event, _("Only organisers print in batches."))
    if fmt not in PrintJob.Format.values:
        raise DomainError(_("Choose a format."), field="format")
    qs = printable_badges(event)
    if category is not None:
        qs = qs.filter(category=category)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if new_only:
        qs = qs.filter(printed_at__isnull=True)
    ids = list(
        qs.order_by("category__position", "organisation_name", "name", "pk").values_list("pk", flat=True)[
            :5000
        ]
    )
    if not ids:
        raise DomainError(_("No badge to print with this choice."))

    with transaction.atomic():
        job = PrintJob.objects.create(
            event=event,
            requested_by=actor,
            format=fmt,
            category=category,
            organisation=organisation,
            new_only=new_only,
            badge_ids=ids,
            message=ngettext("%(n)s badge queued", "%(n)s badges queued", len(ids)) % {"n": len(ids)},
        )
        audit.record(actor=actor, action="badge.batch_print", obj=job, event=event, count=len(ids))
        transaction.on_commit(lambda: _enqueue(tasks.print_badges, job.pk))
    return job


def _enqueue(task: Any, job_id: int) -> None:
    try:
        task.apply_async(kwargs={"job_id": job_id}, retry=False)
    except Exception:  # the broker is down: the periodic sweep starts it later
        logging.getLogger(__name__).warning("print job %s not queued", job_id, exc_info=True)


def run_print_job(*, job: PrintJob) -> PrintJob:
    """Render the batch (in the worker), reporting progress every 50 badges."""
    if job.status in (PrintJob.Status.DONE, PrintJob.Status.FAILED):
        return job
    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.RUNNING, progress=0.0)
    order = {pk: i for i, pk in enumerate(job.badge_ids)}
    badges = sorted(
        printable_badges(job.event).filter(pk__in=job.badge_ids).prefetch_related(None),
        key=lambda b: order[b.pk],
    )
    total = max(len(badges), 1)

    def progress(n: int) -> None:
        PrintJob.objects.filter(pk=job.pk).update(
            progress=n / total, message=_("%(n)s of %(t)s printed") % {"n": n, "t": total}
        )

    data = pdf.render(badges, badge_signer(), fmt=job.format, progress=progress)
    with transaction.atomic():
        job.file.save(f"badges-{job.pk}.pdf", ContentFile(data), save=False)
        job.status, job.progress, job.finished_at = PrintJob.Status.DONE, 1.0, timezone.now()
        job.message = ngettext("%(n)s badge ready", "%(n)s badges ready", len(badges)) % {"n": len(badges)}
        job.save(update_fields=["file", "status", "progress", "finished_at", "message"])
        mark_printed(badges)
    return job
