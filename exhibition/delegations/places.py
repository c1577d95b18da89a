"""The show's places as the delegation programmes see them: where they are, how long the walk
between them takes, and what people call them. Reads only; shared by the services (planning,
checking visits) and the selectors (the programme pages)."""

from __future__ import annotations

from math import hypot

from django.utils.translation import gettext as _

from exhibition.events.models import Event
from exhibition.floorplans.models import Door, Feature, Stand
from exhibition.floorplans.selectors import walking_minutes


def place_coordinates(event: Event, codes: set[str] | None = None) -> dict[str, tuple[float, float]]:
    """Site coordinates (metres) of stands (centre), place features (centre) and doors."""
    out: dict[str, tuple[float, float]] = {}
    stands = Stand.objects.filter(event=event).select_related("hall")
    features = Feature.objects.filter(event=event, kind__in=Feature.PLACE_KINDS).select_related("hall")
    doors = Door.objects.filter(event=event)
    if codes is not None:
        stands, features, doors = (
            stands.filter(number__in=codes),
            features.filter(code__in=codes),
            doors.filter(code__in=codes),
        )
    for s in stands:
        w, d = s.footprint
        out[s.number] = (s.hall.origin_x + s.x + w / 2, s.hall.origin_y + s.y + d / 2)
    for f in features:
        out[f.code] = (f.hall.origin_x + f.x + f.width / 2, f.hall.origin_y + f.y + f.depth / 2)
    for door in doors:
        out[door.code] = (door.x, door.y)
    return out


def travel_table(event: Event, places: list[str]) -> tuple[dict[str, dict[str, float]], str]:
    """Walking minutes between ``places``: the stored matrix when it is fresh and covers them
    all, else straight-line distance at the event's walking speed. Returns (minutes, kind)."""
    places = list(dict.fromkeys(places))
    matrix = walking_minutes(event, places) if places else {}
    if matrix is not None and all(p in matrix for p in places):
        return matrix, "matrix"
    coords = place_coordinates(event, set(places))
    speed = event.walking_speed or 60.0
    out: dict[str, dict[str, float]] = {}
    for a in places:
        ax, ay = coords.get(a, (0.0, 0.0))
        out[a] = {}
        for b in places:
            bx, by = coords.get(b, (0.0, 0.0))
            out[a][b] = round(hypot(ax - bx, ay - by) / speed, 2)
    return out, "euclidean"


def place_names(event: Event, codes) -> dict[str, str]:
    """What people call each place (stands, entrances and doors, lounges and restaurants):
    its name, else words built from its kind and hall; never a bare code (a stand is called
    by its number, as on the show's signs)."""
    codes = {c for c in codes if c}
    out: dict[str, str] = {}
    if not codes:
        return out
    for number, hall in Stand.objects.filter(event=event, number__in=codes).values_list(
        "number", "hall__name"
    ):
        out[number] = _("Stand %(number)s, %(hall)s") % {"number": number, "hall": hall}
    for f in Feature.objects.filter(event=event, code__in=codes).select_related("hall"):
        out[f.code] = f.name or _("%(kind)s, %(hall)s") % {"kind": f.get_kind_display(), "hall": f.hall.name}
    for d in Door.objects.filter(event=event, code__in=codes).select_related("hall_a", "hall_b"):
        if d.display_name:  # in the reader's language: the French name on French pages, if any
            out[d.code] = d.display_name
        elif d.hall_b_id:
            out[d.code] = _("Door between %(a)s and %(b)s") % {"a": d.hall_a.name, "b": d.hall_b.name}
        else:
            out[d.code] = _("%(hall)s entrance") % {"hall": d.hall_a.name}
    out.update({c: c for c in codes - set(out)})  # not a place of the plan (typed by hand): as given
    return out
