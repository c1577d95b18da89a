"""Stands on the plan: create, move and resize, split, merge, delete, and reprice the show."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError
from exhibition.events.models import Event, Hall

from .. import geometry as g
from ..models import Pavilion, Stand
from ..pricing import price_for
from ..shapes import g_hall, g_stand
from .common import (
    bump_plan_version,
    check_kind,
    check_open_sides,
    check_placement,
    check_size,
    claim_code,
    grid_index,
    lock_hall,
    lock_halls,
    parse_geometry,
    parse_rotation,
    parse_stand_number,
    plan_settings,
    refresh_stands,
    snap_to_grid,
)

# --- stands -----------------------------------------------------------------------------------

EDITOR_STATUSES = (Stand.Status.AVAILABLE, Stand.Status.BLOCKED)
"""What an editor may set by hand; held, reserved and sold are the booking app's."""


def create_stand(
    *,
    event: Event,
    actor: User | None,
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
    number = parse_stand_number(number)
    if hall.event_id != event.pk:
        raise DomainError(_("This hall belongs to another event."), field="hall")
    if pavilion is not None and pavilion.event_id != event.pk:
        raise DomainError(_("This pavilion belongs to another event."), field="pavilion")
    if exhibitor is not None and exhibitor.event_id != event.pk:
        raise DomainError(_("This exhibitor belongs to another event."), field="exhibitor")
    rotation = parse_rotation(rotation)
    check_kind(kind)
    open_sides = check_open_sides(open_sides)
    if status not in Stand.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if status not in EDITOR_STATUSES and exhibitor is None:
        raise DomainError(
            _("Held, reserved and sold come from a booking: a new stand is Available or Blocked."),
            field="status",
        )
    x, y, width, depth = (
        parse_geometry(n, v) for n, v in (("x", x), ("y", y), ("width", width), ("depth", depth))
    )
    check_size(width, depth)
    with transaction.atomic():
        hall = lock_hall(hall)
        if Stand.objects.filter(event=event, number=number).exists():
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": number}, field="number"
            )
        shape = g.Stand(id=number, hall_id=hall.code, x=x, y=y, width=width, depth=depth, rotation=rotation)
        check_placement(hall, shape, what=_("Stand"))
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
        claim_code(event, number, field="number")  # late: the event-wide lock is held the shortest time
        try:
            with transaction.atomic():
                stand.save()
        except IntegrityError:
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": number}, field="number"
            ) from None
        refresh_stands(hall, [shape.rect], settings_)
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
    values["pavilion"] = stand.pavilion.name if stand.pavilion is not None else None
    values["price"] = str(stand.price)
    return values


def update_stand(*, stand: Stand, actor: User, version: int | None = None, **changes: Any) -> Stand:
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
            changes[name] = parse_geometry(name, changes[name])
    if "rotation" in changes:
        changes["rotation"] = parse_rotation(changes["rotation"])
    if "kind" in changes:
        check_kind(changes["kind"])
    if "status" in changes and changes["status"] not in Stand.Status.values:
        raise DomainError(_("Choose a valid status."), field="status")
    if "open_sides" in changes:
        changes["open_sides"] = check_open_sides(changes["open_sides"])
    if "number" in changes:
        changes["number"] = parse_stand_number(changes["number"])
    new_hall_in = changes.get("hall")
    if new_hall_in is not None and new_hall_in.event_id != event.pk:
        raise DomainError(_("This hall belongs to another event."), field="hall")
    pavilion = changes.get("pavilion")
    if pavilion is not None and pavilion.event_id != event.pk:
        raise DomainError(_("This pavilion belongs to another event."), field="pavilion")
    with transaction.atomic():
        locked = lock_halls(stand.hall, *([new_hall_in] if new_hall_in is not None else []))
        current = (
            Stand.objects.select_for_update(of=("self",))
            .select_related("hall", "pavilion")
            .filter(pk=stand.pk)
            .first()
        )
        if current is None:
            raise ConflictError(_("Stand %(n)s no longer exists. Reload the plan.") % {"n": stand.number})
        if current.hall_id not in locked:  # moved to another hall meanwhile: lock that one too
            locked.update(lock_halls(current.hall))
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
        check_size(current.width, current.depth)
        if "rotation" in changes:
            current.rotation = changes["rotation"]
        if "number" in changes and changes["number"] != current.number:
            if Stand.objects.filter(event=event, number=changes["number"]).exclude(pk=current.pk).exists():
                raise DomainError(
                    _("Stand number %(n)s is already used at this event.") % {"n": changes["number"]},
                    field="number",
                )
            claim_code(event, changes["number"], field="number", stand=current.pk)
            current.number = changes["number"]
        if "kind" in changes:
            current.kind = changes["kind"]
        if "status" in changes and changes["status"] != current.status:
            _check_status_change(current, changes["status"])
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
        check_placement(new_hall, shape, exclude_stands=[current.pk], what=_("Stand"))
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
        refresh_stands(old_hall, [old_rect], settings_)
        refresh_stands(new_hall, [shape.rect], settings_)
        current.refresh_from_db()
        after = _snapshot(current)
        diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        audit.record(actor=actor, action="stand.changed", obj=current, event=event, changes=diff)
        if any(k in diff for k in (*GEOMETRY, "number")):
            bump_plan_version(event)
    return current


def _check_status_change(stand: Stand, status: str) -> None:
    """By hand a stand goes between Available and Blocked; a booking's status stays the booking's."""
    if stand.status in (Stand.Status.RESERVED, Stand.Status.SOLD) or (
        stand.status == Stand.Status.HELD and stand.is_taken
    ):
        raise DomainError(
            _("Stand %(n)s is booked: its status follows its booking. Change the booking instead.")
            % {"n": stand.number},
            field="status",
        )
    if status not in EDITOR_STATUSES:
        raise DomainError(
            _(
                "Stand %(n)s can only be made Available or Blocked here: held, reserved and sold come from a booking."
            )
            % {"n": stand.number},
            field="status",
        )


def _is_booked(stand: Stand) -> bool:
    """Sold, reserved, held (live hold) or allocated to an exhibitor: not to be cut up or removed."""
    return (
        bool(stand.exhibitor_id)
        or stand.status in (Stand.Status.RESERVED, Stand.Status.SOLD)
        or (stand.status == Stand.Status.HELD and stand.is_taken)
    )


def delete_stand(*, stand: Stand, actor: User) -> None:
    with transaction.atomic():
        hall = lock_hall(stand.hall)
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
        refresh_stands(hall, [rect], plan_settings(stand.event))
        bump_plan_version(stand.event)


def split_stand(
    *, stand: Stand, actor: User, parts: int, axis: str = "x", numbers: list[str] | None = None
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
            parse_stand_number(n)
        except DomainError as exc:
            raise DomainError(exc.message, field="numbers") from None
    with transaction.atomic():
        hall = lock_hall(stand.hall)
        current = Stand.objects.select_for_update().select_related("hall").get(pk=stand.pk)
        if _is_booked(current):
            raise ConflictError(
                _("Stand %(n)s is booked: only a free stand can be split.") % {"n": current.number}
            )
        rect = g_stand(current).rect
        try:
            pieces = g.split_rect(rect, parts, axis)
        except (g.GeometryError, ValueError):
            raise DomainError(
                _("Stand %(n)s cannot be cut into %(k)s parts this way.") % {"n": current.number, "k": parts},
                field="parts",
            ) from None
        if any(p.width < 1 or p.depth < 1 for p in pieces):
            raise DomainError(_("Each part must be at least 1 m wide and deep."), field="parts")
        if any(abs(v - snap_to_grid(v)) > 1e-6 for p in pieces for v in (p.x, p.y, p.width, p.depth)):
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
            claim_code(current.event, n, field="numbers", stand=current.pk)
        status = Stand.Status.BLOCKED if current.status == Stand.Status.BLOCKED else Stand.Status.AVAILABLE
        kind, pavilion = current.kind, current.pavilion
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
                kind=kind,
                pavilion=pavilion,
                status=status,
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


def merge_stands(*, stands: list[Stand], actor: User, number: str | None = None) -> Stand:
    """Merge two adjacent free stands that together form a rectangle."""
    if len(stands) != 2:
        raise DomainError(_("Choose exactly two stands to merge."), field="stands")
    a, b = sorted(stands, key=lambda s: s.pk)
    if a.hall_id != b.hall_id:
        raise DomainError(_("Stands in different halls cannot be merged."), field="stands")
    with transaction.atomic():
        hall = lock_hall(a.hall)
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
        except g.GeometryError:
            raise DomainError(
                _("Stands %(a)s and %(b)s do not form a rectangle: they must share a whole side.")
                % {"a": locked[0].number, "b": locked[1].number},
                field="stands",
            ) from None
        number = parse_stand_number(number or locked[0].number)
        if Stand.objects.filter(event=a.event, number=number).exclude(pk__in=[s.pk for s in locked]).exists():
            raise DomainError(
                _("Stand number %(n)s is already used at this event.") % {"n": number}, field="number"
            )
        status = (
            Stand.Status.BLOCKED
            if all(s.status == Stand.Status.BLOCKED for s in locked)
            else Stand.Status.AVAILABLE
        )
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
            kind=locked[0].kind,
            pavilion=locked[0].pavilion,
            status=status,
        )
        audit.record(actor=actor, action="stand.merged", obj=merged, event=a.event, sources=old_numbers)
        bump_plan_version(a.event)
    return merged


def reprice_event(*, event: Event) -> int:
    """Recompute open sides and prices of every stand (after a change of rates)."""
    settings_ = plan_settings(event)
    total = 0
    for hall in Hall.objects.filter(event=event):
        stands = list(Stand.objects.filter(hall=hall).select_related("hall"))
        shapes = {s.pk: g_stand(s) for s in stands}
        gh = g_hall(hall)
        index = grid_index(shapes)
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
