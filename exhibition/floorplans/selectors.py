"""Reads for the floor plan: stands per hall in one query, routes and the walking matrix."""

from __future__ import annotations

import hashlib
import math
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from exhibition.accounts.models import Organisation
from exhibition.core.colours import QUALITATIVE, palette_colour
from exhibition.core.models import AuditLogEntry
from exhibition.events.models import Event, Hall, Sector
from exhibition.events.selectors import summary_provider

from . import codes, walking
from .models import Door, Feature, Pavilion, PlanSettings, Stand, WalkingMatrix, localized_name
from .pricing import SETTLED_STATUSES
from .shapes import g_door, g_feature, g_hall, g_stand


def plan_settings_for(event: Event) -> PlanSettings:
    """The event's plan settings, or the defaults (unsaved) while none are stored: a read never
    makes the row (the services do, on the first edit)."""
    return PlanSettings.objects.filter(event=event).first() or PlanSettings(event=event)


def halls_for_event(event: Event) -> QuerySet[Hall]:
    return Hall.objects.filter(event=event).order_by("position", "code")


def hall_for(event: Event, code: str) -> Hall:
    """The event's hall of that code (any case), or 404."""
    hall = Hall.objects.filter(event=event, code__iexact=code).first()
    if hall is None:
        raise Http404
    return hall


def hall_id_for(event: Event, code: str) -> int | None:
    """The primary key of the event's hall of that code (any case), or None."""
    return Hall.objects.filter(event=event, code__iexact=code).values_list("pk", flat=True).first()


# Time stamps are never shown on the plan; parsing two per stand and exhibitor is a good part
# of the cost of a 400-stand hall.
_UNUSED = ("created_at", "updated_at", "exhibitor__created_at", "exhibitor__updated_at")


def stands_for_hall(event: Event, hall: Hall, ordering: tuple[str, ...] = ("number",)) -> QuerySet[Stand]:
    """The stands of a hall with exhibitor (and its sectors), pavilion and hall: a fixed number of
    queries whatever the number of stands. In ``ordering`` (by number unless told)."""
    return (
        Stand.objects.filter(event=event, hall=hall)
        .select_related("exhibitor", "pavilion", "hall")
        .defer(*_UNUSED)
        .prefetch_related(Prefetch("exhibitor__sectors", queryset=Sector.objects.order_by("name_en")))
        .order_by(*ordering)
    )


def stand_for(event: Event, hall: Hall, number: str) -> Stand:
    """The stand of that number (any case) in the hall, with hall, exhibitor and pavilion, or 404."""
    stand = (
        Stand.objects.select_related("hall", "exhibitor", "pavilion")
        .filter(event=event, hall=hall, number=number.upper())
        .first()
    )
    if stand is None:
        raise Http404
    return stand


def stand_by_number(event: Event, number: str) -> Stand:
    """The event's stand of that number (any case), with hall and event, or 404."""
    stand = Stand.objects.select_related("hall", "event").filter(event=event, number=number.upper()).first()
    if stand is None:
        raise Http404
    return stand


def stands_numbered(event: Event, numbers: list[str]) -> QuerySet[Stand]:
    """The event's stands of these numbers (as stored: upper case), with their halls."""
    return Stand.objects.filter(event=event, number__in=numbers).select_related("hall")


def stand_shapes_for_event(event: Event) -> QuerySet[Stand]:
    """The event's stands with only what the site map draws (footprint and status)."""
    return Stand.objects.filter(event=event).only(
        "hall_id", "x", "y", "width", "depth", "rotation", "status", "held_until"
    )


def stands_with_sectors_for_event(event: Event) -> QuerySet[Stand]:
    """As ``stands_for_event``, with each exhibitor's sectors (by English name) for colouring."""
    return stands_for_event(event).prefetch_related(
        Prefetch("exhibitor__sectors", queryset=Sector.objects.order_by("name_en"))
    )


def stand_places(event: Event) -> list[tuple[str, str | None]]:
    """Each stand's number and its exhibitor's name (None if free), by number."""
    return list(Stand.objects.filter(event=event).order_by("number").values_list("number", "exhibitor__name"))


def sectors_of_stand(stand: Stand) -> list[Sector]:
    """The sectors of the stand's exhibitor by English name (none for a free stand)."""
    return list(stand.exhibitor.sectors.order_by("name_en")) if stand.exhibitor is not None else []


def stand_history(event: Event, stand: Stand, limit: int = 20) -> list[AuditLogEntry]:
    """The stand's last audit log entries, newest first, with their actors."""
    return list(
        AuditLogEntry.objects.filter(event=event, object_type="floorplans.stand", object_id=str(stand.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def filtered_stands(
    event: Event,
    *,
    hall: str | None = None,
    status: str | None = None,
    pavilion: str | None = None,
    kind: str | None = None,
    min_area: float | None = None,
    max_area: float | None = None,
    text: str | None = None,
) -> QuerySet[Stand]:
    """The event's stands (as ``stands_for_event``) narrowed by each filter given: hall code and
    pavilion name (any case), effective status, kind, area bounds (m², inclusive) and a text in
    the number or the exhibitor's name. Empty or None filters are left out."""
    qs = stands_for_event(event)
    if hall:
        qs = qs.filter(hall__code__iexact=hall)
    if status is not None:
        qs = qs.filter(status_condition(status))
    if pavilion:
        qs = qs.filter(pavilion__name__iexact=pavilion)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if min_area is not None:
        qs = qs.filter(area__gte=min_area)
    if max_area is not None:
        qs = qs.filter(area__lte=max_area)
    if text:
        qs = qs.filter(Q(number__icontains=text) | Q(exhibitor__name__icontains=text))
    return qs


def stands_for_event(event: Event) -> QuerySet[Stand]:
    return (
        Stand.objects.filter(event=event)
        .select_related("exhibitor", "pavilion", "hall")
        .defer(*_UNUSED)
        .order_by("hall__position", "number")
    )


def status_condition(status: str) -> Q:
    """Stands whose *effective* status is ``status`` (an expired hold counts as available)."""
    live_hold = Q(status=Stand.Status.HELD, held_until__gt=timezone.now())
    if status == Stand.Status.AVAILABLE:
        return Q(status=Stand.Status.AVAILABLE) | (Q(status=Stand.Status.HELD) & ~live_hold)
    if status == Stand.Status.HELD:
        return live_hold
    return Q(status=status)


def features_for_hall(event: Event, hall: Hall) -> QuerySet[Feature]:
    return Feature.objects.filter(event=event, hall=hall).select_related("hall").order_by("code")


def features_for_event(event: Event, hall_code: str | None = None) -> QuerySet[Feature]:
    """The event's features (of the hall of that code, any case, if given) with their halls, by
    hall and code."""
    qs = Feature.objects.filter(event=event).select_related("hall").order_by("hall__position", "code")
    if hall_code:
        qs = qs.filter(hall__code__iexact=hall_code)
    return qs


def feature_for(event: Event, hall: Hall, code: str) -> Feature:
    """The feature of that code (any case) in the hall, with its hall, or 404."""
    feature = Feature.objects.select_related("hall").filter(event=event, hall=hall, code=code.upper()).first()
    if feature is None:
        raise Http404
    return feature


def place_features_for_event(event: Event) -> QuerySet[Feature]:
    """The event's features that are places one can walk to, by code."""
    return Feature.objects.filter(event=event, kind__in=Feature.PLACE_KINDS).order_by("code")


def doors_for_event(event: Event, hall_code: str | None = None) -> QuerySet[Door]:
    """The event's doors with both halls, by code; only those of the hall of that code (any case,
    on either side of the door) if given."""
    qs = Door.objects.filter(event=event).select_related("hall_a", "hall_b").order_by("code")
    if hall_code:
        qs = qs.filter(Q(hall_a__code__iexact=hall_code) | Q(hall_b__code__iexact=hall_code))
    return qs


def nearest_entrance(event: Event, stand: Stand) -> Door | None:
    """The entrance from outside of the stand's hall nearest to the stand (as the crow flies), or
    None when the hall has none: where a walk to the stand most likely starts."""
    hall = stand.hall
    cx, cy = (
        hall.origin_x + stand.x + stand.footprint[0] / 2,
        hall.origin_y + stand.y + stand.footprint[1] / 2,
    )
    entrances = list(
        Door.objects.filter(event=event, hall_a=hall, hall_b__isnull=True).only("code", "x", "y")
    )
    if not entrances:
        return None
    return min(entrances, key=lambda d: ((d.x - cx) ** 2 + (d.y - cy) ** 2, d.code))


def doors_for_hall(event: Event, hall: Hall) -> QuerySet[Door]:
    """The doors of a hall (its entrances and the doors to other halls) with both halls, by code."""
    return (
        Door.objects.filter(Q(hall_a=hall) | Q(hall_b=hall), event=event)
        .select_related("hall_a", "hall_b")
        .order_by("code")
    )


def door_for(event: Event, hall: Hall, code: str) -> Door:
    """The door of that code (any case) on a wall of the hall, with its halls and event, or 404."""
    door = doors_for_hall(event, hall).select_related("event").filter(code=code.strip().upper()).first()
    if door is None:
        raise Http404
    return door


def find_stands(event: Event, text: str, limit: int = 50) -> QuerySet[Stand]:
    text = (text or "").strip()
    if not text:
        return Stand.objects.none()
    return stands_for_event(event).filter(Q(number__icontains=text) | Q(exhibitor__name__icontains=text))[
        :limit
    ]


# --- the site map's cached parts ---------------------------------------------------------------------


def site_stamp(event: Event, *parts: Any) -> str:
    """Changes whenever anything drawn on the site map or named in the list of places changes:
    the plan version (geometry), every stand's own version (bumped on each booking or edit), the
    exhibitors' names, and the halls, doors and features passed in (read by the caller anyway)."""
    agg = Stand.objects.filter(event=event).aggregate(
        n=Count("id"), v=Sum("version"), named=Max("exhibitor__updated_at")
    )
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    rows = repr(
        [
            [
                (
                    getattr(o, "pk", None),
                    *(
                        getattr(o, f, None)
                        for f in (
                            "code",
                            "name",
                            "name_fr",
                            "x",
                            "y",
                            "width",
                            "depth",
                            "origin_x",
                            "origin_y",
                            "hall_a_id",
                            "hall_b_id",
                        )
                    ),
                )
                for o in part
            ]
            for part in parts
        ]
    )
    digest = hashlib.sha1(rows.encode(), usedforsecurity=False).hexdigest()[:16]
    named = agg["named"].timestamp() if agg["named"] else 0
    return f"{event.pk}:{created:.6f}:{plan_settings_for(event).version}:{agg['n']}:{agg['v'] or 0}:{named:.6f}:{digest}"


def hall_stamp(event: Event, hall: Hall, halls: list[Hall]) -> str:
    """Changes whenever anything drawn on the hall's plan for visitors (no status colours) changes:
    each stand of the hall (its version is bumped on every booking or edit, ``updated_at`` on
    every save; exhibitor and pavilion summed in), the exhibitors' names and sectors (which colour
    their stands), the sectors' and pavilions' colours and names (in both languages), the hall's
    features, the doors (with their French names),
    the halls (a door is titled with the hall it leads to) and the plan version.

    One query (what it spares, a few hundred stands with their exhibitors and sectors and the SVG
    drawn from them, costs ten times more). Every part has the same columns: a tag, an id, four
    texts, four numbers and two ids."""
    t = {m: m._meta.db_table for m in (Stand, Organisation, Feature, Door, Sector, Pavilion, PlanSettings)}
    org_sectors = Organisation.sectors.through._meta.db_table
    # The stands are joined to their exhibitors' sectors: a stand counts once per sector, which
    # still moves the sums whenever a stand, its exhibitor or the exhibitor's sectors change.
    sql = (
        f"SELECT 'a', COUNT(s.id), CAST(MAX(s.updated_at) AS TEXT), CAST(MAX(o.updated_at) AS TEXT), '', '',"  # noqa: S608 -- table names from the models' _meta; every value is a parameter
        f" SUM(s.version), SUM(s.exhibitor_id), SUM(s.pavilion_id), SUM(s.exhibitor_id * os.sector_id),"
        f" COUNT(os.id), SUM(os.sector_id)"
        f" FROM {t[Stand]} s LEFT JOIN {t[Organisation]} o ON o.id = s.exhibitor_id"
        f" LEFT JOIN {org_sectors} os ON os.organisation_id = s.exhibitor_id WHERE s.event_id = %s AND s.hall_id = %s"
        f" UNION ALL SELECT 'f', id, code, kind, name, '', x, y, width, depth, hall_id, hall_id FROM {t[Feature]}"
        f" WHERE hall_id = %s"
        f" UNION ALL SELECT 'd', id, code, name, name_fr, '', x, y, width, 0, hall_a_id, hall_b_id FROM {t[Door]}"
        f" WHERE event_id = %s"
        f" UNION ALL SELECT 's', id, code, colour, name_en, name_fr, 0, 0, 0, 0, 0, 0 FROM {t[Sector]} WHERE event_id = %s"
        f" UNION ALL SELECT 'p', id, name, colour, name_fr, '', 0, 0, 0, 0, 0, 0 FROM {t[Pavilion]} WHERE event_id = %s"
        f" UNION ALL SELECT 'v', id, '', '', '', '', 0, 0, 0, 0, version, 0 FROM {t[PlanSettings]} WHERE event_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event.pk, hall.pk, hall.pk, event.pk, event.pk, event.pk, event.pk])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    text = repr(
        [rows, [(h.pk, h.code, h.name, h.width, h.depth, h.origin_x, h.origin_y, h.position) for h in halls]]
    )
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:24]
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    return f"{event.pk}:{created:.6f}:{hall.pk}:{digest}"


@dataclass(frozen=True)
class RouteStamp:
    """What the route page reads in one query: the key of its cached site map and places, the
    doors' names (English and French: the page picks by the reader's language, see
    ``door_name``), and the plan settings the walking graph is keyed by."""

    key: str
    door_names: dict[str, tuple[str, str]]
    settings: PlanSettings

    def door_name(self, code: str) -> str:
        """The door's name as the reader reads it (the French one on a French page, when it has
        one), else its code."""
        name, name_fr = self.door_names.get(code, ("", ""))
        return localized_name(name, name_fr) or code


def route_stamp(event: Event, halls: list[Hall]) -> RouteStamp:
    """Changes whenever the route page's site map or its list of places changes: as
    ``site_stamp`` (the plan version, every stand's version, the exhibitors' names, the halls,
    the doors and the places among the features), in one query whose parts all have the same
    columns (a tag, an id, three texts, five numbers, two ids)."""
    t = {m: m._meta.db_table for m in (Stand, Organisation, Feature, Door, PlanSettings)}
    kinds = sorted(Feature.PLACE_KINDS)
    sql = (
        f"SELECT 'a', COUNT(s.id), CAST(MAX(o.updated_at) AS TEXT), '', '', SUM(s.version), 0, 0, 0, 0, 0, 0"  # noqa: S608 -- table names from the models' _meta; every value is a parameter
        f" FROM {t[Stand]} s LEFT JOIN {t[Organisation]} o ON o.id = s.exhibitor_id WHERE s.event_id = %s"
        f" UNION ALL SELECT 'f', id, code, name, '', x, y, width, depth, 0, hall_id, 0 FROM {t[Feature]}"
        f" WHERE event_id = %s AND kind IN ({', '.join(['%s'] * len(kinds))})"
        f" UNION ALL SELECT 'd', id, code, name, name_fr, x, y, width, 0, 0, hall_a_id, hall_b_id FROM {t[Door]}"
        f" WHERE event_id = %s"
        f" UNION ALL SELECT 'v', id, '', '', '', version, hall_entry_minutes, 0, 0, 0, 0, 0 FROM {t[PlanSettings]}"
        f" WHERE event_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [event.pk, event.pk, *kinds, event.pk, event.pk])
        rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    version = next((row for row in rows if row[0] == "v"), None)
    if version is None:  # none stored yet: the defaults (a read never makes the row)
        settings_ = PlanSettings(event=event)
        rows.append(
            ("v", settings_.pk, "", "", "", settings_.version, settings_.hall_entry_minutes, 0, 0, 0, 0, 0)
        )
    else:
        settings_ = PlanSettings(
            pk=version[1], event=event, version=int(version[5]), hall_entry_minutes=float(version[6])
        )
    # Numbers as floats: a database may answer a column of the union as integers, decimals or floats.
    rows = [tuple(float(v) if isinstance(v, int | float | Decimal) else v for v in row) for row in rows]
    text = repr(
        [
            rows,
            [(h.pk, h.code, h.name, h.width, h.depth, h.origin_x, h.origin_y, h.position) for h in halls],
            event.walking_speed,
        ]
    )
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:24]
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    return RouteStamp(
        key=f"{event.pk}:{created:.6f}:{settings_.version}:{digest}",
        door_names={row[2]: (row[3], row[4]) for row in rows if row[0] == "d"},
        settings=settings_,
    )


# --- walking --------------------------------------------------------------------------------


# The pickled graph's layout: a change of the walking package's classes moves it, so a
# deploy never unpickles a graph that an older release stored in the shared cache.
GRAPH_FORMAT = 2


def _graph_key(event: Event, version: int, entry_minutes: float = 0.0) -> str:
    # The creation time too: primary keys and plan versions start again in a fresh database
    # (tests, a re-seeded demo) while a shared cache (Redis) still holds the old graph.
    # The walking speed and the hall-entry time are settings, not plan edits: in the key as well.
    created = event.created_at.timestamp() if getattr(event, "created_at", None) else 0
    return (
        f"floorplans:graph:{GRAPH_FORMAT}:{event.pk}:{created:.6f}:{version}"
        f":{event.walking_speed:g}:{entry_minutes:g}"
    )


_LOCAL_GRAPHS: OrderedDict[str, walking.WalkingGraph] = OrderedDict()
_LOCAL_SIZE = 4
_local_lock = threading.Lock()


def walking_graph(event: Event, settings_: PlanSettings | None = None) -> walking.WalkingGraph:
    """The event's walking graph, built once per plan version and shared through the cache.

    The process also keeps the last few graphs it used: unpickling a show-sized graph from the
    cache costs more than a route on it. The key carries the plan version, so an edit anywhere
    (which bumps it) is seen at once; the graph is read-only once built.
    """
    settings_ = settings_ or plan_settings_for(event)
    key = _graph_key(event, settings_.version, settings_.hall_entry_minutes)
    with _local_lock:
        graph = _LOCAL_GRAPHS.get(key)
        if graph is not None:
            _LOCAL_GRAPHS.move_to_end(key)
            return graph
    blob = cache.get(key)
    if blob is not None:
        graph = pickle.loads(blob)  # noqa: S301 -- our own cache entry, written below by this function (Django's cache pickles every value anyway)
    else:
        graph = build_walking_graph(event, settings_.hall_entry_minutes)
        cache.set(key, pickle.dumps(graph, protocol=pickle.HIGHEST_PROTOCOL), timeout=60 * 60 * 24)
    with _local_lock:
        _LOCAL_GRAPHS[key] = graph
        while len(_LOCAL_GRAPHS) > _LOCAL_SIZE:
            _LOCAL_GRAPHS.popitem(last=False)
    return graph


def forget_local_graphs() -> None:
    """Drop this process's copies (tests that reuse event ids; the shared cache is cleared apart)."""
    with _local_lock:
        _LOCAL_GRAPHS.clear()


def build_walking_graph(event: Event, entry_minutes: float = 0.0) -> walking.WalkingGraph:
    halls = list(halls_for_event(event))
    stands, features, doors = codes.unique_places(
        [g_stand(s) for s in Stand.objects.filter(event=event).select_related("hall").order_by("number")],
        [g_feature(f) for f in Feature.objects.filter(event=event).select_related("hall").order_by("code")],
        [g_door(d) for d in doors_for_event(event)],
    )
    return walking.WalkingGraph(
        [g_hall(h) for h in halls],
        stands,
        features,
        doors,
        metres_per_minute=event.walking_speed,
        entry_penalty_minutes=entry_minutes,
    )


def route_between(
    event: Event, origin: str, destination: str, settings_: PlanSettings | None = None
) -> walking.Route:
    """The walk between two places; ``settings_`` (the event's plan settings) if already read.

    Kept in the shared cache under the walking graph's key (the plan version, walking speed and
    hall-entry time), so a route asked again costs no search; refusals (unknown or unreachable
    places) are not kept."""
    settings_ = settings_ or plan_settings_for(event)
    pair = hashlib.sha1(repr((origin, destination)).encode(), usedforsecurity=False).hexdigest()
    key = f"{_graph_key(event, settings_.version, settings_.hall_entry_minutes)}:route:{pair}"
    route: walking.Route | None = cache.get(key)
    if route is None:
        route = walking_graph(event, settings_).route(origin, destination)
        cache.set(key, route, timeout=60 * 60 * 24)
    return route


def matrix_state(event: Event) -> WalkingMatrix | None:
    return WalkingMatrix.objects.filter(event=event).defer("minutes").first()


def walking_minutes(
    event: Event, places: list[str] | None = None
) -> dict[str, dict[str, float | None]] | None:
    """The stored matrix as ``travel.minutes`` (restricted to ``places``), or None if it is stale
    (another plan version, walking speed or hall-entry time).

    Unknown ids in ``places`` are left out; an unreachable pair is None (JSON null)."""
    matrix = WalkingMatrix.objects.filter(event=event, status=WalkingMatrix.Status.READY).first()
    if matrix is None or not matrix.is_for(event, plan_settings_for(event)):
        return None
    ids: list[str] = matrix.places
    n = len(ids)
    values = np.frombuffer(bytes(matrix.minutes), dtype="<f4").reshape(n, n)
    index = {p: i for i, p in enumerate(ids)}
    wanted = [p for p in (places or ids) if p in index]
    rows = np.round(
        values[np.ix_([index[p] for p in wanted], [index[p] for p in wanted])].astype(float), 2
    ).tolist()
    return {
        a: {b: (v if math.isfinite(v) else None) for b, v in zip(wanted, row, strict=True)}
        for a, row in zip(wanted, rows, strict=True)
    }


# --- dashboard ------------------------------------------------------------------------------


def stand_statistics(event: Event, hall: Hall | None = None) -> dict[str, Any]:
    """Stands and m² per status (expired holds count as available) and revenue booked."""
    qs = Stand.objects.filter(event=event)
    if hall is not None:
        qs = qs.filter(hall=hall)
    buckets = {name: status_condition(name) for name in ("available", "held", "reserved", "sold", "blocked")}
    agg: dict[str, Any] = {}
    for name, cond in buckets.items():
        agg[f"{name}_n"] = Count("id", filter=cond)
        agg[f"{name}_m2"] = Sum("area", filter=cond)
    agg["revenue"] = Sum("price", filter=Q(status__in=[Stand.Status.RESERVED, Stand.Status.SOLD]))
    row = qs.aggregate(**agg)
    return {
        "stands": {name: row[f"{name}_n"] for name in buckets},
        "area_m2": {name: round(row[f"{name}_m2"] or 0, 1) for name in buckets},
        "revenue": str(Decimal(str(row["revenue"] or 0)).quantize(Decimal("0.01"))),
        "currency": event.currency,
    }


def stand_price_counts(event: Event) -> dict[str, int]:
    """How many stands a change of rates re-prices (``open``: free, blocked or on hold) and how
    many keep their price (``settled``: booked, see ``pricing.SETTLED_STATUSES``)."""
    settled = Q(status__in=SETTLED_STATUSES)
    row = Stand.objects.filter(event=event).aggregate(
        open=Count("id", filter=~settled), settled=Count("id", filter=settled)
    )
    return {"open": row["open"], "settled": row["settled"]}


@summary_provider
def _floorplan_summary(event: Event) -> dict[str, Any]:
    stats = stand_statistics(event)
    return {
        "stands": {"by_status": stats["stands"], "area_m2": stats["area_m2"], "revenue": stats["revenue"]}
    }


def pavilions_for_event(event: Event) -> QuerySet[Pavilion]:
    """The event's pavilions in the order of the names the reader reads (French names on French
    pages where set)."""
    pavilions = Pavilion.objects.filter(event=event)
    if (get_language() or "").startswith("fr"):
        return pavilions.order_by(Coalesce(NullIf("name_fr", Value("")), "name"), "name")
    return pavilions.order_by("name")


def pavilions_with_stands(event: Event) -> QuerySet[Pavilion]:
    """The event's pavilions by name, each with ``stand_count``: one query."""
    return pavilions_for_event(event).annotate(stand_count=Count("stands"))


def next_pavilion_colour(event: Event) -> str:
    """The first colour of the qualitative palette that none of the show's pavilions has yet (so
    that pavilions side by side on the plan are told apart); round the palette again when all are."""
    used = {c.lower() for c in Pavilion.objects.filter(event=event).values_list("colour", flat=True)}
    free = [c for c in QUALITATIVE if c not in used]
    return free[0] if free else palette_colour(len(used))


def pavilion_for(event: Event, pk: Any) -> Pavilion:
    """The event's pavilion of that id, with ``stand_count`` and its event, or 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**31:  # no such row, and no query a database would refuse
        raise Http404
    pavilion = pavilions_with_stands(event).select_related("event").filter(pk=pk).first()
    if pavilion is None:
        raise Http404
    return pavilion
