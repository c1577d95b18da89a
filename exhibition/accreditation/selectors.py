"""Reads of accreditation: badge lists, one's own badge, leads, scans, and the live figures of
the gates (who is inside now, arrivals per quarter hour, refusals, unique visitors)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as all_countries

from exhibition.accounts.models import Organisation
from exhibition.core.csvio import stamp, write_csv
from exhibition.core.formats import zone_words
from exhibition.core.ids import as_id
from exhibition.delegations.models import DelegationMember
from exhibition.events.models import Event
from exhibition.events.selectors import summary_provider
from exhibition.exhibitors.models import BadgeRequest

from .models import (
    AccessDay,
    AccessRule,
    Badge,
    BadgeCategory,
    Device,
    Gate,
    Lead,
    PrintJob,
    Scan,
    SigningKey,
    Zone,
)

BADGE_RELATED = ("category", "organisation", "visitor", "user", "key", "event")


def categories_of(event: Event) -> QuerySet[BadgeCategory]:
    return (
        BadgeCategory.objects.filter(event=event)
        .prefetch_related("zones", "days")
        .order_by("position", "number")
    )


def categories_with_counts(event: Event) -> QuerySet[BadgeCategory]:
    """The event's categories, each with its number of valid, pending and revoked badges."""
    return categories_of(event).annotate(
        valid=Count("badges", filter=Q(badges__status="valid")),
        pending=Count("badges", filter=Q(badges__status="pending")),
        revoked=Count("badges", filter=Q(badges__status="revoked")),
    )


def category_of(event: Event, pk: int) -> BadgeCategory:
    """The event's category ``pk``; 404 otherwise."""
    return get_object_or_404(BadgeCategory, event=event, pk=pk)


def category_by_code(event: Event, code: str) -> BadgeCategory:
    """The event's category with this code; 404 if there is none."""
    return get_object_or_404(BadgeCategory, event=event, code=code)


def category_by_code_or_none(event: Event, code: str) -> BadgeCategory | None:
    return BadgeCategory.objects.filter(event=event, code=code).first()


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
            Q(name__icontains=q) | Q(organisation_name__icontains=q) | Q(email__iexact=q) | Q(pk=as_id(q))
        )
    return qs.order_by("name", "pk")


def badge_of(event: Event, pk: int) -> Badge | None:
    return (
        Badge.objects.select_related(*BADGE_RELATED, "replaces", "badge_request", "delegation_member")
        .filter(event=event, pk=pk)
        .first()
    )


def badges_with_replacement(
    event: Event, *, category: str = "", status: str = "", q: str = "", organisation: int | None = None
) -> QuerySet[Badge]:
    """``badges_for_organiser``, each badge with the badge that replaced it (for the API)."""
    return badges_for_organiser(
        event, category=category, status=status, q=q, organisation=organisation
    ).select_related("replaced_by")


def badge_for(event: Event, pk: int) -> Badge:
    """The event's badge ``pk``; 404 otherwise."""
    return get_object_or_404(Badge, event=event, pk=pk)


def replacement_of(badge: Badge) -> Badge | None:
    """The badge issued in place of this one, if any."""
    return Badge.objects.filter(replaces=badge).first()


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


def awaiting_badge_requests(organisation: Organisation) -> list[BadgeRequest]:
    """The company's badge requests (made on the exhibitor portal) whose badge is not issued yet."""
    return list(
        BadgeRequest.objects.filter(organisation=organisation)
        .exclude(badges__status__in=["pending", "valid"])
        .order_by("created_at", "pk")
    )


def devices_of(event: Event) -> QuerySet[Device]:
    return Device.objects.filter(event=event).select_related("gate").order_by("revoked_at", "name", "pk")


def organisation_for(event: Event, pk: int) -> Organisation:
    """The event's organisation ``pk``; 404 otherwise."""
    return get_object_or_404(Organisation, event=event, pk=pk)


def organisation_badge(organisation: Organisation, pk: Any) -> Badge:
    """One of the organisation's badges; 404 otherwise (also for an id that is not a number)."""
    return get_object_or_404(Badge, organisation=organisation, pk=_id(pk))


def awaiting_badge_request(organisation: Organisation, pk: Any) -> BadgeRequest:
    """One of the company's badge requests whose badge is not issued yet; 404 otherwise."""
    return get_object_or_404(
        BadgeRequest.objects.exclude(badges__status__in=["pending", "valid"]),
        organisation=organisation,
        pk=_id(pk),
    )


def _id(pk: Any) -> int | None:
    return as_id(pk)


def admitted_organisation_or_none(event: Event, pk: Any) -> Organisation | None:
    """The event's admitted company or delegation ``pk`` (what a print batch may be limited
    to), or None (no id, not admitted, or not the event's)."""
    return Organisation.objects.filter(event=event, admitted_at__isnull=False, pk=_id(pk) or 0).first()


def delegation_members_of(organisation: Organisation) -> QuerySet[DelegationMember]:
    """The members of the delegation this organisation is."""
    return DelegationMember.objects.filter(delegation__organisation=organisation)


def delegation_member_of(organisation: Organisation, pk: Any) -> DelegationMember:
    """One member of the organisation's delegation; 404 otherwise."""
    return get_object_or_404(DelegationMember, delegation__organisation=organisation, pk=pk)


def active_device_count(event: Event) -> int:
    """How many of the event's scanners are not withdrawn."""
    return devices_of(event).filter(revoked_at__isnull=True).count()


def device_of(event: Event, pk: Any) -> Device:
    """The event's scanner ``pk``; 404 otherwise."""
    return get_object_or_404(Device, event=event, pk=pk)


def gate_of(event: Event, pk: Any) -> Gate:
    """The event's gate ``pk``; 404 otherwise."""
    return get_object_or_404(Gate, event=event, pk=pk)


def gate_or_none(event: Event, pk: Any) -> Gate | None:
    """The event's gate ``pk``, or None (no gate, or not the event's)."""
    return Gate.objects.filter(event=event, pk=pk or 0).first()


def zones_of(event: Event) -> QuerySet[Zone]:
    return Zone.objects.filter(event=event).select_related("hall")


def gates_of(event: Event) -> QuerySet[Gate]:
    return Gate.objects.filter(event=event).select_related("zone", "place")


def access_rules_of(event: Event) -> QuerySet[AccessRule]:
    return AccessRule.objects.filter(event=event).select_related("category", "zone", "day")


_M = TypeVar("_M", bound=Model)


def setup_objects_of(event: Event, model: type[_M]) -> QuerySet[_M]:
    """The event's objects of one set-up model (category, zone, day, rule or gate)."""
    return model._default_manager.filter(event=event)  # ``objects``: these models have no other manager


def setup_object_of(event: Event, model: type[_M], pk: Any) -> _M:
    """One of the event's set-up objects (day, zone, gate or rule); 404 otherwise."""
    return get_object_or_404(model, event=event, pk=pk)


def signing_keys_of(event: Event) -> QuerySet[SigningKey]:
    """The event's signing keys, newest first."""
    return SigningKey.objects.filter(event=event).order_by("-kid")


def signing_key_of(event: Event, pk: Any) -> SigningKey:
    return get_object_or_404(SigningKey, event=event, pk=pk)


def print_jobs_of(event: Event) -> QuerySet[PrintJob]:
    return PrintJob.objects.filter(event=event).select_related("category", "organisation", "requested_by")[
        :20
    ]


def print_job_of(event: Event, pk: int) -> PrintJob:
    """The event's print batch ``pk``; 404 otherwise."""
    return get_object_or_404(PrintJob, event=event, pk=pk)


def finished_print_job_of(event: Event, pk: int) -> PrintJob:
    """The event's print batch ``pk`` if it is done; 404 otherwise."""
    return get_object_or_404(PrintJob, event=event, pk=pk, status=PrintJob.Status.DONE)


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


def lead_of(organisation: Organisation, pk: Any) -> Lead:
    """One of the organisation's leads; 404 otherwise."""
    return get_object_or_404(Lead, organisation=organisation, pk=pk)


def lead_for(event: Event, pk: int) -> Lead:
    """The event's lead ``pk`` with its organisation and badge; 404 otherwise (the caller checks
    that the user may see the organisation's leads)."""
    return get_object_or_404(Lead.objects.select_related("organisation", "badge"), event=event, pk=pk)


def leads_csv(organisation: Organisation) -> str:
    """The company's leads for a spreadsheet: headings and countries in the reader's language,
    the moment of capture in the show's local time (as the other exports write it)."""
    event = organisation.event
    return write_csv(
        [
            _("Name"),
            _("Organisation"),
            _("Job title"),
            _("Country"),
            _("E-mail"),
            _("Rating"),
            _("Note"),
            _("Captured by"),
            _("Captured at (%(zone)s)") % {"zone": zone_words(event.time_zone)},
        ],
        (
            [
                lead.badge.name,
                lead.badge.organisation_name,
                lead.badge.job_title,
                lead.badge.country.name if lead.badge.country else "",
                lead.badge.email,
                lead.rating or "",
                lead.note,
                lead.captured_by.get_full_name() if lead.captured_by else "",
                stamp(lead.captured_at, event.tz),
            ]
            for lead in leads_of(organisation)
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
    buckets: dict[datetime, Counter[int]] = defaultdict(Counter)
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
    unique = [(d, len(seen_visitors[d]), len(seen[d])) for d in sorted(seen)]

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
