"""Plain geometry for trade-show floor plans: no Django, no database.

Units are metres. The site is one plane; a hall is an axis-aligned rectangle
placed on it at ``(origin_x, origin_y)`` so that halls can stand side by side.
Stands and features are given in *hall* coordinates (``x`` along the hall's
width, ``y`` along its depth, ``(0, 0)`` at the hall's origin corner); doors
are given in *site* coordinates, because a door between two halls belongs to
both. ``Hall.to_site`` converts.

A stand's ``rotation`` is 0 or 90 degrees; at 90 its footprint swaps width and
depth about its ``(x, y)`` corner. Everything else here works on footprints
(``Rect``), which ``footprint()`` gives for any of the dataclasses.

Validation helpers return lists of plain messages ("stand 5A-G120 overlaps
5A-G122") for the caller to turn into form errors or ``DomainError``\\ s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

EPS = 1e-6
"""Tolerance, in metres, for "the same coordinate" (touching edges, walls)."""

SIDES = ("south", "east", "north", "west")
"""Side names, in the order ``open_side_names`` reports them (south is y = y0)."""

STAND_TYPES = {0: "enclosed", 1: "inline", 2: "corner", 3: "peninsula", 4: "island"}
"""Name of a stand by its number of open sides."""


class GeometryError(ValueError):
    """Impossible geometry: a bad dimension, rectangles that cannot be merged..."""


def fmt(value: float) -> str:
    """A number as people write it on a floor plan: ``312``, ``12.5``, ``-0.25``."""
    text = f"{round(value, 3):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True, slots=True)
class Rect:
    """An axis-aligned rectangle: lower-left corner ``(x, y)``, ``width`` along x, ``depth`` along y."""

    x: float
    y: float
    width: float
    depth: float

    def __post_init__(self) -> None:
        if not (self.width > 0 and self.depth > 0):
            raise GeometryError(
                f"a rectangle needs a positive width and depth, not {fmt(self.width)} x {fmt(self.depth)}"
            )

    @property
    def x1(self) -> float:
        return self.x + self.width

    @property
    def y1(self) -> float:
        return self.y + self.depth

    @property
    def area(self) -> float:
        return self.width * self.depth

    @property
    def center(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.depth / 2)

    def translated(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.depth)

    def inflated(self, margin: float) -> Rect:
        return Rect(self.x - margin, self.y - margin, self.width + 2 * margin, self.depth + 2 * margin)

    def contains_point(self, x: float, y: float, *, strict: bool = False) -> bool:
        """Whether ``(x, y)`` lies in the rectangle (closed), or in its interior with ``strict``."""
        if strict:
            return self.x + EPS < x < self.x1 - EPS and self.y + EPS < y < self.y1 - EPS
        return self.x - EPS <= x <= self.x1 + EPS and self.y - EPS <= y <= self.y1 + EPS

    def contains_rect(self, other: Rect) -> bool:
        return (
            other.x >= self.x - EPS
            and other.y >= self.y - EPS
            and other.x1 <= self.x1 + EPS
            and other.y1 <= self.y1 + EPS
        )


@dataclass(frozen=True, slots=True)
class Hall:
    """A hall: a ``width`` x ``depth`` rectangle whose origin corner is at ``(origin_x, origin_y)`` on the site."""

    id: str
    name: str
    width: float
    depth: float
    origin_x: float = 0.0
    origin_y: float = 0.0

    def __post_init__(self) -> None:
        if not (self.width > 0 and self.depth > 0):
            raise GeometryError(f"hall {self.id} needs a positive width and depth")

    @property
    def rect(self) -> Rect:
        """The hall's floor in its own coordinates."""
        return Rect(0.0, 0.0, self.width, self.depth)

    @property
    def site_rect(self) -> Rect:
        """The hall's floor in site coordinates."""
        return Rect(self.origin_x, self.origin_y, self.width, self.depth)

    def to_site(self, x: float, y: float) -> tuple[float, float]:
        return (self.origin_x + x, self.origin_y + y)


@dataclass(frozen=True, slots=True)
class Stand:
    """A stand, in its hall's coordinates; ``rotation`` 90 swaps width and depth about ``(x, y)``."""

    id: str
    hall_id: str
    x: float
    y: float
    width: float
    depth: float
    rotation: int = 0

    def __post_init__(self) -> None:
        if self.rotation not in (0, 90):
            raise GeometryError(f"stand {self.id}: rotation must be 0 or 90, not {self.rotation}")
        if not (self.width > 0 and self.depth > 0):
            raise GeometryError(f"stand {self.id} needs a positive width and depth")

    @property
    def rect(self) -> Rect:
        if self.rotation == 90:
            return Rect(self.x, self.y, self.depth, self.width)
        return Rect(self.x, self.y, self.width, self.depth)

    @property
    def area(self) -> float:
        return self.width * self.depth


@dataclass(frozen=True, slots=True)
class Feature:
    """A fixed feature of a hall (column, restaurant, meeting room, lounge...), in hall coordinates.

    ``is_place``: it can be a route's start or end (a meeting room, a restaurant).
    ``blocks``: walkers go around it (true for nearly everything; false for, say, a floor marking).
    """

    id: str
    hall_id: str
    x: float
    y: float
    width: float
    depth: float
    kind: str = "column"
    is_place: bool = False
    blocks: bool = True

    def __post_init__(self) -> None:
        if not (self.width > 0 and self.depth > 0):
            raise GeometryError(f"{self.kind} {self.id} needs a positive width and depth")

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.width, self.depth)


@dataclass(frozen=True, slots=True)
class Door:
    """A door on a hall wall, in *site* coordinates: between ``hall_a`` and ``hall_b``, or an entrance
    from outside when ``hall_b`` is None. ``width`` is the clear opening, along the wall."""

    id: str
    hall_a: str
    hall_b: str | None
    x: float
    y: float
    width: float = 2.0
    halls: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.hall_b == self.hall_a:
            raise GeometryError(f"door {self.id} joins hall {self.hall_a} to itself")
        halls = (self.hall_a,) if self.hall_b is None else (self.hall_a, self.hall_b)
        object.__setattr__(self, "halls", halls)

    @property
    def is_entrance(self) -> bool:
        return self.hall_b is None


Shape = Rect | Hall | Stand | Feature


def footprint(item: Shape) -> Rect:
    """The rectangle of a stand, feature or hall (in its own coordinates), or the rect itself."""
    if isinstance(item, Rect):
        return item
    return item.rect


def rect_area(item: Shape) -> float:
    """Floor area in m2 (a rotated stand has the same area)."""
    return footprint(item).area


def inside_hall(item: Shape, hall: Hall) -> bool:
    """Whether the footprint lies within the hall (touching the walls is inside)."""
    return hall.rect.contains_rect(footprint(item))


def overlaps(a: Shape, b: Shape) -> bool:
    """Whether two footprints share interior area. Touching edges or corners is not an overlap."""
    ra, rb = footprint(a), footprint(b)
    return ra.x < rb.x1 - EPS and rb.x < ra.x1 - EPS and ra.y < rb.y1 - EPS and rb.y < ra.y1 - EPS


def _union_length(intervals: Iterable[tuple[float, float]]) -> float:
    total = 0.0
    end = -math.inf
    for lo, hi in sorted(intervals):
        if hi <= end:
            continue
        total += hi - max(lo, end)
        end = hi
    return total


def side_cover(rect: Rect, neighbours: Iterable[Shape], hall: Hall | None = None) -> dict[str, float]:
    """For each side of ``rect``, the length of it that touches a neighbour or a hall wall."""
    covered: dict[str, list[tuple[float, float]]] = {side: [] for side in SIDES}
    for item in neighbours:
        other = footprint(item)
        if other == rect:  # the stand itself (or an exact duplicate, which validation reports)
            continue
        # Along x (south / north sides): the shared stretch of [x, x1].
        lo, hi = max(rect.x, other.x), min(rect.x1, other.x1)
        if hi - lo > EPS:
            if abs(other.y1 - rect.y) <= EPS:
                covered["south"].append((lo, hi))
            if abs(other.y - rect.y1) <= EPS:
                covered["north"].append((lo, hi))
        lo, hi = max(rect.y, other.y), min(rect.y1, other.y1)
        if hi - lo > EPS:
            if abs(other.x1 - rect.x) <= EPS:
                covered["west"].append((lo, hi))
            if abs(other.x - rect.x1) <= EPS:
                covered["east"].append((lo, hi))
    if hall is not None:
        walls = hall.rect
        if rect.y <= walls.y + EPS:
            covered["south"].append((rect.x, rect.x1))
        if rect.y1 >= walls.y1 - EPS:
            covered["north"].append((rect.x, rect.x1))
        if rect.x <= walls.x + EPS:
            covered["west"].append((rect.y, rect.y1))
        if rect.x1 >= walls.x1 - EPS:
            covered["east"].append((rect.y, rect.y1))
    return {side: _union_length(spans) for side, spans in covered.items()}


def open_side_names(stand: Shape, neighbours: Iterable[Shape], hall: Hall | None = None) -> tuple[str, ...]:
    """The sides of ``stand`` that face free floor, in ``SIDES`` order.

    A side is open when at least half of its length touches neither a neighbouring stand
    (pass the stands of the same hall; the stand itself is skipped) nor, when ``hall`` is
    given, the hall's wall.
    """
    rect = footprint(stand)
    cover = side_cover(rect, (n for n in neighbours if n is not stand), hall)
    lengths = {"south": rect.width, "north": rect.width, "west": rect.depth, "east": rect.depth}
    return tuple(side for side in SIDES if lengths[side] - cover[side] >= lengths[side] / 2 - EPS)


def open_sides(stand: Shape, neighbours: Iterable[Shape], hall: Hall | None = None) -> int:
    """Number of open sides: 1 inline (row), 2 corner, 3 peninsula (head), 4 island."""
    return len(open_side_names(stand, neighbours, hall))


def stand_type(stand: Shape, neighbours: Iterable[Shape], hall: Hall | None = None) -> str:
    """The stand's type by open sides: inline, corner, peninsula, island (or enclosed)."""
    return STAND_TYPES[open_sides(stand, neighbours, hall)]


def snap(value: float, grid: float = 0.5) -> float:
    """Round to the nearest multiple of ``grid`` (halves away from zero, so 0.25 -> 0.5)."""
    if grid <= 0:
        raise GeometryError("the grid step must be positive")
    steps = abs(value) / grid
    snapped = math.floor(steps + 0.5 + 1e-9) * grid
    return math.copysign(snapped, value) if snapped else 0.0


def snap_rect(rect: Rect, grid: float = 0.5) -> Rect:
    """Snap all four edges to the grid (a rect thinner than half a step grows to one step)."""
    x0, y0 = snap(rect.x, grid), snap(rect.y, grid)
    x1, y1 = snap(rect.x1, grid), snap(rect.y1, grid)
    return Rect(x0, y0, max(x1 - x0, grid), max(y1 - y0, grid))


def split_rect(rect: Rect, n: int, axis: str = "x") -> list[Rect]:
    """Cut ``rect`` into ``n`` equal parts side by side along ``axis`` ("x": cuts across the width)."""
    if n < 1:
        raise GeometryError(f"cannot split into {n} parts")
    if axis not in ("x", "y"):
        raise GeometryError(f"axis must be 'x' or 'y', not {axis!r}")
    if axis == "x":
        cuts = [rect.x + rect.width * i / n for i in range(n)] + [rect.x1]
        return [Rect(cuts[i], rect.y, cuts[i + 1] - cuts[i], rect.depth) for i in range(n)]
    cuts = [rect.y + rect.depth * i / n for i in range(n)] + [rect.y1]
    return [Rect(rect.x, cuts[i], rect.width, cuts[i + 1] - cuts[i]) for i in range(n)]


def merge_rects(a: Rect, b: Rect) -> Rect:
    """The rectangle made of two rectangles sharing a whole side; ``GeometryError`` otherwise."""
    close = lambda u, v: abs(u - v) <= EPS  # noqa: E731
    if close(a.y, b.y) and close(a.y1, b.y1) and (close(a.x1, b.x) or close(b.x1, a.x)):
        x0 = min(a.x, b.x)
        return Rect(x0, a.y, max(a.x1, b.x1) - x0, a.depth)
    if close(a.x, b.x) and close(a.x1, b.x1) and (close(a.y1, b.y) or close(b.y1, a.y)):
        y0 = min(a.y, b.y)
        return Rect(a.x, y0, a.width, max(a.y1, b.y1) - y0)
    raise GeometryError(
        f"rectangles at ({fmt(a.x)}, {fmt(a.y)}) {fmt(a.width)}x{fmt(a.depth)} and "
        f"({fmt(b.x)}, {fmt(b.y)}) {fmt(b.width)}x{fmt(b.depth)} do not share a whole side"
    )


def segment_hits_rect(p: tuple[float, float], q: tuple[float, float], rect: Rect) -> bool:
    """Whether the segment ``p``-``q`` passes through the interior of ``rect``.

    Running along an edge or touching a corner is not a hit.
    """
    x0, x1, y0, y1 = rect.x + EPS, rect.x1 - EPS, rect.y + EPS, rect.y1 - EPS
    lo, hi = 0.0, 1.0
    for start, delta, low, high in ((p[0], q[0] - p[0], x0, x1), (p[1], q[1] - p[1], y0, y1)):
        if delta == 0:
            if not (low < start < high):
                return False
            continue
        t0, t1 = (low - start) / delta, (high - start) / delta
        if t0 > t1:
            t0, t1 = t1, t0
        lo, hi = max(lo, t0), min(hi, t1)
        if lo >= hi:
            return False
    return lo < hi


# --------------------------------------------------------------------------- validation


def _label(item: Stand | Feature) -> str:
    return f"stand {item.id}" if isinstance(item, Stand) else f"{item.kind} {item.id}"


def bounds_error(item: Stand | Feature, hall: Hall) -> str | None:
    """A message like ``stand 5A-G120 extends beyond hall 5A (x+width 312 > 300)``, or None when it fits."""
    rect = item.rect
    problems = []
    if rect.x < -EPS:
        problems.append(f"x {fmt(rect.x)} < 0")
    if rect.x1 > hall.width + EPS:
        problems.append(f"x+width {fmt(rect.x1)} > {fmt(hall.width)}")
    if rect.y < -EPS:
        problems.append(f"y {fmt(rect.y)} < 0")
    if rect.y1 > hall.depth + EPS:
        problems.append(f"y+depth {fmt(rect.y1)} > {fmt(hall.depth)}")
    if not problems:
        return None
    return f"{_label(item)} extends beyond hall {hall.id} ({', '.join(problems)})"


def overlap_errors(items: Sequence[Stand | Feature]) -> list[str]:
    """A message like ``stand 5A-G120 overlaps 5A-G122`` for each overlapping pair of one hall (x sweep).

    A stand is named first, then by id; the second is named with its kind when the kinds differ.
    """
    ordered = sorted(items, key=lambda item: (item.rect.x, item.id))
    messages = []
    active: list[Stand | Feature] = []
    for item in ordered:
        rect = item.rect
        active = [other for other in active if other.rect.x1 > rect.x + EPS]
        for other in active:
            if overlaps(rect, other.rect):
                first, second = sorted((item, other), key=lambda i: (not isinstance(i, Stand), i.id))
                name = second.id if _kind(first) == _kind(second) else _label(second)
                messages.append(f"{_label(first)} overlaps {name}")
        active.append(item)
    return sorted(messages)


def _kind(item: Stand | Feature) -> str:
    return "stand" if isinstance(item, Stand) else item.kind


def door_walls(door: Door, hall: Hall) -> list[str]:
    """The walls of ``hall`` the door point lies on ("south", "east", "north", "west")."""
    r = hall.site_rect
    walls = []
    tol = 1e-3
    if r.x - tol <= door.x <= r.x1 + tol:
        if abs(door.y - r.y) <= tol:
            walls.append("south")
        if abs(door.y - r.y1) <= tol:
            walls.append("north")
    if r.y - tol <= door.y <= r.y1 + tol:
        if abs(door.x - r.x1) <= tol:
            walls.append("east")
        if abs(door.x - r.x) <= tol:
            walls.append("west")
    return walls


def validate_plan(
    halls: Sequence[Hall],
    stands: Sequence[Stand] = (),
    features: Sequence[Feature] = (),
    doors: Sequence[Door] = (),
) -> list[str]:
    """Every problem with a floor plan, as sorted, readable messages; empty when it is sound.

    Checks: unique ids (halls; and stands, features and doors together, since they share the
    place namespace), known halls, stands/features inside their hall, no overlaps between
    stands and blocking features, halls not overlapping on the site, doors on a wall of each
    of their halls.
    """
    messages: list[str] = []
    hall_by_id: dict[str, Hall] = {}
    for hall in halls:
        if hall.id in hall_by_id:
            messages.append(f"duplicate hall id {hall.id}")
        hall_by_id[hall.id] = hall
    seen: set[str] = set()
    for item in (*stands, *features, *doors):
        if item.id in seen:
            messages.append(f"duplicate id {item.id}")
        seen.add(item.id)

    by_hall: dict[str, list[Stand | Feature]] = {hall_id: [] for hall_id in hall_by_id}
    for item in (*stands, *features):
        hall = hall_by_id.get(item.hall_id)
        if hall is None:
            messages.append(f"{_label(item)} is in unknown hall {item.hall_id}")
            continue
        error = bounds_error(item, hall)
        if error:
            messages.append(error)
        if isinstance(item, Stand) or item.blocks:
            by_hall[item.hall_id].append(item)
    for items in by_hall.values():
        messages.extend(overlap_errors(items))

    ordered_halls = sorted(hall_by_id.values(), key=lambda h: h.id)
    for i, a in enumerate(ordered_halls):
        messages.extend(
            f"hall {a.id} overlaps hall {b.id}"
            for b in ordered_halls[i + 1 :]
            if overlaps(a.site_rect, b.site_rect)
        )

    for door in doors:
        for hall_id in door.halls:
            hall = hall_by_id.get(hall_id)
            if hall is None:
                messages.append(f"door {door.id} opens into unknown hall {hall_id}")
            elif not door_walls(door, hall):
                messages.append(
                    f"door {door.id} at ({fmt(door.x)}, {fmt(door.y)}) is not on a wall of hall {hall_id}"
                )
    return sorted(messages)
