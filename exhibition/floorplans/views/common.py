"""What the floor-plan pages share: the list's page size and sorts, finding a hall or stand,
URLs back to the plan, and the permission mixins of viewing and editing."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlencode

from django.urls import reverse

from exhibition.core.views import PermissionMixin
from exhibition.events.models import Hall

from .. import svg

LIST_PAGE_SIZE = 50
LIST_SORTS = {
    "number": ("number",),
    "-number": ("-number",),
    "status": ("status", "number"),
    "-status": ("-status", "number"),
    "area": ("area", "number"),
    "-area": ("-area", "number"),
}


# --- helpers ----------------------------------------------------------------------------------


def url_maker(name: str, event, **fixed) -> Callable[[str], str]:
    """reverse() once, then fill in the stand number: 400 links for the price of one."""
    marker = "__NUMBER__"
    base = reverse(name, kwargs={"event_slug": event.slug, **fixed, "number": marker})
    return lambda number: base.replace(marker, quote(number, safe=""))


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def plan_url(event, hall: Hall, **params) -> str:
    url = reverse("floorplans:hall", kwargs={"event_slug": event.slug, "hall_code": hall.code})
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def dashboard_row(stats: dict) -> dict:
    """One block of the dashboard: per status the stands and m², totals and the bar chart."""
    labels = svg.bucket_labels()
    return {
        "stats": stats,
        "rows": [
            {
                "key": b,
                "label": labels[b],
                "colour": svg.STATUS_COLOURS[b],
                "n": stats["stands"][b],
                "m2": stats["area_m2"][b],
            }
            for b in svg.BUCKETS
        ],
        "total_n": sum(stats["stands"].values()),
        "total_m2": round(sum(stats["area_m2"].values()), 1),
        "chart": svg.bar_chart(stats),
    }


class PlanMixin(PermissionMixin):
    permission_required = "floorplans.view_plan"

    @property
    def can_edit(self) -> bool:
        return self.request.user.has_perm("floorplans.change_plan", self.request.event)

    @property
    def commercials(self) -> bool:
        return self.request.user.has_perm("floorplans.view_stand_commercials", self.request.event)


class EditMixin(PlanMixin):
    permission_required = "floorplans.change_plan"
