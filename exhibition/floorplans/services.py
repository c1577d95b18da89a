"""Writes to the floor plan. Every geometry change locks its hall row (one editor at a time
per hall, late and short), validates with :mod:`.geometry` against the stands and features
around it, re-derives open sides and prices, records the audit log and bumps the plan
version, which invalidates the stored walking matrix (recomputed in the background)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _

from exhibition.core import audit, csvio
from exhibition.core.colours import HEX_COLOUR
from exhibition.core.errors import ConflictError, DomainError
from exhibition.events.models import Event, Hall

from . import codes
from . import geometry as g
from .models import Door, Feature, Pavilion, PlanSettings, Stand, WalkingMatrix

GRID = 0.5
MAX_METRES = 100_000  # no site is 100 km across: anything larger is a typing error


# --- helpers ----------------------------------------------------------------------------


def plan_settings(event: Event) -> PlanSettings:
    settings_, _created = PlanSettings.objects.get_or_create(event=event)
    return settings_


def price_for(*, area: float, kind: str, open_sides: int, settings_: PlanSettings) -> Decimal:
    """Area x rate for the type, plus the open-side supplement (corner, peninsula, island)."""
    rate = settings_.raw_rate if kind == Stand.Kind.RAW else settings_.shell_rate
    supplement = {
        2: settings_.corner_supplement,
        3: settings_.peninsula_supplement,
        4: settings_.island_supplement,
    }.get(open_sides, Decimal(0))
    base = Decimal(str(round(area, 2))) * rate
    return (base * (1 + supplement / 100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def g_hall(hall: Hall) -> g.Hall:
    return g.Hall(
        id=hall.code,
        name=hall.name,
        width=hall.width,
        depth=hall.depth,
        origin_x=hall.origin_x,
        origin_y=hall.origin_y,
    )


def g_stand(stand: Stand) -> g.Stand:
    return g.Stand(
        id=stand.number,
        hall_id=stand.hall.code,
        x=stand.x,
        y=stand.y,
        width=stand.width,
        depth=stand.depth,
        rotation=stand.rotation,
    )


def g_feature(feature: Feature) -> g.Feature:
    return g.Feature(
        id=feature.code,
        hall_id=feature.hall.code,
        x=feature.x,
        y=feature.y,
        width=feature.width,
        depth=feature.depth,
        kind=feature.kind,
        is_place=feature.is_place,
    )


def _lock_hall(hall: Hall) -> Hall:
    return Hall.objects.select_for_update().get(pk=hall.pk)


def _lock_halls(*halls: Hall) -> dict[int, Hall]:
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
):
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
    stands = [s for s in candidates if (r := g_stand(s).rect).x1 > x0 and r.y1 > y0]
    features = [
        f
        for f in Feature.objects.filter(
            hall=hall, x__lt=x1, y__lt=y1, x__gt=x0 - F("width"), y__gt=y0 - F("depth")
        )
        .exclude(pk__in=list(exclude_features))
        .select_related("hall")
    ]
    return stands, features


def _check_placement(
    hall: Hall, shape: g.Stand | g.Feature, *, exclude_stands=(), exclude_features=(), what: str
) -> None:
    error = g.bounds_error(shape, g_hall(hall))
    if error:
        raise DomainError(error, field="x")
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
    for other in features:
        if g.overlaps(shape, g_feature(other)):
            raise DomainError(
                _("%(what)s %(id)s would overlap %(other)s.")
                % {"what": what, "id": shape.id, "other": other},
                field="x",
            )


def _refresh_stands(hall: Hall, rects: Iterable[g.Rect], settings_: PlanSettings) -> None:
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
        price = price_for(area=s.area, kind=s.kind, open_sides=sides, settings_=settings_)
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
    from .tasks import compute_walking_matrix

    event_id = event.pk
    transaction.on_commit(lambda: _queue_matrix(compute_walking_matrix, event_id))


def _queue_matrix(task, event_id: int) -> None:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER and not getattr(settings, "WALKING_MATRIX_EAGER", False):
        return  # embedded mode: computed on demand (the page offers a button), not on every edit
    try:
        task.apply_async(kwargs={"event_id": event_id}, retry=False, countdown=5)
    except Exception:  # noqa: BLE001 - broker down: the page offers to compute it again
        import logging

        logging.getLogger(__name__).warning("could not queue walking matrix for event %s", event_id)


def _snap(v: float) -> float:
    return g.snap(float(v), GRID)


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(_("%(v)r is not a number.") % {"v": value}) from None
    if not math.isfinite(number):
        raise DomainError(_("%(v)r is not a number.") % {"v": value})
    return number


def _geometry(name: str, value: Any) -> float:
    """A snapped coordinate or size, or a DomainError on its field."""
    try:
        number = _number(value)
    except DomainError as exc:
        raise DomainError(exc.message, field=name) from None
    if abs(number) > MAX_METRES:
        raise DomainError(_("%(v)s m is out of range.") % {"v": value}, field=name)
    return _snap(number)


def _rotation(value: Any) -> int:
    try:
        rotation = int(value)
    except (TypeError, ValueError):
        rotation = -1
    if rotation not in (0, 90):
        raise DomainError(_("Rotation is 0 or 90 degrees."), field="rotation")
    return rotation


def _stand_number(value: Any) -> str:
    number = str(value or "").strip().upper()
    if not number:
        raise DomainError(_("Enter a stand number."), field="number")
    if len(number) > Stand._meta.get_field("number").max_length:
        raise DomainError(_("A stand number has at most 20 characters."), field="number")
    return number


def _claim_code(
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


def _check_size(width: float, depth: float) -> None:
    if width < 1 or depth < 1:
        raise DomainError(_("A stand is at least 1 m wide and 1 m deep."), field="width")


def _check_kind(kind: Any) -> None:
    if kind not in Stand.Kind.values:
        raise DomainError(_("Choose shell scheme or raw space."), field="kind")


def _check_open_sides(value: Any) -> int | None:
    if value is None:
        return None
    try:
        sides = int(value)
    except (TypeError, ValueError):
        sides = 0
    if not 1 <= sides <= 4:
        raise DomainError(_("Open sides are 1 (inline) to 4 (island)."), field="open_sides")
    return sides


# --- stands -----------------------------------------------------------------------------------


def create_stand(
    *,
    event: Event,
    actor: Any,
    hall: Hall,
    number: str,
    x: float,
    y: float,
    width: float,
    depth: float,
    rotation: int = 0,
    kind: str = Stand.Kind.SHELL,
    open_sides: int | None = None,
    pavilion: Pavilion | None = None,
    status: str = Stand.Status.AVAILABLE,
    exhibitor: Any = None,
    record: bool = True,
) -> Stand:
    number = _stand_number(number)
    if hall.event_id != event.pk:
        raise DomainError(_("This hall belongs to another event."), field="hall")
    if pavilion is not None and pavilion.event_id != event.pk:
        raise DomainError(_("This pavilion belongs to another event."), field="pavilion")
    if exhibitor is not None and exhibitor.event_id != event.pk:
        raise DomainError(_("This exhibitor belongs to another event."), field="exhibitor")
    rotation = _rotation(rotation)
    _check_kind(kind)
    open_sides = _check_open_sides(open_sides)
    if status not in Stand.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    x, y, width, depth = (
        _geometry(n, v) for n, v in (("x", x), ("y", y), ("width", width), ("depth", depth))
    )
    _check_size(width, depth)
    with transaction.atomic():
        hall = _lock_hall(hall)
        if Stand.objects.filter(event=event, number=number).exists():
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": number}, field="number"
            )
        shape = g.Stand(id=number, hall_id=hall.code, x=x, y=y, width=width, depth=depth, rotation=rotation)
        _check_placement(hall, shape, what=_("Stand"))
        settings_ = plan_settings(event)
        stand = Stand(
            event=event,
            hall=hall,
            number=number,
            x=x,
            y=y,
            width=width,
            depth=depth,
            rotation=rotation,
            area=round(width * depth, 2),
            kind=kind,
            pavilion=pavilion,
            status=status,
            exhibitor=exhibitor,
            open_sides=open_sides or 1,
            open_sides_fixed=open_sides is not None,
        )
        _claim_code(event, number, field="number")  # late: the event-wide lock is held the shortest time
        try:
            with transaction.atomic():
                stand.save()
        except IntegrityError:
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": number}, field="number"
            ) from None
        _refresh_stands(hall, [shape.rect], settings_)
        stand.refresh_from_db()
        if record:
            audit.record(
                actor=actor,
                action="stand.created",
                obj=stand,
                event=event,
                x=x,
                y=y,
                width=width,
                depth=depth,
            )
            bump_plan_version(event)
    return stand


EDITABLE = {
    "number",
    "hall",
    "x",
    "y",
    "width",
    "depth",
    "rotation",
    "kind",
    "open_sides",
    "pavilion",
    "status",
}
GEOMETRY = ("hall", "x", "y", "width", "depth", "rotation")
_TRACKED = (
    "number",
    "hall",
    "x",
    "y",
    "width",
    "depth",
    "rotation",
    "kind",
    "status",
    "open_sides",
    "open_sides_fixed",
    "pavilion",
    "price",
)


def _snapshot(stand: Stand) -> dict[str, Any]:
    """The audited state of a stand, JSON-ready."""
    values = {k: getattr(stand, k) for k in _TRACKED if k not in ("hall", "pavilion", "price")}
    values["hall"] = stand.hall.code
    values["pavilion"] = stand.pavilion.name if stand.pavilion_id else None
    values["price"] = str(stand.price)
    return values


def update_stand(*, stand: Stand, actor: Any, version: int | None = None, **changes: Any) -> Stand:
    """Move, resize or edit a stand. ``version`` (from the editor) turns a concurrent edit into a 409.

    Open sides and prices of the stand and of its old and new neighbours are re-derived. The plan
    version (and so the walking matrix) moves only when the geometry or the stand number changes.
    """
    unknown = set(changes) - EDITABLE
    if unknown:
        raise DomainError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    event = stand.event
    if version is not None:
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise DomainError(_("The version must be a whole number."), field="version") from None
    for name in ("x", "y", "width", "depth"):
        if changes.get(name) is not None:
            changes[name] = _geometry(name, changes[name])
    if "rotation" in changes:
        changes["rotation"] = _rotation(changes["rotation"])
    if "kind" in changes:
        _check_kind(changes["kind"])
    if "status" in changes and changes["status"] not in Stand.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if "open_sides" in changes:
        changes["open_sides"] = _check_open_sides(changes["open_sides"])
    if "number" in changes:
        changes["number"] = _stand_number(changes["number"])
    new_hall_in = changes.get("hall")
    if new_hall_in is not None and new_hall_in.event_id != event.pk:
        raise DomainError(_("This hall belongs to another event."), field="hall")
    pavilion = changes.get("pavilion")
    if pavilion is not None and pavilion.event_id != event.pk:
        raise DomainError(_("This pavilion belongs to another event."), field="pavilion")
    with transaction.atomic():
        locked = _lock_halls(stand.hall, *([new_hall_in] if new_hall_in is not None else []))
        current = (
            Stand.objects.select_for_update(of=("self",))
            .select_related("hall", "pavilion")
            .filter(pk=stand.pk)
            .first()
        )
        if current is None:
            raise ConflictError(_("Stand %(n)s no longer exists. Reload the plan.") % {"n": stand.number})
        if current.hall_id not in locked:  # moved to another hall meanwhile: lock that one too
            locked.update(_lock_halls(current.hall))
        if version is not None and version != current.version:
            raise ConflictError(
                _("Stand %(n)s was changed by someone else meanwhile. Reload the plan.")
                % {"n": current.number}
            )
        old_hall = locked[current.hall_id]
        new_hall = locked[new_hall_in.pk] if new_hall_in is not None else old_hall
        before = _snapshot(current)
        old_rect = g_stand(current).rect
        for name in ("x", "y", "width", "depth"):
            if changes.get(name) is not None:
                setattr(current, name, changes[name])
        _check_size(current.width, current.depth)
        if "rotation" in changes:
            current.rotation = changes["rotation"]
        if "number" in changes and changes["number"] != current.number:
            if Stand.objects.filter(event=event, number=changes["number"]).exclude(pk=current.pk).exists():
                raise DomainError(
                    _("Stand number %(n)s is already used at this event.") % {"n": changes["number"]},
                    field="number",
                )
            _claim_code(event, changes["number"], field="number", stand=current.pk)
            current.number = changes["number"]
        if "kind" in changes:
            current.kind = changes["kind"]
        if "status" in changes:
            current.status = changes["status"]
            if current.status != Stand.Status.HELD:
                current.held_until = None
        if "pavilion" in changes:
            current.pavilion = changes["pavilion"]
        if "open_sides" in changes:
            current.open_sides_fixed = changes["open_sides"] is not None
            if changes["open_sides"] is not None:
                current.open_sides = changes["open_sides"]
        current.hall = new_hall
        current.area = round(current.width * current.depth, 2)
        shape = g_stand(current)
        _check_placement(new_hall, shape, exclude_stands=[current.pk], what=_("Stand"))
        if _snapshot(current) == before:
            return current  # nothing to do: the editor's version stays valid
        current.version += 1
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": current.number}, field="number"
            ) from None
        settings_ = plan_settings(event)
        _refresh_stands(old_hall, [old_rect], settings_)
        _refresh_stands(new_hall, [shape.rect], settings_)
        current.refresh_from_db()
        after = _snapshot(current)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit.record(actor=actor, action="stand.changed", obj=current, event=event, changes=diff)
        if any(k in diff for k in (*GEOMETRY, "number")):
            bump_plan_version(event)
    return current


def _is_booked(stand: Stand) -> bool:
    """Sold, reserved, held (live hold) or allocated to an exhibitor: not to be cut up or removed."""
    return (
        bool(stand.exhibitor_id)
        or stand.status in (Stand.Status.RESERVED, Stand.Status.SOLD)
        or (stand.status == Stand.Status.HELD and stand.is_taken)
    )


def delete_stand(*, stand: Stand, actor: Any) -> None:
    with transaction.atomic():
        hall = _lock_hall(stand.hall)
        current = Stand.objects.select_for_update().select_related("hall").get(pk=stand.pk)
        if _is_booked(current):
            raise ConflictError(
                _("Stand %(n)s is booked: vacate it before deleting it.") % {"n": current.number}
            )
        rect = g_stand(current).rect
        audit.record(
            actor=actor, action="stand.deleted", obj=current, event=current.event, number=current.number
        )
        current.delete()
        _refresh_stands(hall, [rect], plan_settings(stand.event))
        bump_plan_version(stand.event)


def split_stand(
    *, stand: Stand, actor: Any, parts: int, axis: str = "x", numbers: list[str] | None = None
) -> list[Stand]:
    """Split a free stand into ``parts`` equal stands along ``axis`` (x: side by side)."""
    if parts < 2 or parts > 20:
        raise DomainError(_("Split into 2 to 20 parts."), field="parts")
    if axis not in ("x", "y"):
        raise DomainError(_("Choose the direction of the split."), field="axis")
    numbers = [str(n).strip().upper() for n in (numbers or []) if str(n).strip()] or [
        f"{stand.number}-{i + 1}" for i in range(parts)
    ]
    if len(numbers) != parts or len(set(numbers)) != parts:
        raise DomainError(_("Give one distinct number per part."), field="numbers")
    for n in numbers:
        try:
            _stand_number(n)
        except DomainError as exc:
            raise DomainError(exc.message, field="numbers") from None
    with transaction.atomic():
        hall = _lock_hall(stand.hall)
        current = Stand.objects.select_for_update().select_related("hall").get(pk=stand.pk)
        if _is_booked(current):
            raise ConflictError(
                _("Stand %(n)s is booked: only a free stand can be split.") % {"n": current.number}
            )
        rect = g_stand(current).rect
        try:
            pieces = g.split_rect(rect, parts, axis)
        except (g.GeometryError, ValueError) as exc:
            raise DomainError(str(exc), field="parts") from None
        if any(p.width < 1 or p.depth < 1 for p in pieces):
            raise DomainError(_("Each part must be at least 1 m wide and deep."), field="parts")
        if any(abs(v - _snap(v)) > 1e-6 for p in pieces for v in (p.x, p.y, p.width, p.depth)):
            raise DomainError(
                _("Stand %(n)s cannot be cut into %(k)s equal parts on the 0.5 m grid.")
                % {"n": current.number, "k": parts},
                field="parts",
            )
        clash = (
            Stand.objects.filter(event=current.event, number__in=numbers)
            .exclude(pk=current.pk)
            .values_list("number", flat=True)
            .first()
        )
        if clash:
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": clash}, field="numbers"
            )
        for n in numbers:
            _claim_code(current.event, n, field="numbers", stand=current.pk)
        base = {
            "kind": current.kind,
            "pavilion": current.pavilion,
            "status": Stand.Status.BLOCKED
            if current.status == Stand.Status.BLOCKED
            else Stand.Status.AVAILABLE,
        }
        current.delete()
        created = [
            create_stand(
                event=stand.event,
                actor=actor,
                hall=hall,
                number=n,
                x=p.x,
                y=p.y,
                width=p.width,
                depth=p.depth,
                record=False,
                **base,
            )
            for n, p in zip(numbers, pieces, strict=True)
        ]
        audit.record(
            actor=actor,
            action="stand.split",
            obj=created[0],
            event=stand.event,
            source=stand.number,
            into=numbers,
        )
        bump_plan_version(stand.event)
    # Each part re-derived its earlier siblings as it was placed: return them as stored now.
    return list(
        Stand.objects.filter(pk__in=[s.pk for s in created])
        .select_related("hall", "pavilion", "exhibitor")
        .order_by("pk")
    )


def merge_stands(*, stands: list[Stand], actor: Any, number: str | None = None) -> Stand:
    """Merge two adjacent free stands that together form a rectangle."""
    if len(stands) != 2:
        raise DomainError(_("Choose exactly two stands to merge."), field="stands")
    a, b = sorted(stands, key=lambda s: s.pk)
    if a.hall_id != b.hall_id:
        raise DomainError(_("Stands in different halls cannot be merged."), field="stands")
    with transaction.atomic():
        hall = _lock_hall(a.hall)
        locked = list(
            Stand.objects.select_for_update()
            .select_related("hall")
            .filter(pk__in=[a.pk, b.pk])
            .order_by("pk")
        )
        if len(locked) != 2:
            raise ConflictError(_("One of the stands no longer exists."))
        if any(_is_booked(s) for s in locked):
            raise ConflictError(_("Only free stands can be merged."))
        try:
            rect = g.merge_rects(g_stand(locked[0]).rect, g_stand(locked[1]).rect)
        except g.GeometryError as exc:
            raise DomainError(str(exc), field="stands") from None
        number = _stand_number(number or locked[0].number)
        if Stand.objects.filter(event=a.event, number=number).exclude(pk__in=[s.pk for s in locked]).exists():
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": number}, field="number"
            )
        status = (
            Stand.Status.BLOCKED
            if all(s.status == Stand.Status.BLOCKED for s in locked)
            else Stand.Status.AVAILABLE
        )
        base = {"kind": locked[0].kind, "pavilion": locked[0].pavilion, "status": status}
        old_numbers = [s.number for s in locked]
        for s in locked:
            s.delete()
        merged = create_stand(
            event=a.event,
            actor=actor,
            hall=hall,
            number=number,
            x=rect.x,
            y=rect.y,
            width=rect.width,
            depth=rect.depth,
            record=False,
            **base,
        )
        audit.record(actor=actor, action="stand.merged", obj=merged, event=a.event, sources=old_numbers)
        bump_plan_version(a.event)
    return merged


# --- features ---------------------------------------------------------------------------


def create_feature(
    *,
    event: Event,
    actor: Any,
    hall: Hall,
    code: str,
    kind: str,
    x: float,
    y: float,
    width: float,
    depth: float,
    name: str = "",
) -> Feature:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    if kind not in Feature.Kind.values:
        raise DomainError(_("Choose a valid kind."), field="kind")
    if hall.event_id != event.pk:
        raise DomainError(_("This hall belongs to another event."), field="hall")
    with transaction.atomic():
        hall = _lock_hall(hall)
        if Feature.objects.filter(event=event, code=code).exists():
            raise DomainError(_("Code %(c)s is already used.") % {"c": code}, field="code")
        _claim_code(event, code, field="code")
        shape = g.Feature(
            id=code,
            hall_id=hall.code,
            x=_geometry("x", x),
            y=_geometry("y", y),
            width=max(_geometry("width", width), 0.5),
            depth=max(_geometry("depth", depth), 0.5),
            kind=kind,
        )
        _check_placement(hall, shape, what=_("Feature"))
        feature = Feature.objects.create(
            event=event,
            hall=hall,
            code=code,
            kind=kind,
            name=name,
            x=shape.x,
            y=shape.y,
            width=shape.width,
            depth=shape.depth,
        )
        audit.record(actor=actor, action="feature.created", obj=feature, event=event)
        bump_plan_version(event)
    return feature


def update_feature(*, feature: Feature, actor: Any, **changes: Any) -> Feature:
    if "kind" in changes and changes["kind"] not in Feature.Kind.values:
        raise DomainError(_("Choose a valid kind."), field="kind")
    if changes.get("hall") is not None and changes["hall"].pk != feature.hall_id:
        raise DomainError(
            _("A feature cannot move to another hall; delete it and create it there."), field="hall"
        )
    if changes.get("code") is not None and str(changes["code"]).strip().upper() != feature.code:
        raise DomainError(_("The code of a feature cannot change."), field="code")
    for name in ("x", "y", "width", "depth"):
        if changes.get(name) is not None:
            changes[name] = _geometry(name, changes[name])
            if name in ("width", "depth"):
                changes[name] = max(changes[name], 0.5)
    with transaction.atomic():
        hall = _lock_hall(feature.hall)
        current = Feature.objects.select_for_update().select_related("hall").get(pk=feature.pk)
        for name in ("x", "y", "width", "depth"):
            if changes.get(name) is not None:
                setattr(current, name, changes[name])
        for name in ("name", "kind"):
            if name in changes:
                setattr(current, name, changes[name])
        _check_placement(hall, g_feature(current), exclude_features=[current.pk], what=_("Feature"))
        current.save()
        audit.record(
            actor=actor,
            action="feature.changed",
            obj=current,
            event=current.event,
            changes={k: str(v) for k, v in changes.items()},
        )
        bump_plan_version(current.event)
    return current


def delete_feature(*, feature: Feature, actor: Any) -> None:
    with transaction.atomic():
        _lock_hall(feature.hall)
        audit.record(actor=actor, action="feature.deleted", obj=feature, event=feature.event)
        feature.delete()
        bump_plan_version(feature.event)


# --- CSV import / export ---------------------------------------------------------------------

CSV_COLUMNS = [
    "number",
    "hall",
    "x",
    "y",
    "width",
    "depth",
    "rotation",
    "type",
    "open_sides",
    "status",
    "pavilion",
    "exhibitor",
    "area",
    "price",
]
REQUIRED_COLUMNS = ("number", "hall", "x", "y", "width", "depth")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


ImportFailed = csvio.ImportFailed


def export_stands_csv(event: Event) -> str:
    stands = (
        Stand.objects.filter(event=event)
        .select_related("hall", "pavilion", "exhibitor")
        .order_by("hall__position", "number")
    )
    return csvio.write_csv(
        CSV_COLUMNS,
        (
            [
                s.number,
                s.hall.code,
                s.x,
                s.y,
                s.width,
                s.depth,
                s.rotation,
                s.kind,
                s.open_sides if s.open_sides_fixed else "",
                s.status,
                s.pavilion.name if s.pavilion else "",
                s.exhibitor.name if s.exhibitor else "",
                s.area,
                s.price,
            ]
            for s in stands
        ),
    )


def import_stands_csv(*, event: Event, actor: Any, data: bytes | str) -> ImportReport:
    """Create or update stands from CSV (columns as exported). All or nothing: any bad row
    and nothing is written; the errors name their row numbers (the header is row 1).

    New stands are available or blocked; an existing stand keeps its commercial status when the
    file repeats it (so that an export imports back unchanged)."""
    rows = csvio.read_csv(data, columns=CSV_COLUMNS, required=REQUIRED_COLUMNS)
    halls = {h.code.upper(): h for h in Hall.objects.filter(event=event)}
    pavilions = {p.name.lower(): p for p in Pavilion.objects.filter(event=event)}
    wanted = {(row.get("number") or "").strip().upper() for _i, row in rows}
    existing = {
        s.number: s
        for s in Stand.objects.filter(event=event, number__in=wanted).select_related("hall", "pavilion")
    }
    report = ImportReport()
    errors: list[tuple[int, str]] = []
    parsed = []
    seen: set[str] = set()
    for i, row in rows:
        try:
            number = _stand_number(row.get("number"))
            if number in seen:
                raise DomainError(_("stand %(n)s appears twice in the file") % {"n": number})
            seen.add(number)
            hall = halls.get((row.get("hall") or "").strip().upper())
            if hall is None:
                raise DomainError(_("unknown hall %(h)r") % {"h": row.get("hall")})
            nums = {}
            for col in ("x", "y", "width", "depth"):
                value = (row.get(col) or "").strip().replace(",", ".")
                try:
                    nums[col] = _number(value)
                except DomainError:
                    raise DomainError(
                        _("%(c)s is not a number: %(v)r") % {"c": col, "v": row.get(col)}
                    ) from None
            kind = (row.get("type") or "").strip().lower() or Stand.Kind.SHELL
            if kind not in Stand.Kind.values:
                raise DomainError(_("type must be shell or raw, not %(v)r") % {"v": kind})
            status = (row.get("status") or "").strip().lower() or Stand.Status.AVAILABLE
            current = existing.get(number)
            if not (current is not None and current.status == status) and status not in (
                Stand.Status.AVAILABLE,
                Stand.Status.BLOCKED,
            ):
                raise DomainError(_("status on import is available or blocked, not %(v)r") % {"v": status})
            sides = (row.get("open_sides") or "").strip()
            pav_name = (row.get("pavilion") or "").strip()
            pavilion = pavilions.get(pav_name.lower()) if pav_name else None
            if pav_name and pavilion is None:
                raise DomainError(_("unknown pavilion %(p)r") % {"p": pav_name})
            rotation = (row.get("rotation") or "").strip() or "0"
            if rotation not in ("0", "90"):
                raise DomainError(_("rotation is 0 or 90, not %(v)r") % {"v": rotation})
            if sides and sides not in ("1", "2", "3", "4"):
                raise DomainError(_("open_sides is empty or 1 to 4, not %(v)r") % {"v": sides})
            parsed.append(
                (
                    i,
                    dict(
                        number=number,
                        hall=hall,
                        rotation=int(rotation),
                        kind=kind,
                        status=status,
                        open_sides=int(sides) if sides else None,
                        pavilion=pavilion,
                        **nums,
                    ),
                )
            )
        except DomainError as exc:
            errors.append((i, exc.message))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        for i, p in parsed:
            try:
                with transaction.atomic():
                    if p["number"] in existing:
                        changes = {k: v for k, v in p.items() if k != "number"}
                        if changes["status"] == existing[p["number"]].status:
                            del changes["status"]
                        update_stand(stand=existing[p["number"]], actor=actor, **changes)
                        report.updated += 1
                    else:
                        create_stand(event=event, actor=actor, record=False, **p)
                        report.created += 1
            except DomainError as exc:
                errors.append((i, exc.message))
        if errors:
            raise ImportFailed(errors)
        audit.record(
            actor=actor,
            action="stands.imported",
            obj=event,
            event=event,
            created=report.created,
            updated=report.updated,
            numbers=[p["number"] for _i, p in parsed],
        )
        if report.created:
            bump_plan_version(event)
    return report


# --- pavilions, settings ------------------------------------------------------------------------


def create_pavilion(
    *,
    event: Event,
    actor: Any,
    name: str,
    country: str = "",
    colour: str = "#0ea5e9",
    contact_name: str = "",
    contact_email: str = "",
) -> Pavilion:
    if not HEX_COLOUR.match(colour or ""):
        raise DomainError(_("Enter a colour as #rrggbb, e.g. #0ea5e9."), field="colour")
    if Pavilion.objects.filter(event=event, name__iexact=name.strip()).exists():
        raise DomainError(_("A pavilion with this name exists."), field="name")
    with transaction.atomic():
        pavilion = Pavilion.objects.create(
            event=event,
            name=name.strip(),
            country=country,
            colour=colour,
            contact_name=contact_name,
            contact_email=contact_email,
        )
        audit.record(actor=actor, action="pavilion.created", obj=pavilion, event=event)
    return pavilion


def create_door(
    *,
    event: Event,
    actor: Any,
    code: str,
    hall_a: Hall,
    hall_b: Hall | None,
    x: float,
    y: float,
    width: float = 2.0,
    name: str = "",
) -> Door:
    code = codes.normalise(code)
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    gdoor = g.Door(id=code, hall_a=hall_a.code, hall_b=hall_b.code if hall_b else None, x=x, y=y, width=width)
    for hall in filter(None, [hall_a, hall_b]):
        if not g.door_walls(gdoor, g_hall(hall)):
            raise DomainError(
                _("Door %(d)s is not on a wall of %(h)s.") % {"d": code, "h": hall.name}, field="x"
            )
    with transaction.atomic():
        _claim_code(event, code, field="code")
        door = Door.objects.create(
            event=event, code=code, name=name, hall_a=hall_a, hall_b=hall_b, x=x, y=y, width=width
        )
        audit.record(actor=actor, action="door.created", obj=door, event=event)
        bump_plan_version(event)
    return door


def stands_touching(hall: Hall, rect: g.Rect) -> list[Stand]:
    return _neighbourhood(hall, rect, margin=0.05)[0]


def reprice_event(*, event: Event) -> int:
    """Recompute open sides and prices of every stand (after a change of rates)."""
    settings_ = plan_settings(event)
    total = 0
    for hall in Hall.objects.filter(event=event):
        stands = list(Stand.objects.filter(hall=hall).select_related("hall"))
        shapes = {s.pk: g_stand(s) for s in stands}
        gh = g_hall(hall)
        index = _grid_index(shapes)
        changed = []
        for s in stands:
            around = [shapes[o] for o in index.near(shapes[s.pk].rect) if o != s.pk]
            sides = s.open_sides if s.open_sides_fixed else max(1, g.open_sides(shapes[s.pk], around, gh))
            price = price_for(area=s.area, kind=s.kind, open_sides=sides, settings_=settings_)
            if (sides, price) != (s.open_sides, s.price):
                s.open_sides, s.price = sides, price
                changed.append(s)
        Stand.objects.bulk_update(changed, ["open_sides", "price"], batch_size=500)
        total += len(changed)
    return total


class _GridIndex:
    def __init__(self, shapes: dict[int, g.Stand], cell: float = 20.0):
        self.cell = cell
        self.cells: dict[tuple[int, int], list[int]] = {}
        for pk, shape in shapes.items():
            for key in self._keys(shape.rect):
                self.cells.setdefault(key, []).append(pk)

    def _keys(self, r: g.Rect):
        c = self.cell
        for i in range(int((r.x - 0.1) // c), int((r.x1 + 0.1) // c) + 1):
            for j in range(int((r.y - 0.1) // c), int((r.y1 + 0.1) // c) + 1):
                yield (i, j)

    def near(self, rect: g.Rect) -> set[int]:
        out: set[int] = set()
        for key in self._keys(rect):
            out.update(self.cells.get(key, ()))
        return out


def _grid_index(shapes: dict[int, g.Stand]) -> _GridIndex:
    return _GridIndex(shapes)
