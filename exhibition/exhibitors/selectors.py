"""Reads for exhibitor registration: settings, review queue, screening, portal,
badge quota, the public directory (full text on PostgreSQL) and CSV exports."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _
from django_countries.fields import Country

from exhibition.accounts.models import Organisation
from exhibition.core.csvio import write_csv
from exhibition.events.models import Event
from exhibition.events.selectors import Todo, chart_provider, summary_provider, todo_provider
from exhibition.floorplans.models import Stand

from .models import (
    Application,
    BadgeRequest,
    ExhibitorProfile,
    ExhibitorSettings,
    Product,
    ProfileContact,
    RestrictedParty,
    ScreeningHit,
    ScreeningRun,
)

TAKEN = (Stand.Status.RESERVED, Stand.Status.SOLD)


def settings_for(event: Event | int) -> ExhibitorSettings:
    """The event's settings (an Event or its id), or the defaults (unsaved) when never set."""
    event_id = event if isinstance(event, int) else event.pk
    return ExhibitorSettings.objects.filter(event_id=event_id).first() or ExhibitorSettings(event_id=event_id)


def document_upload_limit(request: Any, event_slug: str = "", **kwargs: Any) -> int:
    """Bytes an application document may have at this event (``upload_limit`` of the upload views:
    enforced while the file streams in, before the service checks it again)."""
    mb = (
        ExhibitorSettings.objects.filter(event__slug=event_slug)
        .values_list("max_document_mb", flat=True)
        .first()
        or ExhibitorSettings._meta.get_field("max_document_mb").default
    )
    return int(mb) * 1024 * 1024


# --- badges ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quota:
    area: float
    total: int
    used: int = 0

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)


def badge_quota(conf: ExhibitorSettings, area: float) -> int:
    """Default rule: no stand, no badge; 2 badges up to 9 m², then 1 per extra started 10 m²."""
    if area <= 0:
        return 0
    extra = max(area - conf.badge_base_area, 0)
    return conf.badge_base + math.ceil(round(extra / conf.badge_step_area, 6))


def stand_area_for(organisation: Organisation) -> float:
    return float(
        Stand.objects.filter(exhibitor=organisation, status__in=TAKEN).aggregate(a=Sum("area"))["a"] or 0
    )


def badge_quota_for(organisation: Organisation, conf: ExhibitorSettings | None = None) -> Quota:
    area = stand_area_for(organisation)
    used = BadgeRequest.objects.filter(organisation=organisation).count()
    return Quota(area=area, total=badge_quota(conf or settings_for(organisation.event_id), area), used=used)


def badges_for(organisation: Organisation) -> QuerySet[BadgeRequest]:
    return (
        BadgeRequest.objects.filter(organisation=organisation).select_related("requested_by").order_by("id")
    )


def stands_of(organisation: Organisation) -> list[Stand]:
    return list(
        Stand.objects.filter(exhibitor=organisation, status__in=TAKEN).select_related("hall", "pavilion")
    )


# --- applications ---------------------------------------------------------------------------


def application_of_user(event: Event, user: Any) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Application.objects.filter(event=event, organisation__memberships__user=user)
        .select_related("organisation")
        .first()
    )


def application_detail(event: Event, pk: int) -> Application:
    return (
        Application.objects.select_related("organisation", "pavilion", "created_by", "event")
        .prefetch_related(
            "sectors",
            "preferred_halls",
            "documents",
            Prefetch("hits", queryset=ScreeningHit.objects.select_related("party", "resolved_by")),
        )
        .get(event=event, pk=pk)
    )


@dataclass
class QueueFilters:
    state: str = ""
    country: str = ""
    sector: str = ""
    screening: str = ""
    q: str = ""


# The queue's order: what awaits a decision first, then the waiting list, then the decided.
PENDING_STATES = (Application.State.SUBMITTED, Application.State.UNDER_REVIEW)
QUEUE_ORDER = (
    *PENDING_STATES,
    Application.State.WAITLISTED,
    Application.State.APPROVED,
    Application.State.REJECTED,
    Application.State.WITHDRAWN,
)
PENDING = "pending"  # the queue's filter for "awaiting a decision" (submitted or under review)


def applications_for_review(event: Event, filters: QueueFilters | None = None) -> QuerySet[Application]:
    """The review queue: awaiting a decision first, oldest submission first within each state."""
    f = filters or QueueFilters()
    qs = Application.objects.filter(event=event)
    if f.state == PENDING:
        qs = qs.filter(state__in=PENDING_STATES)
    elif f.state:
        qs = qs.filter(state=f.state)
    else:
        qs = qs.exclude(state=Application.State.DRAFT)
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.sector:
        qs = qs.filter(sectors__code=f.sector)
    if f.screening:
        qs = qs.filter(screening=f.screening)
    if f.q:
        qs = qs.filter(Q(legal_name__icontains=f.q) | Q(trading_name__icontains=f.q))
    return (
        qs.select_related("organisation")
        .prefetch_related("sectors")
        .annotate(open_hits=Count("hits", filter=Q(hits__status=ScreeningHit.Status.OPEN), distinct=True))
        .annotate(
            queue_rank=Case(
                When(state__in=PENDING_STATES, then=Value(0)),
                *[When(state=st, then=Value(i)) for i, st in enumerate(QUEUE_ORDER)],
                default=Value(len(QUEUE_ORDER)),
                output_field=IntegerField(),
            )
        )
        .order_by("queue_rank", F("submitted_at").asc(nulls_last=True), "legal_name", "pk")
    )


def applications_for_user(event: Event, user: Any) -> QuerySet[Application]:
    """What the API lists: everything for organisers, the user's own companies otherwise
    (admitted or not: an applicant follows its own application)."""
    from exhibition.accounts.roles import roles_for

    roles = roles_for(user, event)
    qs = Application.objects.filter(event=event)
    if not roles.is_organiser:
        qs = qs.filter(organisation_id__in=[*roles.memberships, *roles.applications])
    return (
        qs.select_related("organisation", "pavilion")
        .prefetch_related("sectors", "preferred_halls")
        .order_by("pk")
    )


def state_counts(event: Event) -> dict[str, int]:
    rows = dict(
        Application.objects.filter(event=event).values_list("state").annotate(n=Count("id")).order_by()
    )
    return {s: rows.get(s, 0) for s in Application.State.values}


def queue_tabs(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """The queue's state filters with their counts, in queue order: (filter, label, count)."""
    tabs = [(PENDING, _("Awaiting a decision"), sum(counts.get(s, 0) for s in PENDING_STATES))]
    tabs += [
        (s, Application.State(s).label, counts.get(s, 0)) for s in QUEUE_ORDER if s not in PENDING_STATES
    ]
    tabs.append(("", _("All submitted"), sum(n for s, n in counts.items() if s != Application.State.DRAFT)))
    return tabs


# --- screening ------------------------------------------------------------------------------


def restricted_parties(event: Event) -> QuerySet[RestrictedParty]:
    return RestrictedParty.objects.filter(event=event).order_by("name")


def latest_run(event: Event) -> ScreeningRun | None:
    return ScreeningRun.objects.filter(event=event).order_by("-created_at", "-id").first()


def open_hits(event: Event) -> QuerySet[ScreeningHit]:
    return (
        ScreeningHit.objects.filter(application__event=event, status=ScreeningHit.Status.OPEN)
        .select_related("application", "party")
        .order_by("-score", "pk")
    )


# --- portal ---------------------------------------------------------------------------------


def profile_for(organisation: Organisation) -> ExhibitorProfile | None:
    return (
        ExhibitorProfile.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.prefetch_related("sectors")), "contacts"
        )
        .first()
    )


def profile_or_blank(organisation: Organisation) -> ExhibitorProfile:
    """The company's profile, or an unsaved blank one (with its company's website) to show
    before the first edit: a read never creates it."""
    return profile_for(organisation) or ExhibitorProfile(
        organisation=organisation, event_id=organisation.event_id, website=organisation.website
    )


@dataclass
class ChecklistItem:
    label: str
    done: bool
    due: date | datetime | None = None
    url_name: str = ""


def checklist(organisation: Organisation) -> list[ChecklistItem]:
    conf = settings_for(organisation.event_id)
    app = Application.objects.filter(organisation=organisation).first()
    profile = ExhibitorProfile.objects.filter(organisation=organisation).first()
    quota = badge_quota_for(organisation, conf)
    submitted = bool(app and app.state not in (Application.State.DRAFT,))
    return [
        ChecklistItem(_("Submit your application"), submitted, conf.application_deadline, "exhibitors:apply"),
        ChecklistItem(_("Application approved"), bool(app and app.state == Application.State.APPROVED)),
        ChecklistItem(_("Book your stand"), quota.area > 0),
        ChecklistItem(
            _("Complete your public profile (description and logo)"),
            bool(profile and profile.description_en and profile.logo),
            conf.profile_deadline,
            "exhibitors:portal_profile",
        ),
        ChecklistItem(
            _("Request your badges"),
            quota.total > 0 and quota.used >= quota.total,
            conf.badge_deadline,
            "exhibitors:portal_badges",
        ),
    ]


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
        from django.contrib.postgres.search import SearchQuery, SearchVector

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
    import hashlib

    from exhibition.events.models import Hall, Sector
    from exhibition.floorplans.models import Pavilion

    t = {m: m._meta.db_table for m in (Organisation, ExhibitorProfile, Stand, Sector, Hall, Pavilion)}
    org_sectors = Organisation.sectors.through._meta.db_table
    sql = (
        f"SELECT 'o', COUNT(*), CAST(MAX(updated_at) AS TEXT), CAST(MAX(admitted_at) AS TEXT), '', '', SUM(id), 0, 0"
        f" FROM {t[Organisation]} WHERE event_id = %s AND kind = %s AND admitted_at IS NOT NULL"
        f" UNION ALL SELECT 'e', COUNT(*), CAST(MAX(updated_at) AS TEXT), '', '', '', SUM(id), 0, 0"
        f" FROM {t[ExhibitorProfile]} WHERE event_id = %s"
        f" UNION ALL SELECT 'c', COUNT(os.id), '', '', '', '', SUM(os.sector_id), SUM(os.organisation_id * os.sector_id), 0"
        f" FROM {org_sectors} os INNER JOIN {t[Organisation]} o ON o.id = os.organisation_id WHERE o.event_id = %s"
        f" UNION ALL SELECT 't', COUNT(*), CAST(MAX(updated_at) AS TEXT), '', '', '', SUM(version), SUM(exhibitor_id),"
        f" SUM(hall_id) FROM {t[Stand]} WHERE event_id = %s"
        f" UNION ALL SELECT 's', id, code, colour, name_en, name_fr, 0, 0, 0 FROM {t[Sector]} WHERE event_id = %s"
        f" UNION ALL SELECT 'h', id, code, name, '', '', position, 0, 0 FROM {t[Hall]} WHERE event_id = %s"
        f" UNION ALL SELECT 'p', id, name, '', '', '', 0, 0, 0 FROM {t[Pavilion]} WHERE event_id = %s"
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


def _alphabetical(text: str) -> str:
    """A sort key that files "Émirats arabes unis" under E, as a reader expects."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()


def directory_facets(event: Event, countries: set[str] | frozenset[str] | None = None) -> dict[str, Any]:
    """The directory's filters; ``countries`` (of the admitted companies) if already read."""
    from exhibition.floorplans.models import Pavilion

    if countries is None:
        approved = Organisation.objects.filter(
            event=event, kind=Organisation.Kind.COMPANY, admitted_at__isnull=False
        )
        countries = set(approved.order_by().values_list("country", flat=True))
    return {
        # (code, name) in the reader's language, by name: "Allemagne", not "DE"
        "countries": sorted(
            ((c, Country(code=c).name) for c in countries), key=lambda pair: _alphabetical(pair[1])
        ),
        "sectors": list(event.sectors.all()),
        "halls": list(event.halls.all()),
        "pavilions": list(Pavilion.objects.filter(event=event).order_by("name")),
    }


# --- exports -------------------------------------------------------------------------------------


def _csv(header: list[str], rows) -> str:
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
                "|".join(s.number for s in org.taken_stands),
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


@summary_provider
def _exhibitors_summary(event: Event) -> dict[str, Any]:
    counts = state_counts(event)
    return {
        "applications": {
            "total": sum(counts.values()),
            "by_state": counts,
            "open_hits": ScreeningHit.objects.filter(
                application__event=event, status=ScreeningHit.Status.OPEN
            ).count(),
        },
    }


@todo_provider
def _exhibitors_todos(event: Event) -> list[Todo]:
    from django.db.models import Min
    from django.urls import reverse
    from django.utils import formats, timezone
    from django.utils.translation import ngettext

    hits = ScreeningHit.objects.filter(application__event=event, status=ScreeningHit.Status.OPEN).aggregate(
        n=Count("id"), companies=Count("application", distinct=True)
    )
    pending = Application.objects.filter(event=event, state__in=PENDING_STATES).aggregate(
        n=Count("id"), oldest=Min("submitted_at")
    )
    base = {"event_slug": event.slug}
    detail = ""
    if pending["oldest"]:
        detail = _("oldest submitted %(date)s") % {
            "date": formats.date_format(timezone.localtime(pending["oldest"]), "j F")
        }
    return [
        Todo(
            key="screening",
            order=10,
            count=hits["n"],
            urgent=True,
            label=ngettext(
                "%(n)s open restricted-party screening match",
                "%(n)s open restricted-party screening matches",
                hits["n"],
            )
            % {"n": hits["n"]},
            detail=ngettext(
                "%(n)s company to clear or confirm", "%(n)s companies to clear or confirm", hits["companies"]
            )
            % {"n": hits["companies"]},
            url=reverse("exhibitors:screening", kwargs=base),
        ),
        Todo(
            key="applications",
            order=20,
            count=pending["n"],
            label=ngettext(
                "%(n)s exhibitor application awaiting a decision",
                "%(n)s exhibitor applications awaiting a decision",
                pending["n"],
            )
            % {"n": pending["n"]},
            detail=detail,
            url=reverse("exhibitors:review_queue", kwargs=base) + f"?state={PENDING}",
        ),
    ]


@chart_provider
def _applications_over_time(event: Event) -> list[tuple[int, Any]]:
    """Applications submitted and approved per week (weeks starting on Monday, the show's time)."""
    from datetime import timedelta

    from django.db.models.functions import TruncDate
    from django.utils import formats, timezone

    from exhibition.core.charts import Series, bar_chart

    tz = timezone.get_current_timezone()
    # Counted per day by the database (a row per day, not per application), then per period here.
    apps = Application.objects.filter(event=event).order_by()
    submitted = list(
        apps.exclude(submitted_at=None)
        .annotate(day=TruncDate("submitted_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    approved = list(
        apps.filter(state=Application.State.APPROVED)
        .exclude(decided_at=None)
        .exclude(submitted_at=None)
        .annotate(day=TruncDate("decided_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    days = [d for d, _n in submitted] + [d for d, _n in approved]
    # Weeks while they fit on a screen (16 rows), months beyond.
    by_month = bool(days) and (max(days) - min(days)).days > 16 * 7

    def period(day):
        return day.replace(day=1) if by_month else day - timedelta(days=day.weekday())

    counts: dict[Any, dict[str, int]] = {}
    for series_key, per_day in (("submitted", submitted), ("approved", approved)):
        for day, n in per_day:
            bucket = counts.setdefault(period(day), {})
            bucket[series_key] = bucket.get(series_key, 0) + n
    if by_month:
        chart_rows = [(formats.date_format(p, "F Y"), v) for p, v in sorted(counts.items())]
        title = _("Exhibitor applications per month")
    else:
        chart_rows = [
            (_("week of %(date)s") % {"date": formats.date_format(p, "j F Y")}, v)
            for p, v in sorted(counts.items())
        ]
        title = _("Exhibitor applications per week")
    series = [Series("submitted", _("Submitted")), Series("approved", _("Approved"))]
    return [(20, bar_chart(id="chart-applications", title=title, rows=chart_rows, series=series))]
