"""Demo show extension: the halls, 1,100+ stands in blocks and aisles, pavilions, features,
doors, stand allocation and the walking matrix."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from exhibition.core.colours import QUALITATIVE
from exhibition.events.models import Hall

from . import geometry as g
from .layout import generate_show_layout
from .matrix import compute_and_store
from .models import Door, Feature, Pavilion, Stand
from .services import plan_settings, price_for

PAVILION_NAMES = {
    "DE": "German Pavilion",
    "FR": "French Pavilion",
    "IT": "Italian Pavilion",
    "ES": "Spanish Pavilion",
    "NL": "Dutch Pavilion",
    "CN": "China Pavilion",
    "JP": "Japan Pavilion",
    "KR": "Korea Pavilion",
    "US": "USA Pavilion",
    "BR": "Brazil Pavilion",
}
# what French pages call them (the English names above identify them)
PAVILION_NAMES_FR = {
    "DE": "Pavillon allemand",
    "FR": "Pavillon français",
    "IT": "Pavillon italien",
    "ES": "Pavillon espagnol",
    "NL": "Pavillon néerlandais",
    "CN": "Pavillon chinois",
    "JP": "Pavillon japonais",
    "KR": "Pavillon coréen",
    "US": "Pavillon des États-Unis",
    "BR": "Pavillon brésilien",
}
PAVILION_COLOURS = QUALITATIVE[:10]  # distinct from each other (exhibition.core.colours)
FEATURE_KINDS = {
    "column": "column",
    "restaurant": "restaurant",
    "meeting_room": "meeting_room",
    "lounge": "lounge",
    "toilets": "toilets",
    "service": "service",
    "theatre": "theatre",
}


def _feature_name(f, halls) -> str:
    """What visitors call a place: "Hall 5A restaurant", "Hall 6 VIP lounge"."""
    words = {
        "restaurant": "restaurant",
        "lounge": "VIP lounge",
        "meeting_room": "meeting room",
        "theatre": "conference theatre",
    }
    kind = words.get(f.kind, f.kind.replace("_", " "))
    if f.kind == "meeting_room":
        kind += " " + f.id.rsplit("MR", 1)[-1]
    return f"{halls[f.hall_id].name} {kind}"


def extend(show) -> None:
    event, rng = show.event, show.rng
    layout = generate_show_layout(seed=2025, n_stands=1120, n_halls=6)
    Hall.objects.filter(event=event).delete()
    halls = {}
    for pos, h in enumerate(layout.halls):
        halls[h.id] = Hall.objects.create(
            event=event,
            code=h.id,
            name=f"Hall {h.id}",
            width=h.width,
            depth=h.depth,
            origin_x=h.origin_x,
            origin_y=h.origin_y,
            position=pos,
        )
    settings_ = plan_settings(event)
    pavilions = {
        key: Pavilion.objects.create(
            event=event,
            name=name,
            name_fr=PAVILION_NAMES_FR[key],
            country=key,
            colour=PAVILION_COLOURS[i],
            contact_name=f"{name} desk",
            contact_email=f"pavilion-{key.lower()}@demo.test",
        )
        for i, (key, name) in enumerate(PAVILION_NAMES.items())
    }
    Feature.objects.bulk_create(
        Feature(
            event=event,
            hall=halls[f.hall_id],
            code=f.id,
            kind=FEATURE_KINDS.get(f.kind, "service"),
            name=_feature_name(f, halls) if f.is_place else "",
            x=f.x,
            y=f.y,
            width=f.width,
            depth=f.depth,
        )
        for f in layout.features
    )
    Door.objects.bulk_create(
        Door(
            event=event,
            code=d.id,
            name=(
                f"{halls[d.hall_a].name} entrance"
                if d.is_entrance
                else f"Door {halls[d.hall_a].name} – {halls[d.hall_b].name}"
            ),
            name_fr=(
                f"Entrée {halls[d.hall_a].name}"
                if d.is_entrance
                else f"Porte {halls[d.hall_a].name} – {halls[d.hall_b].name}"
            ),
            hall_a=halls[d.hall_a],
            hall_b=halls[d.hall_b] if d.hall_b else None,
            x=d.x,
            y=d.y,
            width=d.width,
        )
        for d in layout.doors
    )
    # Open sides from the neighbours, in one pass per hall.
    by_hall = defaultdict(list)
    for s in layout.stands:
        by_hall[s.hall_id].append(s)
    sides: dict[str, int] = {}
    for hall_id, stands in by_hall.items():
        gh = next(h for h in layout.halls if h.id == hall_id)
        for s in stands:
            around = [o for o in stands if o is not s and abs(o.x - s.x) < 60 and abs(o.y - s.y) < 60]
            sides[s.id] = max(1, g.open_sides(s, around, gh))

    # Allocation: pavilion stands to companies of that country, the rest at random.
    companies = list(show.companies)
    by_country = defaultdict(list)
    for c in companies:
        by_country[c.country.code].append(c)
    unassigned = companies[:]
    rng.shuffle(unassigned)
    used: set[int] = set()
    now = timezone.now()
    rows = []
    for s in layout.stands:
        pav_key = layout.pavilions.get(s.id)
        area = round(s.width * s.depth, 2)
        kind = Stand.Kind.RAW if area >= 36 else Stand.Kind.SHELL
        roll = rng.random()
        exhibitor = None
        if roll < 0.86:
            pool = [c for c in by_country.get(pav_key or "", []) if c.pk not in used] if pav_key else []
            while not pool and unassigned:
                cand = unassigned.pop()
                if cand.pk not in used:
                    pool = [cand]
            if pool:
                exhibitor = pool[0]
                used.add(exhibitor.pk)
        if exhibitor is not None:
            status = Stand.Status.SOLD if roll < 0.74 else Stand.Status.RESERVED
        else:
            status = Stand.Status.BLOCKED if roll > 0.985 else Stand.Status.AVAILABLE
        rows.append(
            Stand(
                event=event,
                hall=halls[s.hall_id],
                number=s.id,
                x=s.x,
                y=s.y,
                width=s.width,
                depth=s.depth,
                area=area,
                open_sides=sides[s.id],
                kind=kind,
                status=status,
                exhibitor=exhibitor,
                pavilion=pavilions.get(pav_key) if pav_key else None,
                price=price_for(area=area, kind=kind, open_sides=sides[s.id], settings_=settings_),
            )
        )
    # A few live holds, as the booking flow leaves them: the demo's options last a day (booking's
    # demo sets the hold length), taken over the last hours, so they are still live when one looks.
    free = [r for r in rows if r.status == Stand.Status.AVAILABLE]
    for i, r in enumerate(free[:8]):
        r.status, r.held_until = Stand.Status.HELD, now + timedelta(hours=3 + 2 * i)
    Stand.objects.bulk_create(rows, batch_size=500)
    matrix = compute_and_store(event)
    show.extra["stands"] = len(rows)
    if hasattr(show, "say"):
        show.say(
            f"{len(rows)} stands in {len(halls)} halls, {len(pavilions)} pavilions; walking matrix of "
            f"{len(matrix.places)} places in {matrix.seconds} s"
        )
