"""The event's keys, days, zones, categories, rules and gates as one plain structure: what the
server checks a scan against, and exactly what a scanner downloads to decide offline (the
scanner page implements :func:`decide` again in JavaScript, over the same JSON).

Built from the database in a handful of queries and kept in the shared cache under the event's
``rules_version``, which every change bumps."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.core.cache import cache

from exhibition.events.models import Event

from .models import AccessDay, AccessRule, AccreditationSettings, BadgeCategory, Gate, SigningKey, Zone

logger = logging.getLogger(__name__)

CACHE_SECONDS = 600


def _t(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def build(event: Event, version: int) -> dict[str, Any]:
    show = {d.date.isoformat(): (_t(d.opens_at), _t(d.closes_at)) for d in event.days.all()}
    # Opening hours: the show day's; a show-kind site day without a show day (a rehearsal) opens
    # for its site hours.
    days = [
        {
            "date": d.date.isoformat(),
            "kind": d.kind,
            "site": [_t(d.opens_at), _t(d.closes_at)],
            "show": list(show[d.date.isoformat()])
            if d.date.isoformat() in show
            else ([_t(d.opens_at), _t(d.closes_at)] if d.kind == AccessDay.Kind.SHOW else None),
        }
        for d in AccessDay.objects.filter(event=event).order_by("date")
    ]
    day_dates = {d.pk: d.date.isoformat() for d in AccessDay.objects.filter(event=event)}
    categories = [
        {
            "number": c.number,
            "code": c.code,
            "name_en": c.name_en,
            "name_fr": c.name_fr,
            "colour": c.colour,
            "hours": c.hours,
            "reentry": c.allows_reentry,
            "zones": sorted(z.pk for z in c.zones.all()),
            "days": sorted(d.date.isoformat() for d in c.days.all()),
        }
        for c in BadgeCategory.objects.filter(event=event).prefetch_related("zones", "days")
    ]
    zones = [
        {
            "id": z.pk,
            "code": z.code,
            "name_en": z.name_en,
            "name_fr": z.name_fr,
            "kind": z.kind,
            "presence": z.tracks_presence,
        }
        for z in Zone.objects.filter(event=event)
    ]
    by_number = {c.pk: c.number for c in BadgeCategory.objects.filter(event=event)}
    rules = [
        {
            "category": by_number[r.category_id],
            "zone": r.zone_id,
            "date": day_dates.get(r.day_id),
            "from": _t(r.starts_at),
            "until": _t(r.ends_at),
        }
        for r in AccessRule.objects.filter(event=event)
    ]
    gates = [
        {"id": g.pk, "name": g.name, "zone": g.zone_id, "place": g.place_id}
        for g in Gate.objects.filter(event=event)
    ]
    keys = [
        {"kid": k.kid, "public_key": base64.b64encode(bytes(k.public_key)).decode()}
        for k in SigningKey.objects.filter(event=event, withdrawn_at__isnull=True)
    ]
    return {
        "event": event.slug,
        "time_zone": event.time_zone,
        "rules_version": version,
        "keys": keys,
        "days": days,
        "categories": categories,
        "zones": zones,
        "rules": rules,
        "gates": gates,
    }


def current_version(event: Event | int) -> int:
    event_id = getattr(event, "pk", event)
    v = (
        AccreditationSettings.objects.filter(event_id=event_id)
        .values_list("rules_version", flat=True)
        .first()
    )
    return v or 0


# The rules of a version never change (any edit bumps the version in the database), so each
# process may keep the last few it read: the database's version number, read on every request,
# decides which one applies; this is a copy of derived data, never the only one.
_MEMO: dict[tuple[int, int], dict[str, Any]] = {}
_MEMO_SIZE = 16


def get(event: Event, version: int | None = None) -> dict[str, Any]:
    """The rules of the event's current version (``version`` when the caller already read it)."""
    version = version or current_version(event)
    memo_key = (event.pk, version)
    data = _MEMO.get(memo_key)
    if data is not None:
        return data
    key = f"accreditation:rules:{event.pk}:{version}"
    try:
        data = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not stop the gates
        data = None
    if data is None:
        data = build(event, version)
        try:
            cache.set(key, data, CACHE_SECONDS)
        except Exception:  # the rules are built: the gates go on without the shared copy
            logger.warning("rules of event %s not cached: cache unavailable", event.pk, exc_info=True)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[memo_key] = data
    return data


@dataclass(frozen=True)
class Verdict:
    reason: str | None  # None: allowed


def _within(t: str, start: str | None, end: str | None) -> bool:
    return bool(start and end) and start <= t < end  # "HH:MM" strings compare as times


def decide(
    rules: dict[str, Any],
    *,
    category: int,
    zone: int,
    when: datetime,
    code_days: list[date] | None,
    direction: str,
) -> str | None:
    """Why an entry into ``zone`` at local time ``when`` is refused (None: it is allowed). Exits
    are always allowed: nobody is kept inside."""
    if direction == "exit":
        return None
    cat = next((c for c in rules["categories"] if c["number"] == category), None)
    if cat is None:
        return "invalid"
    if zone not in cat["zones"]:
        return "wrong_zone"
    day = when.date().isoformat()
    if (code_days is not None and when.date() not in code_days) or day not in cat["days"]:
        return "wrong_day"
    info = next((d for d in rules["days"] if d["date"] == day), None)
    if info is None:
        return "wrong_day"
    t = when.strftime("%H:%M")
    windows = [
        r
        for r in rules["rules"]
        if r["category"] == category and r["zone"] == zone and (r["date"] is None or r["date"] == day)
    ]
    if windows:
        return None if any(_within(t, r["from"], r["until"]) for r in windows) else "outside_hours"
    if cat["hours"] == "always":
        return None
    if cat["hours"] == "site":
        return None if _within(t, *info["site"]) else "outside_hours"
    show = info["show"]
    return None if show and _within(t, *show) else "outside_hours"
