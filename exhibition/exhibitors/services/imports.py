"""Importing exhibitors from a CSV file, all or nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from exhibition.accounts import selectors as account_selectors
from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Organisation, User
from exhibition.core import audit, background, csvio
from exhibition.core.errors import DomainError, require_perm
from exhibition.events.models import Event, Sector

from .. import tasks
from ..models import (
    Application,
    ExhibitorImport,
    ExhibitorProfile,
)
from ..selectors import import_progress_key
from .common import ImportFailed

logger = logging.getLogger(__name__)

# --- import -----------------------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "name",
    "legal_name",
    "country",
    "website",
    "sectors",
    "description_en",
    "description_fr",
    "contact_email",
)
EXPORT_ONLY_COLUMNS = (
    "stands",
)  # in the export, ignored on import: last year's export is this year's import


Row = tuple[dict[str, str], list[Sector]]
PROGRESS_EVERY = 25  # rows between two progress reports of a background import
# More companies than the largest shows have, and what a worker writes well within the short
# queue's time limit (tests/bench/bench_imports.py): a bigger file is refused, "split it".
MAX_ROWS = 10_000


def check_exhibitors_csv(*, event: Event, text: bytes | str) -> list[Row]:
    """The file's rows, checked against the event as it is now, with their sectors. Raises
    ImportFailed with every bad row; writes nothing."""
    parsed = csvio.read_csv(
        text, columns=IMPORT_COLUMNS + EXPORT_ONLY_COLUMNS, required=("name", "country"), max_rows=MAX_ROWS
    )
    sectors = {s.code: s for s in Sector.objects.filter(event=event)}
    taken = {
        n.lower()
        for n in Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY).values_list(
            "name", flat=True
        )
    }
    waiting = account_selectors.waiting_invitation_emails(event)
    rows, errors, seen = [], [], set()
    contacts: dict[str, int] = {}  # contact e-mail -> the row that has it
    for i, row in parsed:
        name, code = row.get("name", ""), row.get("country", "").upper()
        problems = []
        if not name:
            problems.append(_("The name is missing."))
        elif len(name) > 200 or len(row.get("legal_name", "")) > 200:
            problems.append(_("A name is longer than 200 characters."))
        elif name.lower() in taken or name.lower() in seen:
            problems.append(_("%(name)s is already registered.") % {"name": name})
        if code not in dict(countries):
            problems.append(_("Unknown country code %(code)s.") % {"code": code or "-"})
        codes = [c.strip() for c in row.get("sectors", "").replace(";", "|").split("|") if c.strip()]
        unknown = [c for c in codes if c not in sectors]
        if unknown:
            problems.append(_("Unknown sector %(code)s.") % {"code": unknown[0]})
        if row.get("website"):
            try:
                URLValidator()(row["website"])
                if len(row["website"]) > 200:
                    raise ValidationError("too long")
            except ValidationError:
                problems.append(_("Invalid website."))
        email = row.get("contact_email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("Invalid contact e-mail."))
            else:
                # each contact is invited as the admin of their company: one invitation at a time
                if email in waiting:
                    problems.append(
                        _("%(email)s already has an invitation waiting: revoke it, or leave the contact out.")
                        % {"email": email}
                    )
                elif email in contacts:
                    problems.append(
                        _(
                            "%(email)s is also the contact of row %(row)s: a person is invited to one company at a time."
                        )
                        % {"email": email, "row": contacts[email]}
                    )
                contacts.setdefault(email, i)
        if problems:
            errors.append((i, " ".join(str(p) for p in problems)))
            continue
        seen.add(name.lower())
        rows.append((row, [sectors[c] for c in codes]))
    if errors:
        raise ImportFailed(errors)
    return rows


def import_exhibitors_csv(*, event: Event, actor: User, text: bytes | str) -> list[Application]:
    """Last year's exhibitors into this event as prefilled drafts (with a profile), inviting
    each contact as company admin. All or nothing: any bad row refuses the file. Runs in the
    caller's process; the pages and the API go through ``start_exhibitor_import``."""
    require_perm(actor, "exhibitors.import_exhibitors", event)
    return _write(event=event, actor=actor, rows=check_exhibitors_csv(event=event, text=text))


def _write(
    *, event: Event, actor: User, rows: list[Row], progress: Callable[[int], Any] | None = None
) -> list[Application]:
    created, org_sectors, app_sectors = [], [], []
    with transaction.atomic():
        for n, (row, row_sectors) in enumerate(rows, start=1):
            org = Organisation.objects.create(
                event=event,
                kind=Organisation.Kind.COMPANY,
                name=row["name"][:200],
                country=row["country"].upper(),
                website=row.get("website", ""),
            )
            org_sectors += [
                Organisation.sectors.through(organisation=org, sector=s) for s in dict.fromkeys(row_sectors)
            ]
            app = Application.objects.create(
                event=event,
                organisation=org,
                created_by=actor,
                legal_name=(row.get("legal_name") or row["name"])[:200],
                trading_name=row["name"][:200] if row.get("legal_name") else "",
                country=row["country"].upper(),
                website=row.get("website", ""),
                # no contacts: the file gives an address without a name, and every contact needs one;
                # the address is invited below, and its holder enters the contacts
            )
            app_sectors += [
                Application.sectors.through(application=app, sector=s) for s in dict.fromkeys(row_sectors)
            ]
            ExhibitorProfile.objects.create(
                event=event,
                organisation=org,
                website=row.get("website", ""),
                description_en=row.get("description_en", ""),
                description_fr=row.get("description_fr", ""),
            )
            audit.record(actor=actor, action="application.imported", obj=app, event=event)
            created.append(app)
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n)
        # every new company's and draft's sectors in one insert each, not three queries a row
        Organisation.sectors.through.objects.bulk_create(org_sectors)
        Application.sectors.through.objects.bulk_create(app_sectors)
        for app, (row, _s) in zip(created, rows, strict=True):
            if row.get("contact_email"):
                account_services.invite(
                    event=event,
                    actor=actor,
                    email=row["contact_email"],
                    role=Invitation.Role.COMPANY_ADMIN,
                    organisation=app.organisation,
                    purpose="prefilled_application",
                )
        audit.record(actor=actor, action="exhibitors.imported", obj=event, event=event, rows=len(created))
    return created


# --- in the background ---------------------------------------------------------------------------


def start_exhibitor_import(
    *, event: Event, actor: User, text: bytes | str, filename: str = ""
) -> ExhibitorImport:
    """Check the file now (ImportFailed with its row errors, nothing stored) and import it in the
    background: the import page and ``GET applications/imports/<id>/`` follow its progress."""
    require_perm(actor, "exhibitors.import_exhibitors", event)
    text = csvio.decode(text)
    rows = check_exhibitors_csv(event=event, text=text)
    with transaction.atomic():
        job = ExhibitorImport.objects.create(
            event=event,
            started_by=actor,
            csv=text,
            filename=filename[:200],
            total=len(rows),
            language=translation.get_language() or "",
        )
        audit.record(actor=actor, action="exhibitors.import_started", obj=event, event=event, rows=len(rows))
        background.dispatch(tasks.import_exhibitors, job_id=job.pk)
    return job


def run_exhibitor_import(*, job_id: int) -> ExhibitorImport | None:
    """The worker's side: check the rows again (the event may have changed since) and write them
    in one transaction. Idempotent: an import that is over, or that another worker holds, is left."""
    job = ExhibitorImport.objects.filter(pk=job_id).select_related("event", "started_by").first()
    if job is None or job.is_over:
        return job
    # Shown as running at once (outside the transaction); a delivery whose worker died mid-way
    # (its transaction rolled back, its row lock gone) takes the import up again.
    ExhibitorImport.objects.filter(pk=job.pk, status=ExhibitorImport.Status.QUEUED).update(
        status=ExhibitorImport.Status.RUNNING
    )
    actor, event = job.started_by, job.event
    # the rows' errors in the language of the page that sent the file
    with translation.override(job.language or getattr(actor, "language", None) or translation.get_language()):
        try:
            if actor is None:
                raise ImportFailed([(0, _("The person who started this import no longer has an account."))])
            require_perm(actor, "exhibitors.import_exhibitors", event)
            with transaction.atomic():
                mine = list(
                    ExhibitorImport.objects.select_for_update(skip_locked=True)
                    .filter(pk=job.pk, status=ExhibitorImport.Status.RUNNING)
                    .values_list("pk", flat=True)
                )
                if not mine:  # another worker holds it, or it ended meanwhile
                    return job
                one_import_at_a_time(event)
                created = _write(
                    event=event,
                    actor=actor,
                    rows=check_exhibitors_csv(event=event, text=job.csv),
                    progress=lambda n: cache.set(import_progress_key(job.pk), n, timeout=60 * 60),
                )
                ExhibitorImport.objects.filter(pk=job.pk).update(
                    status=ExhibitorImport.Status.DONE,
                    imported=len(created),
                    applications=[app.pk for app in created],
                    csv="",
                    finished_at=timezone.now(),
                )
        except IntegrityError:  # a company of the file registered meanwhile by another way in
            try:
                check_exhibitors_csv(event=event, text=job.csv)
            except ImportFailed as exc:
                _fail(job, [(row, str(message)) for row, message in exc.errors])
            else:
                logger.exception("Exhibitor import %s failed", job.pk)
                _fail(job, [(0, _("The import stopped on an unexpected error. Nothing was imported."))])
        except ImportFailed as exc:
            _fail(job, [(row, str(message)) for row, message in exc.errors])
        except DomainError as exc:  # permission withdrawn since the start
            _fail(job, [(0, str(exc.message))])
        except Exception:
            logger.exception("Exhibitor import %s failed", job.pk)
            _fail(job, [(0, _("The import stopped on an unexpected error. Nothing was imported."))])
    cache.delete(import_progress_key(job.pk))
    job.refresh_from_db()
    return job


def stale_imports() -> list[int]:
    """Imports whose task seems lost: queued for two minutes, or running for ten."""
    now = timezone.now()
    return list(
        ExhibitorImport.objects.filter(
            Q(status=ExhibitorImport.Status.QUEUED, created_at__lt=now - timedelta(minutes=2))
            | Q(status=ExhibitorImport.Status.RUNNING, created_at__lt=now - timedelta(minutes=10))
        ).values_list("pk", flat=True)
    )


def one_import_at_a_time(event: Event) -> None:
    """Until the transaction ends, no other import of this event writes: the second checks its
    rows once the first has committed, so the same company is never imported twice. (A lock of
    its own: locking the event's row would hold up every write that refers to the event.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('exhibitors.import'), %s)", [event.pk])


def _fail(job: ExhibitorImport, errors: list[tuple[int, str]]) -> None:
    ExhibitorImport.objects.filter(pk=job.pk).update(
        status=ExhibitorImport.Status.FAILED, errors=errors, csv="", finished_at=timezone.now()
    )
