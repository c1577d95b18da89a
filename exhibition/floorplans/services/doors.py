"""Doors: the entrances of a hall from outside and the doors between two halls. A door sits on
its hall's outline (site coordinates), its whole opening on one wall; a door between two halls
sits where their walls touch on the site plan. Its code names a place of the walking graph (routes,
the walking matrix, delegations' start points): one namespace with stand numbers and feature codes.
Every change bumps the plan version, so that the walking data is computed again."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError
from exhibition.events.models import Event, Hall

from .. import codes, walls
from ..door_uses import uses_of_door
from ..models import Door
from ..shapes import g_hall
from .common import MAX_METRES, bump_plan_version, claim_code, lock_halls, parse_number

MIN_WIDTH = 0.5
MAX_WIDTH = 100.0
_UNSET: Any = object()


def _metres(name: str, value: Any) -> float:
    try:
        number = parse_number(value)
    except DomainError as exc:
        raise DomainError(exc.message, field=name) from None
    if abs(number) > MAX_METRES:
        raise DomainError(_("%(v)s m is out of range.") % {"v": value}, field=name)
    return round(number, 3)


def _code(value: Any) -> str:
    code = codes.normalise(value)
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    if len(code) > 40:
        raise DomainError(_("A code has at most 40 characters."), field="code")
    unfit = codes.unfit_message(code, stand=False)
    if unfit:
        raise DomainError(unfit, field="code")
    return code


def _name(value: Any, field: str = "name") -> str:
    name = str(value or "").strip()
    if len(name) > 100:
        raise DomainError(_("A name has at most 100 characters."), field=field)
    return name


def _width(value: Any) -> float:
    width = _metres("width", value)
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise DomainError(
            _("A door is %(lo)s to %(hi)s m wide.") % {"lo": MIN_WIDTH, "hi": int(MAX_WIDTH)}, field="width"
        )
    return width


def _check_halls(event: Event, hall_a: Hall, hall_b: Hall | None) -> None:
    if hall_a is None or hall_a.event_id != event.pk:
        raise DomainError(_("Choose a hall of this show."), field="hall_a")
    if hall_b is not None and hall_b.event_id != event.pk:
        raise DomainError(_("Choose a hall of this show."), field="hall_b")
    if hall_b is not None and hall_b.pk == hall_a.pk:
        raise DomainError(_("A door leads to another hall, or outside."), field="hall_b")


def _check_place(
    event: Event,
    code: str,
    hall_a: Hall,
    hall_b: Hall | None,
    x: float,
    y: float,
    width: float,
    door: Door | None = None,
) -> None:
    """The door's opening lies on a wall of each of its halls; an entrance on a wall of no other hall."""
    for hall in filter(None, (hall_a, hall_b)):
        gh = g_hall(hall)
        if not walls.walls_at(gh, x, y):
            raise DomainError(_off_wall_message(code, hall_a, hall_b, hall), field="x")
        if walls.opening_on(gh, x, y, width) < width - walls.TOL:
            raise DomainError(
                _("The %(w)s m opening of door %(d)s runs past the end of a wall of %(h)s.")
                % {"w": f"{width:g}", "d": code, "h": hall.name},
                field="width",
            )
    _check_no_overlap(event, code, hall_a, hall_b, x, y, width, door)
    if hall_b is None:
        for other in Hall.objects.filter(event=event).exclude(pk=hall_a.pk).order_by("position", "code"):
            if walls.opening_on(g_hall(other), x, y, width) > walls.TOL:
                raise DomainError(
                    _(
                        "Here the wall of %(h)s touches %(o)s: this is a door to %(o)s, not an entrance "
                        "from outside."
                    )
                    % {"h": hall_a.name, "o": other.name},
                    field="hall_b",
                )


# The wall of the door's hall that the other hall touches, as a whole sentence per wall.
_TOUCHES = {
    "top": _lazy("%(b)s touches the top wall of %(a)s: put the door there."),
    "bottom": _lazy("%(b)s touches the bottom wall of %(a)s: put the door there."),
    "left": _lazy("%(b)s touches the left wall of %(a)s: put the door there."),
    "right": _lazy("%(b)s touches the right wall of %(a)s: put the door there."),
}


def _off_wall_message(code: str, hall_a: Hall, hall_b: Hall | None, off: Hall) -> str:
    """Why the door's point is not on ``off``'s outline, in the words of the page (wall, position)."""
    if hall_b is None or off.pk == hall_a.pk:
        return _("Door %(d)s is not on a wall of %(h)s.") % {"d": code, "h": off.name}
    wall = walls.touching_wall(g_hall(hall_a), g_hall(hall_b))
    names = {"a": hall_a.name, "b": hall_b.name}
    if wall is None:
        return (
            _("%(a)s and %(b)s do not touch on the site plan: a door between them needs a shared wall.")
            % names
        )
    return _TOUCHES[wall] % names


def _check_no_overlap(
    event: Event,
    code: str,
    hall_a: Hall,
    hall_b: Hall | None,
    x: float,
    y: float,
    width: float,
    door: Door | None,
) -> None:
    """Two doors of a hall do not share any of their openings on the same wall."""
    for hall in filter(None, (hall_a, hall_b)):
        others = Door.objects.filter(Q(hall_a=hall) | Q(hall_b=hall), event=event)
        if door is not None:
            others = others.exclude(pk=door.pk)
        gh = g_hall(hall)
        mine = walls.walls_at(gh, x, y)
        for other in others.order_by("code"):
            for wall in walls.walls_at(gh, other.x, other.y):
                if wall not in mine:
                    continue
                gap = abs(walls.offset_on(gh, wall, x, y) - walls.offset_on(gh, wall, other.x, other.y))
                if gap < (width + other.width) / 2 - walls.TOL:
                    raise DomainError(
                        _("Door %(d)s would overlap door %(o)s on this wall.") % {"d": code, "o": other.code},
                        field="x",
                    )


def _refuse_if_used(door: Door, what: str, field: str | None = None) -> None:
    uses = uses_of_door(door)
    if uses:
        raise ConflictError(
            _("%(what)s: %(uses)s.") % {"what": what, "uses": "; ".join(uses)},
            field=field,
            code="door_in_use",
        )


def create_door(
    *,
    event: Event,
    actor: User | None,
    code: str,
    hall_a: Hall,
    hall_b: Hall | None,
    x: float,
    y: float,
    width: float = 2.0,
    name: str = "",
    name_fr: str = "",
) -> Door:
    code = _code(code)
    name, name_fr = _name(name), _name(name_fr, "name_fr")
    _check_halls(event, hall_a, hall_b)
    x, y, width = _metres("x", x), _metres("y", y), _width(width)
    with transaction.atomic():
        lock_halls(*filter(None, (hall_a, hall_b)))
        _check_place(event, code, hall_a, hall_b, x, y, width)
        claim_code(event, code, field="code")
        door = Door.objects.create(
            event=event,
            code=code,
            name=name,
            name_fr=name_fr,
            hall_a=hall_a,
            hall_b=hall_b,
            x=x,
            y=y,
            width=width,
        )
        audit.record(actor=actor, action="door.created", obj=door, event=event)
        bump_plan_version(event)
    return door


def update_door(
    *,
    door: Door,
    actor: User | None,
    code: Any = _UNSET,
    name: Any = _UNSET,
    name_fr: Any = _UNSET,
    hall_a: Any = _UNSET,
    hall_b: Any = _UNSET,
    x: Any = _UNSET,
    y: Any = _UNSET,
    width: Any = _UNSET,
) -> Door:
    """Change what is given (``hall_b=None``: an entrance from outside). A door that the apps above
    use (a delegation's start point) keeps its code and stays an entrance: 409."""
    event = door.event
    new_code = door.code if code is _UNSET else _code(code)
    new_name = door.name if name is _UNSET else _name(name)
    new_name_fr = door.name_fr if name_fr is _UNSET else _name(name_fr, "name_fr")
    new_a = door.hall_a if hall_a is _UNSET else hall_a
    new_b = door.hall_b if hall_b is _UNSET else hall_b
    _check_halls(event, new_a, new_b)
    new_x = door.x if x is _UNSET else _metres("x", x)
    new_y = door.y if y is _UNSET else _metres("y", y)
    new_width = door.width if width is _UNSET else _width(width)
    with transaction.atomic():
        lock_halls(*filter(None, (door.hall_a, door.hall_b, new_a, new_b)))
        current = (
            Door.objects.select_for_update(of=("self",))
            .select_related("hall_a", "hall_b", "event")
            .get(pk=door.pk)
        )
        if new_code != current.code:
            _refuse_if_used(current, _("Door %(d)s keeps its code") % {"d": current.code}, "code")
            claim_code(event, new_code, field="code", door=current.pk)
        if current.hall_b_id is None and new_b is not None:
            _refuse_if_used(
                current, _("Door %(d)s stays an entrance from outside") % {"d": current.code}, "hall_b"
            )
        _check_place(event, new_code, new_a, new_b, new_x, new_y, new_width, current)
        before = {
            "code": current.code,
            "name": current.name,
            "name_fr": current.name_fr,
            "hall_a": current.hall_a.code,
            "hall_b": current.hall_b.code if current.hall_b else "",
            "x": current.x,
            "y": current.y,
            "width": current.width,
        }
        current.code, current.name, current.hall_a, current.hall_b = new_code, new_name, new_a, new_b
        current.name_fr = new_name_fr
        current.x, current.y, current.width = new_x, new_y, new_width
        after = {
            "code": current.code,
            "name": current.name,
            "name_fr": current.name_fr,
            "hall_a": current.hall_a.code,
            "hall_b": current.hall_b.code if current.hall_b else "",
            "x": current.x,
            "y": current.y,
            "width": current.width,
        }
        changes = {k: [str(before[k]), str(v)] for k, v in after.items() if before[k] != v}
        if not changes:
            return current
        current.save()
        audit.record(actor=actor, action="door.changed", obj=current, event=event, changes=changes)
        bump_plan_version(event)
    return current


def delete_door(*, door: Door, actor: User | None) -> None:
    """Remove a door; 409 while the apps above use it (a delegation starts its day there)."""
    event = door.event
    with transaction.atomic():
        lock_halls(*filter(None, (door.hall_a, door.hall_b)))
        _refuse_if_used(door, _("Door %(d)s cannot be removed") % {"d": door.code})
        audit.record(actor=actor, action="door.deleted", obj=door, event=event)
        door.delete()
        bump_plan_version(event)
