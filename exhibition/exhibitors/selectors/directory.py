"""The public exhibitor directory: search, filters, facets, the state stamp its cache is
keyed by, and one exhibitor's public page."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Prefetch, QuerySet

from exhibition.accounts.models import Organisation
from exhibition.core.countries import alphabetical, countries_by_name
from exhibition.events.models import Event, Hall, Sector
from exhibition.floorplans.models import Pavilion, Stand

from ..models import (
    Application,
    ExhibitorProfile,
    Product,
    ProfileContact,
)
from .common import TAKEN

# --- directory --------------------------------------------------------------------------------


@dataclass
class DirectoryFilters:
    q: str = ""
    country: str = ""
    sector: str = ""
    hall: str = ""
    pavilion: str = ""


_WORD = re.compile(r"\w+", re.UNICODE)


def _ts_query(text: str) -> str | None:
    """'cyber drones' -> 'cyber:* & drones:*' (prefix match, safe: only word characters)."""
    words = _WORD.findall(text.lower())[:8]
    return " & ".join(f"{w}:*" for w in words) or None


def search_profiles(event: Event, q: str) -> QuerySet[ExhibitorProfile]:
    """Profiles matching the text: full text (GIN-indexed) on PostgreSQL, icontains elsewhere."""
    qs = ExhibitorProfile.objects.filter(event=event).order_by()
    if connection.vendor == "postgresql":
        query = _ts_query(q)
        if query is None:
            return qs
        return qs.annotate(v=SearchVector("search_text", config="simple")).filter(
            v=SearchQuery(query, config="simple", search_type="raw")
        )
    for word in _WORD.findall(q)[:8]:
        qs = qs.filter(search_text__icontains=word)
    return qs


def directory(event: Event, filters: DirectoryFilters | None = None) -> QuerySet[Organisation]:
    f = filters or DirectoryFilters()
    qs = Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False)
    if f.q.strip():
        qs = qs.filter(pk__in=search_profiles(event, f.q).values("organisation_id"))
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.sector:
        qs = qs.filter(sectors__code=f.sector)
    if f.hall:
        qs = qs.filter(stands__hall__code=f.hall, stands__status__in=TAKEN)
    if f.pavilion:
        qs = qs.filter(stands__pavilion_id=f.pavilion, stands__status__in=TAKEN)
    if f.sector or f.hall or f.pavilion:
        qs = qs.distinct()
    return (
        qs.select_related("exhibitor_profile")
        .prefetch_related(
            "sectors",
            Prefetch(
                "stands",
                queryset=Stand.objects.filter(status__in=TAKEN).select_related("hall").order_by("number"),
                to_attr="taken_stands",
            ),
        )
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class DirectoryStamp:
    key: str
    countries: frozenset[str]  # of the admitted companies: read with the stamp, for the facets


def directory_stamp(event: Event) -> DirectoryStamp:
    """Changes whenever anything the public directory shows or searches changes: the admitted
    companies (who, names, countries: ``updated_at``), their profiles (descriptions, logos, search
    text: ``updated_at``), their sectors, the stands (a booking bumps the version and saves), and
    the sectors', halls' and pavilions' names and colours; with the companies' countries (the
    country facet). One query; every part has the same columns (a tag, a count, four texts, three
    numbers)."""
    t = {m: m._meta.db_table for m in (Organisation, ExhibitorProfile, Stand, Sector, Hall, Pavilion)}
    org_sectors = Organisation.sectors.through._meta.db_table
    sql = (
        f"SELECT 'o', COUNT(*), CAST(MAX(updated_at) AS TEXT), CAST(MAX(admitted_at) AS TEXT), '', '', SUM(id), 0, 0"  # noqa: S608 -- table names from the models' _meta; every value is a parameter
        f" FROM {t[Organisation]} WHERE event_id = %s AND kind = %s AND admitted_at IS NOT NULL"
        f" UNION ALL SELECT 'e', COUNT(*), CAST(MAX(updated_at) AS TEXT), '', '', '', SUM(id), 0, 0"
        f" FROM {t[ExhibitorProfile]} WHERE event_id = %s"
        f" UNION ALL SELECT 'c', COUNT(os.id), '', '', '', '', SUM(os.sector_id), SUM(os.organisation_id * os.sector_id), 0"
        f" FROM {org_sectors} os INNER JOIN {t[Organisation]} o ON o.id = os.organisation_id WHERE o.event_id = %s"
        f" UNION ALL SELECT 't', COUNT(*), CAST(MAX(updated_at) AS TEXT), '', '', '', SUM(version), SUM(exhibitor_id),"
        f" SUM(hall_id) FROM {t[Stand]} WHERE event_id = %s"
        f" UNION ALL SELECT 's', id, code, colour, name_en, name_fr, 0, 0, 0 FROM {t[Sector]} WHERE event_id = %s"
        f" UNION ALL SELECT 'h', id, code, name, '', '', position, 0, 0 FROM {t[Hall]} WHERE event_id = %s"
        f" UNION ALL SELECT 'p', id, name, name_fr, '', '', 0, 0, 0 FROM {t[Pavilion]} WHERE event_id = %s"
        f" UNION ALL SELECT DISTINCT 'k', 0, country, '', '', '', 0, 0, 0"
        f" FROM {t[Organisation]} WHERE event_id = %s AND kind = %s AND admitted_at IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [event.pk, Organisation.Kind.COMPANY, *[event.pk] * 6, event.pk, Organisation.Kind.COMPANY]
        )
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1], row[2]))
    digest = hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()[:24]
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    return DirectoryStamp(
        key=f"{event.pk}:{created:.6f}:{digest}", countries=frozenset(row[2] for row in rows if row[0] == "k")
    )


def public_exhibitor(event: Event, pk: int) -> Organisation:
    return (
        Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY)
        .select_related("exhibitor_application", "exhibitor_profile")
        .prefetch_related(
            "sectors",
            Prefetch(
                "stands",
                queryset=Stand.objects.filter(status__in=TAKEN)
                .select_related("hall", "pavilion")
                .order_by("number"),
                to_attr="taken_stands",
            ),
            Prefetch("exhibitor_profile__products", queryset=Product.objects.prefetch_related("sectors")),
            Prefetch(
                "exhibitor_profile__contacts",
                queryset=ProfileContact.objects.filter(is_public=True),
                to_attr="public_contacts",
            ),
        )
        .get(pk=pk)
    )


def application_countries(event: Event) -> list[tuple[str, str]]:
    """The countries of the show's submitted applications as (code, name), by name in the
    reader's language: the review queue's country filter."""
    codes = set(
        Application.objects.filter(event=event)
        .exclude(state=Application.State.DRAFT)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return countries_by_name(codes)


def directory_facets(event: Event, countries: set[str] | frozenset[str] | None = None) -> dict[str, Any]:
    """The directory's filters; ``countries`` (of the admitted companies) if already read."""
    if countries is None:
        approved = Organisation.objects.filter(
            event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False
        )
        countries = set(approved.order_by().values_list("country", flat=True))
    return {
        # (code, name) in the reader's language, by name: "Allemagne", not "DE"
        "countries": countries_by_name(countries),
        "sectors": list(event.sectors.all()),
        "halls": list(event.halls.all()),
        # by the name the reader reads (the French one on French pages, when set)
        "pavilions": sorted(Pavilion.objects.filter(event=event), key=lambda p: alphabetical(p.label)),
    }
