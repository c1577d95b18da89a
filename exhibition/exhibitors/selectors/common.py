"""The show's exhibitor settings, the upload limit, and badge quotas from stand areas."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from exhibition.accounts.models import Organisation
from exhibition.events.models import Event
from exhibition.floorplans.models import Stand

from ..models import (
    BadgeRequest,
    ExhibitorSettings,
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
