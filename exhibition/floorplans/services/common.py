"""What the floor-plan services share: the plan's settings and prices, the geometry of the
hall's rows, the hall lock, and the checks every placement goes through."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from exhibition.core.errors import DomainError
from exhibition.events.models import Event, Hall

from .. import codes
from .. import geometry as g
from ..models import Feature, PlanSettings, Stand, WalkingMatrix
from ..pricing import SETTLED_STATUSES, price_for
from ..shapes import g_feature, g_hall, g_stand

GRID = 0.5
MAX_METRES = 100_000  # no site is 100 km across: anything larger is a typing error


# --- helpers ----------------------------------------------------------------------------


def plan_settings(event: Event) -> PlanSettings:
    settings_, _created = PlanSettings.objects.get_or_create(event=event)
    return settings_


def lock_hall(hall: Hall) -> Hall:
    return Hall.objects.select_for_update().get(pk=hall.pk)


def lock_halls(*halls: Hall) -> dict[int, Hall]:
    """Lock several halls at once, always in primary-key order (no deadlock between two moves)."""
    return {
        h.pk: h for h in Hall.objects.select_for_update().filter(pk__in={h.pk for h in halls}).order_by("pk")
    }


def _neighbourhood(
    hall: Hall,
    rect: g.Rect,
    *,
    exclude_stands: Iterable[int] = (),
    exclude_features: Iterable[int] = (),
    margin: float = 0.01,
) -> tuple[list[Stand], list[Feature]]:
    """Stands and features of ``hall`` whose boxes come within ``margin`` of ``rect``."""
    x0, y0, x1, y1 = rect.x - margin, rect.y - margin, rect.x1 + margin, rect.y1 + margin
    # A stand's footprint is at most max(width, depth) in each direction from (x, y).
    reach = Greatest(F("width"), F("depth"))
    candidates = (
        Stand.objects.filter(hall=hall, x__lt=x1, y__lt=y1)
        .alias(reach=reach)
        .filter(x__gt=x0 - F("reach"), y__gt=y0 - F("reach"))
        .exclude(pk__in=list(exclude_stands))
        .select_related("hall")
    )
    stands: list[Stand] = [s for s in candidates if (r := g_stand(s).rect).x1 > x0 and r.y1 > y0]
    features = list(
        Feature.objects.filter(hall=hall, x__lt=x1, y__lt=y1, x__gt=x0 - F("width"), y__gt=y0 - F("depth"))
        .exclude(pk__in=list(exclude_features))
        .select_related("hall")
    )
    return stands, features


def check_placement(
    hall: Hall,
    shape: g.Stand | g.Feature,
    *,
    exclude_stands: Iterable[int] = (),
    exclude_features: Iterable[int] = (),
    what: str,
) -> None:
    bounds_check(hall, shape, what=what)
    stands, features = _neighbourhood(
        hall, g.footprint(shape), exclude_stands=exclude_stands, exclude_features=exclude_features
    )
    for other in stands:
        if g.overlaps(shape, g_stand(other)):
            raise DomainError(
                _("%(what)s %(id)s would overlap stand %(other)s.")
                % {"what": what, "id": shape.id, "other": other.number},
                field="x",
            )
    for feature in features:
        if g.overlaps(shape, g_feature(feature)):
            raise DomainError(
                _("%(what)s %(id)s would overlap %(other)s.")
                % {"what": what, "id": shape.id, "other": feature},
                field="x",
            )


def bounds_check(hall: Hall, shape: g.Stand | g.Feature, *, what: str) -> None:
    """A stand or feature must lie inside its hall: a translated error naming how far it sticks
    out and where it would fit (its footprint as laid, rotation applied), on the field to change."""
    rect, gh = shape.rect, g_hall(hall)
    axes = (
        # (field, position, size as laid, hall size, size field as laid)
        ("x", rect.x, rect.width, gh.width, "depth" if getattr(shape, "rotation", 0) == 90 else "width"),
        ("y", rect.y, rect.depth, gh.depth, "width" if getattr(shape, "rotation", 0) == 90 else "depth"),
    )
    for field, position, size, room, size_field in axes:
        if size > room + g.EPS:
            message = (
                _("%(what)s %(id)s is %(size)s m wide on the plan but %(hall)s is only %(room)s m wide.")
                if field == "x"
                else _("%(what)s %(id)s is %(size)s m deep on the plan but %(hall)s is only %(room)s m deep.")
            )
            raise DomainError(
                message
                % {"what": what, "id": shape.id, "size": g.fmt(size), "hall": hall.name, "room": g.fmt(room)},
                field=size_field,
            )
        if position < -g.EPS:
            raise DomainError(
                _("%(what)s %(id)s would stick out of %(hall)s by %(n)s m: place it at %(axis)s ≥ 0 m.")
                % {"what": what, "id": shape.id, "hall": hall.name, "n": g.fmt(-position), "axis": field},
                field=field,
            )
        if position + size > room + g.EPS:
            raise DomainError(
                _("%(what)s %(id)s would stick out of %(hall)s by %(n)s m: place it at %(axis)s ≤ %(max)s m.")
                % {
                    "what": what,
                    "id": shape.id,
                    "hall": hall.name,
                    "n": g.fmt(position + size - room),
                    "axis": field,
                    "max": g.fmt(room - size),
                },
                field=field,
            )


def refresh_stands(hall: Hall, rects: Iterable[g.Rect], settings_: PlanSettings) -> None:
    """Re-derive open sides and prices of the stands touching any of ``rects``."""
    seen: dict[int, Stand] = {}
    for rect in rects:
        for s in _neighbourhood(hall, rect, margin=0.05)[0]:
            seen[s.pk] = s
    if not seen:
        return
    gh = g_hall(hall)
    changed = []
    for s in seen.values():
        shape = g_stand(s)
        around = [g_stand(o) for o in _neighbourhood(hall, shape.rect, exclude_stands=[s.pk], margin=0.05)[0]]
        sides = s.open_sides if s.open_sides_fixed else max(1, g.open_sides(shape, around, gh))
        # a booked stand keeps the price it was booked at, whatever its neighbours become
        price = (
            s.price
            if s.status in SETTLED_STATUSES
            else price_for(area=s.area, kind=s.kind, open_sides=sides, settings_=settings_)
        )
        if sides != s.open_sides or price != s.price:
            s.open_sides, s.price = sides, price
            changed.append(s)
    Stand.objects.bulk_update(changed, ["open_sides", "price"])


def bump_plan_version(event: Event) -> None:
    """The plan changed: derived data (walking matrix) is stale; recompute after commit."""
    plan_settings(event)  # the row must exist for the version to move
    PlanSettings.objects.filter(event=event).update(version=F("version") + 1)
    walking_settings_changed(event)


def walking_settings_changed(event: Event) -> None:
    """Walking speed or hall-entry time changed (or the plan: see `bump_plan_version`): the
    stored matrix no longer holds; mark it pending and recompute after commit."""
    WalkingMatrix.objects.filter(event=event).exclude(status=WalkingMatrix.Status.FAILED).update(
        status=WalkingMatrix.Status.PENDING, progress=0.0
    )
    # floorplans.tasks imports floorplans.matrix, which imports this package (plan_settings)
    from ..tasks import compute_walking_matrix  # noqa: PLC0415 -- cycle: tasks -> matrix -> services

    event_id = event.pk
    transaction.on_commit(lambda: _queue_matrix(compute_walking_matrix, event_id))


def _queue_matrix(task: Any, event_id: int) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER and not getattr(settings, "WALKING_MATRIX_EAGER", False):
        return  # embedded mode: computed on demand (the page offers a button), not on every edit
    try:
        task.apply_async(kwargs={"event_id": event_id}, retry=False, countdown=5)
    except Exception:  # noqa: BLE001 - broker down: the page offers to compute it again
        logging.getLogger(__name__).warning("could not queue walking matrix for event %s", event_id)


def snap_to_grid(v: float) -> float:
    return g.snap(float(v), GRID)


def parse_number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(_("%(v)r is not a number.") % {"v": value}) from None
    if not math.isfinite(number):
        raise DomainError(_("%(v)r is not a number.") % {"v": value})
    return number


def parse_geometry(name: str, value: Any) -> float:
    """A snapped coordinate or size, or a DomainError on its field."""
    try:
        number = parse_number(value)
    except DomainError as exc:
        raise DomainError(exc.message, field=name) from None
    if abs(number) > MAX_METRES:
        raise DomainError(_("%(v)s m is out of range.") % {"v": value}, field=name)
    return snap_to_grid(number)


def parse_rotation(value: Any) -> int:
    try:
        rotation = int(value)
    except (TypeError, ValueError):
        rotation = -1
    if rotation not in (0, 90):
        raise DomainError(_("Rotation is 0 or 90 degrees."), field="rotation")
    return rotation


def parse_stand_number(value: Any) -> str:
    number = str(value or "").strip().upper()
    if not number:
        raise DomainError(_("Enter a stand number."), field="number")
    max_length = Stand._meta.get_field("number").max_length
    if max_length is not None and len(number) > max_length:
        raise DomainError(_("A stand number has at most 20 characters."), field="number")
    unfit = codes.unfit_message(number, stand=True)
    if unfit:
        raise DomainError(unfit, field="number")
    return number


def claim_code(
    event: Event,
    code: str,
    *,
    field: str,
    stand: int | None = None,
    feature: int | None = None,
    door: int | None = None,
) -> None:
    """Stand numbers, feature and door codes share one namespace per event (see :mod:`.codes`).
    Call inside the writing transaction: the event's plan-settings row is locked first, so that
    two editors cannot both take a free code."""
    plan_settings(event)
    PlanSettings.objects.select_for_update().filter(event=event).values_list("pk", flat=True).first()
    kind = codes.owner_of(event.pk, code, stand=stand, feature=feature, door=door)
    if kind is not None:
        raise DomainError(codes.clash_message(code, kind), field=field)


def check_size(width: float, depth: float) -> None:
    """A stand is at least 1 m wide and 1 m deep: the error goes on the field that is too small."""
    for name, value in (("width", width), ("depth", depth)):
        if value < 1:
            raise DomainError(_("Enter at least 1 m."), field=name)


def check_kind(kind: Any) -> None:
    if kind not in Stand.Kind.values:
        raise DomainError(_("Choose shell scheme or raw space."), field="kind")


def check_open_sides(value: Any) -> int | None:
    if value is None:
        return None
    try:
        sides = int(value)
    except (TypeError, ValueError):
        sides = 0
    if not 1 <= sides <= 4:
        raise DomainError(_("Open sides are 1 (inline) to 4 (island)."), field="open_sides")
    return sides


def stands_touching(hall: Hall, rect: g.Rect) -> list[Stand]:
    return _neighbourhood(hall, rect, margin=0.05)[0]


class _GridIndex:
    def __init__(self, shapes: dict[int, g.Stand], cell: float = 20.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        for pk, shape in shapes.items():
            for key in self._keys(shape.rect):
                self.cells.setdefault(key, []).append(pk)

    def _keys(self, r: g.Rect) -> Iterator[tuple[int, int]]:
        c = self.cell
        for i in range(int((r.x - 0.1) // c), int((r.x1 + 0.1) // c) + 1):
            for j in range(int((r.y - 0.1) // c), int((r.y1 + 0.1) // c) + 1):
                yield (i, j)

    def near(self, rect: g.Rect) -> set[int]:
        out: set[int] = set()
        for key in self._keys(rect):
            out.update(self.cells.get(key, ()))
        return out


def grid_index(shapes: dict[int, g.Stand]) -> _GridIndex:
    return _GridIndex(shapes)
