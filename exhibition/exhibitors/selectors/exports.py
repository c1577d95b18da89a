"""CSV exports of applications, exhibitors and badge requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from exhibition.core.csvio import stamp, write_csv
from exhibition.core.formats import zone_words
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
    """The applications for a person's spreadsheet: headings and states in the reader's language,
    times in the show's local time."""
    qs = (
        Application.objects.filter(event=event)
        .select_related("organisation", "pavilion")
        .prefetch_related("sectors", "preferred_halls")
        .order_by("pk")
    )
    tz = ZoneInfo(event.time_zone)
    yes, no = _("yes"), _("no")
    return _csv(
        [
            _("No."),
            _("State"),
            _("Legal name"),
            _("Trading name"),
            _("Country"),
            _("Company registration number"),
            _("VAT number"),
            _("Website"),
            _("Sectors"),
            _("Stand type"),
            _("Area (m²)"),
            _("Preferred halls"),
            _("Pavilion"),
            _("Open sides"),
            _("Submitted at (%(zone)s)") % {"zone": zone_words(event.time_zone)},
            _("Late"),
            _("Screening"),
            _("Reason"),
        ],
        (
            [
                a.pk,
                a.get_state_display(),
                a.legal_name,
                a.trading_name,
                a.country.name,
                a.registration_number,
                a.vat_number,
                a.website,
                ", ".join(s.name for s in a.sectors.all()),
                a.get_stand_kind_display(),
                a.stand_area,
                ", ".join(h.code for h in a.preferred_halls.all()),
                a.pavilion.name if a.pavilion else "",
                a.open_sides,
                stamp(a.submitted_at, tz),
                yes if a.is_late else no,
                a.get_screening_display(),
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
    tz = ZoneInfo(event.time_zone)
    return _csv(
        [
            _("Company"),
            _("Name on the badge"),
            _("Role"),
            _("E-mail"),
            _("Requested at (%(zone)s)") % {"zone": zone_words(event.time_zone)},
        ],
        ([b.organisation.name, b.name, b.role, b.email, stamp(b.created_at, tz)] for b in qs),
    )
