"""Reads of accreditation: badge lists, one's own badge, leads, scans, and the live figures of
the gates (who is inside now, arrivals per quarter hour, refusals, unique visitors)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from exhibition.accounts.models import Organisation
from exhibition.core.csvio import write_csv
from exhibition.events.models import Event
from exhibition.events.selectors import summary_provider

from .models import AccessDay, Badge, BadgeCategory, Device, Lead, PrintJob, Scan, Zone

BADGE_RELATED = ("category", "organisation", "visitor", "user", "key", "event")


def categories_of(event: Event) -> QuerySet[BadgeCategory]:
    return (
        BadgeCategory.objects.filter(event=event)
        .prefetch_related("zones", "days")
        .order_by("position", "number")
    )


def badges_for_organiser(
    event: Event, *, category: str = "", status: str = "", q: str = "", organisation: int | None = None
) -> QuerySet[Badge]:
    qs = Badge.objects.filter(event=event).select_related("category", "organisation")
    if category:
        qs = qs.filter(category__code=category)
    if status in Badge.Status.values:
        qs = qs.filter(status=status)
    if organisation:
        qs = qs.filter(organisation_id=organisation)
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(organisation_name__icontains=q)
            | Q(email__iexact=q)
            | Q(pk=int(q) if q.isdigit() else None)
        )
    return qs.order_by("name", "pk")


def badge_of(event: Event, pk: int) -> Badge | None:
    return (
        Badge.objects.select_related(*BADGE_RELATED, "replaces", "badge_request", "delegation_member")
        .filter(event=event, pk=pk)
        .first()
    )


def own_badge(event: Event, user: Any) -> Badge | None:
    """The person's live badge at the event (their own, or one issued for them by their company)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Badge.objects.filter(event=event, user=user, status__in=["pending", "valid"])
        .select_related(*BADGE_RELATED)
        .order_by("source")
        .first()
    )


def organisation_badges(organisation: Organisation) -> list[Badge]:
    return list(
        Badge.objects.filter(organisation=organisation)
        .select_related(*BADGE_RELATED, "badge_request", "delegation_member")
        .order_by("status", "name", "pk")
    )


def devices_of(event: Event) -> QuerySet[Device]:
    return Device.objects.filter(event=event).select_related("gate").order_by("revoked_at", "name", "pk")


def print_jobs_of(event: Event) -> QuerySet[PrintJob]:
    return PrintJob.objects.filter(event=event).select_related("category", "organisation", "requested_by")[
        :20
    ]


def scans_of(event: Event, *, result: str = "", badge: int | None = None) -> QuerySet[Scan]:
    qs = Scan.objects.filter(event=event).select_related("badge", "zone", "gate", "device", "category")
    if result == "refused":
        qs = qs.exclude(result=Scan.Result.OK).filter(forced=False)
    elif result in Scan.Result.values:
        qs = qs.filter(result=result)
    if badge:
        qs = qs.filter(badge_id=badge)
    return qs.order_by("-scanned_at", "-pk")


def leads_of(organisation: Organisation) -> QuerySet[Lead]:
    return (
        Lead.objects.filter(organisation=organisation)
        .select_related("badge__visitor", "badge__category", "captured_by")
        .order_by("-captured_at", "-pk")
    )


def leads_csv(organisation: Organisation) -> str:
    return write_csv(
        [
            "name",
            "organisation",
            "job_title",
            "country",
            "email",
            "rating",
            "note",
            "captured_by",
            "captured_at",
        ],
        (
            [
                lead.badge.name,
                lead.badge.organisation_name,
                lead.badge.job_title,
                lead.badge.country.code if lead.badge.country else "",
                lead.badge.email,
                lead.rating or "",
                lead.note,
                lead.captured_by.get_full_name() if lead.captured_by else "",
                timezone.localtime(lead.captured_at, organisation.event.tz).strftime("%Y-%m-%d %H:%M"),
            ]
            for lead in leads_of(organisation).select_related("organisation__event")
        ),
    )


# --- live figures ----------------------------------------------------------------------------------------


def _day_bounds(event: Event, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0, 0), tzinfo=event.tz)
    return start, start + timedelta(days=1)


def today(event: Event) -> date:
    return timezone.localtime(timezone.now(), event.tz).date()


@dataclass
class Live:
    day: date
    inside: list[tuple[Zone, int]]
    arrivals: list[tuple[datetime, dict[int, int]]]
    categories: list[BadgeCategory]
    refused: list[tuple[str, str, int]]
    forced: int
    unique_by_day: list[tuple[date, int, int]]
    countries: list[tuple[str, str, int]]
    total_scans: int


def live(event: Event, day: date | None = None) -> Live:
    day = day or today(event)
    start, end = _day_bounds(event, day)
    zones = list(Zone.objects.filter(event=event, tracks_presence=True).order_by("position", "name_en"))
    counts = dict(
        Zone.objects.filter(event=event)
        .values_list("pk")
        .annotate(
            n=Count(
                "presence",
                filter=Q(
                    presence__inside=True, presence__last_entry_at__gte=start, presence__last_entry_at__lt=end
                ),
            )
        )
        .order_by()
    )
    inside = [(z, counts.get(z.pk, 0)) for z in zones]
    accepted = Q(result=Scan.Result.OK) | Q(forced=True)
    day_scans = Scan.objects.filter(event=event, scanned_at__gte=start, scanned_at__lt=end)
    first: dict[int, tuple[datetime, int]] = {}
    for badge_id, cat_id, at in (
        day_scans.filter(accepted, direction=Scan.Direction.ENTRY, badge__isnull=False)
        .order_by("scanned_at")
        .values_list("badge_id", "category_id", "scanned_at")
    ):
        first.setdefault(badge_id, (at, cat_id))
    buckets: dict[datetime, Counter] = defaultdict(Counter)
    for at, cat_id in first.values():
        local = timezone.localtime(at, event.tz)
        b = local.replace(minute=local.minute // 15 * 15, second=0, microsecond=0)
        buckets[b][cat_id] += 1
    arrivals = []
    if buckets:
        t, last = min(buckets), max(buckets)
        while t <= last:
            arrivals.append((t, dict(buckets.get(t, {}))))
            t += timedelta(minutes=15)
    labels = dict(Scan.Result.choices)
    refused = [
        (r, str(labels.get(r, r)), n)
        for r, n in day_scans.exclude(accepted)
        .values_list("result")
        .annotate(n=Count("id"))
        .order_by("-n", "result")
    ]
    forced = day_scans.filter(forced=True).count()
    visitor_cat = BadgeCategory.objects.filter(event=event, code="visitor").first()
    unique = []
    per_day = (
        Scan.objects.filter(event=event, badge__isnull=False)
        .filter(accepted, direction=Scan.Direction.ENTRY)
        .values_list("scanned_at", "badge_id", "category_id")
    )
    seen: dict[date, set[int]] = defaultdict(set)
    seen_visitors: dict[date, set[int]] = defaultdict(set)
    for at, badge_id, cat_id in per_day.iterator():
        d = timezone.localtime(at, event.tz).date()
        seen[d].add(badge_id)
        if visitor_cat and cat_id == visitor_cat.pk:
            seen_visitors[d].add(badge_id)
    for d in sorted(seen):
        unique.append((d, len(seen_visitors[d]), len(seen[d])))
    from django_countries import countries as all_countries

    by_country = (
        (
            Scan.objects.filter(event=event, badge__isnull=False, category=visitor_cat)
            .filter(accepted)
            .exclude(country="")
            .values_list("country")
            .annotate(n=Count("badge_id", distinct=True))
            .order_by("-n", "country")
        )
        if visitor_cat
        else []
    )
    countries = [(c, str(all_countries.name(c)), n) for c, n in by_country]
    return Live(
        day=day,
        inside=inside,
        arrivals=arrivals,
        categories=list(categories_of(event)),
        refused=refused,
        forced=forced,
        unique_by_day=unique,
        countries=countries,
        total_scans=day_scans.count(),
    )


def arrivals_svg(data: Live, *, title: str, empty: str) -> str:
    """Arrivals per 15 minutes, stacked by category, as an accessible inline SVG."""
    w, h, left, bottom, top = 720, 260, 40, 30, 14
    cats = data.categories
    if not data.arrivals:
        return (
            f'<svg class="chart" viewBox="0 0 {w} 60" role="img" aria-label="{escape(title)}">'
            f'<text x="10" y="35">{escape(empty)}</text></svg>'
        )
    peak = max(sum(c.values()) for _t, c in data.arrivals) or 1
    n = len(data.arrivals)
    bw = (w - left - 10) / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="arrivals-title">',
        f'<title id="arrivals-title">{escape(title)}</title>',
    ]
    for frac in (0, 0.5, 1):
        y = h - bottom - frac * (h - bottom - top)
        parts.append(
            f'<line x1="{left}" x2="{w - 10}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="axis">{round(peak * frac)}</text>'
        )
    for i, (t, counts) in enumerate(data.arrivals):
        x = left + i * bw
        y = h - bottom
        for c in cats:
            v = counts.get(c.pk, 0)
            if not v:
                continue
            bh = v / peak * (h - bottom - top)
            y -= bh
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" height="{bh:.1f}" '
                f'fill="{escape(c.colour)}"><title>{t:%H:%M} {escape(c.name)}: {v}</title></rect>'
            )
        if t.minute == 0:
            parts.append(f'<text x="{x:.1f}" y="{h - 10}" class="axis">{t:%H:%M}</text>')
    parts.append("</svg>")
    return "".join(parts)


def access_days(event: Event) -> QuerySet[AccessDay]:
    return AccessDay.objects.filter(event=event).order_by("date")


@summary_provider
def _accreditation_summary(event: Event) -> dict[str, Any]:
    by_status = dict(
        Badge.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "badges": {
            "valid": by_status.get("valid", 0),
            "pending": by_status.get("pending", 0),
            "revoked": by_status.get("revoked", 0),
        }
    }
