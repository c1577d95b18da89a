"""The organiser dashboard's exhibitor figures, to-dos and chart."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from exhibition.core.charts import Series, bar_chart
from exhibition.events.models import Event
from exhibition.events.selectors import Todo, chart_provider, summary_provider, todo_provider

from ..models import (
    Application,
    ScreeningHit,
)
from .applications import PENDING, PENDING_STATES, state_counts


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

    def period(day: date) -> date:
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
    series = [
        Series("submitted", pgettext("application state", "Submitted")),
        Series("approved", pgettext("application state", "Approved")),
    ]
    heading = _("Month") if by_month else _("Week")
    return [
        (20, bar_chart(id="chart-applications", title=title, rows=chart_rows, series=series, heading=heading))
    ]
