"""Importing exhibitors from a CSV file, all or nothing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Organisation, User
from exhibition.core import audit, csvio
from exhibition.core.errors import require_perm
from exhibition.events.models import Event, Sector

from ..models import (
    Application,
    ExhibitorProfile,
)
from .common import ImportFailed

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


def import_exhibitors_csv(*, event: Event, actor: User, text: bytes | str) -> list[Application]:
    """Last year's exhibitors into this event as prefilled drafts (with a profile), inviting
    each contact as company admin. All or nothing: any bad row refuses the file."""
    require_perm(actor, "exhibitors.import_exhibitors", event)
    parsed = csvio.read_csv(text, columns=IMPORT_COLUMNS + EXPORT_ONLY_COLUMNS, required=("name", "country"))
    sectors = {s.code: s for s in Sector.objects.filter(event=event)}
    taken = {
        n.lower()
        for n in Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY).values_list(
            "name", flat=True
        )
    }
    rows, errors, seen = [], [], set()
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
        if row.get("contact_email"):
            try:
                validate_email(row["contact_email"])
            except ValidationError:
                problems.append(_("Invalid contact e-mail."))
        if problems:
            errors.append((i, " ".join(str(p) for p in problems)))
            continue
        seen.add(name.lower())
        rows.append((row, [sectors[c] for c in codes]))
    if errors:
        raise ImportFailed(errors)
    created, org_sectors, app_sectors = [], [], []
    with transaction.atomic():
        for row, row_sectors in rows:
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
                contacts=[{"name": "", "email": row["contact_email"].lower(), "phone": "", "role": ""}]
                if row.get("contact_email")
                else [],
            )
            app.contacts = [c for c in app.contacts if c["name"]]
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
                )
        audit.record(actor=actor, action="exhibitors.imported", obj=event, event=event, rows=len(created))
    return created
