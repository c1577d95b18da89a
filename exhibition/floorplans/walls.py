"""Where a door sits on a hall's outline, as the organiser's form says it: a wall of the hall as
drawn on its plan (top, bottom, left, right) and the metres along it from its top or left corner.
The model keeps the door's centre in site coordinates (``geometry.Door``); these functions convert
both ways and measure how much of a door's opening lies on a wall. No database."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import geometry as g

TOL = 1e-3

# The plan is drawn with y downwards: the geometry's "south" (y = origin) is the top wall.
WALLS = {
    "top": _("Top wall"),
    "bottom": _("Bottom wall"),
    "left": _("Left wall"),
    "right": _("Right wall"),
}
_FROM_GEOMETRY = {"south": "top", "north": "bottom", "west": "left", "east": "right"}


def wall_length(hall: g.Hall, wall: str) -> float:
    return hall.width if wall in ("top", "bottom") else hall.depth


def door_point(hall: g.Hall, wall: str, offset: float) -> tuple[float, float]:
    """The site point ``offset`` metres along ``wall`` (from the top or left corner)."""
    r = hall.site_rect
    return {
        "top": (r.x + offset, r.y),
        "bottom": (r.x + offset, r.y1),
        "left": (r.x, r.y + offset),
        "right": (r.x1, r.y + offset),
    }[wall]


def walls_at(hall: g.Hall, x: float, y: float) -> list[str]:
    """The walls of ``hall`` the site point lies on (two at a corner, none off the outline)."""
    door = g.Door(id="?", hall_a=hall.id, hall_b=None, x=x, y=y)
    return [_FROM_GEOMETRY[w] for w in g.door_walls(door, hall)]


def offset_on(hall: g.Hall, wall: str, x: float, y: float) -> float:
    r = hall.site_rect
    return x - r.x if wall in ("top", "bottom") else y - r.y


def door_place(hall: g.Hall, x: float, y: float) -> tuple[str, float] | None:
    """(wall, metres along it) of a site point on the hall's outline, or None."""
    walls = walls_at(hall, x, y)
    if not walls:
        return None
    return walls[0], round(offset_on(hall, walls[0], x, y), 3)


def opening_on(hall: g.Hall, x: float, y: float, width: float) -> float:
    """How many metres of a door's opening (``width`` centred on the point) lie on a wall of the
    hall: ``width`` when it fits, less when it runs past a corner, 0 off the outline."""
    best = 0.0
    for wall in walls_at(hall, x, y):
        centre, length = offset_on(hall, wall, x, y), wall_length(hall, wall)
        best = max(best, min(centre + width / 2, length) - max(centre - width / 2, 0.0))
    return max(best, 0.0)


def touching_wall(hall: g.Hall, other: g.Hall) -> str | None:
    """The wall of ``hall`` (top, bottom, left, right) along which ``other`` touches it on the
    site plan, or None when the two halls share no stretch of wall."""
    a, b = hall.site_rect, other.site_rect
    x_shared = min(a.x1, b.x1) - max(a.x, b.x) > TOL
    y_shared = min(a.y1, b.y1) - max(a.y, b.y) > TOL
    for wall, touches in (
        ("top", x_shared and abs(b.y1 - a.y) <= TOL),
        ("bottom", x_shared and abs(b.y - a.y1) <= TOL),
        ("left", y_shared and abs(b.x1 - a.x) <= TOL),
        ("right", y_shared and abs(b.x - a.x1) <= TOL),
    ):
        if touches:
            return wall
    return None
