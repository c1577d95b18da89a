"""CSV exports of applications, exhibitors and badge requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from exhibition.core.csvio import write_csv
from exhibition.events.models import Event

from ..models import (
    Application,
    BadgeRequest,
)
from .directory import directory

# --- exports -------------------------------------------------------------------------------------


def _csv(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    return write_csv(header, rows)


def export_applications_csv(event: Event) -> str:
    qs = (
        Application.objects.filter(event=event)
        .select_related("organisation", "pavilion")
        .prefetch_related("sectors", "preferred_halls")
        .order_by("pk")
    )
    return _csv(
        [
            "id",
            "state",
            "legal_name",
            "trading_name",
            "country",
            "registration_number",
            "vat_number",
            "website",
            "sectors",
            "stand_kind",
            "stand_area",
            "preferred_halls",
            "pavilion",
            "open_sides",
            "submitted_at",
            "late",
            "screening",
            "reason",
        ],
        (
            [
                a.pk,
                a.state,
                a.legal_name,
                a.trading_name,
                a.country.code,
                a.registration_number,
                a.vat_number,
                a.website,
                "|".join(s.code for s in a.sectors.all()),
                a.stand_kind,
                a.stand_area,
                "|".join(h.code for h in a.preferred_halls.all()),
                a.pavilion.name if a.pavilion else "",
                a.open_sides,
                a.submitted_at.isoformat() if a.submitted_at else "",
                int(a.is_late),
                a.screening,
                a.reason,
            ]
            for a in qs
        ),
    )


def export_exhibitors_csv(event: Event) -> str:
    """Same columns as the import, plus the stands: last year's export is next year's import."""
    rows = []
    for org in directory(event):
        profile = getattr(org, "exhibitor_profile", None)
        rows.append(
            [
                org.name,
                org.exhibitor_application.legal_name if hasattr(org, "exhibitor_application") else "",
                org.country.code,
                org.website,
                "|".join(s.code for s in org.sectors.all()),
                profile.description_en if profile else "",
                profile.description_fr if profile else "",
                "",
                # taken_stands: set by directory()'s Prefetch(to_attr=), unknown to the stubs
                "|".join(s.number for s in org.taken_stands),  # type: ignore[attr-defined]
            ]
        )
    return _csv(
        [
            "name",
            "legal_name",
            "country",
            "website",
            "sectors",
            "description_en",
            "description_fr",
            "contact_email",
            "stands",
        ],
        rows,
    )


def export_badges_csv(event: Event) -> str:
    qs = (
        BadgeRequest.objects.filter(event=event)
        .select_related("organisation")
        .order_by("organisation__name", "id")
    )
    return _csv(
        ["company", "name", "role", "email", "requested_at"],
        ([b.organisation.name, b.name, b.role, b.email, b.created_at.isoformat()] for b in qs),
    )
