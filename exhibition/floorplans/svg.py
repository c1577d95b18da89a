"""Server-side SVG for the floor plan: a hall with its stands, features and doors; the site map
of all halls (optionally with a walking route); a small stacked bar chart for the dashboard.

Built as strings (not template loops) so a hall of 400 stands renders in a few milliseconds.
Fills are written as attributes, so the same markup is a standalone file for the download.
Coordinates are metres, y pointing down the screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _html_escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from exhibition.core import formats
from exhibition.core.colours import safe_colour
from exhibition.core.patterns import pattern_def

from .geometry import fmt
from .models import Door, Feature, Stand

SVG_NS = "http://www.w3.org/2000/svg"

STATUS_COLOURS = {
    Stand.Status.AVAILABLE: "#86efac",
    Stand.Status.HELD: "#fcd34d",
    Stand.Status.RESERVED: "#93c5fd",
    Stand.Status.SOLD: "#f87171",
    Stand.Status.BLOCKED: "#9ca3af",
}
NEUTRAL = "#e5e7eb"  # a free stand when colouring by sector or pavilion
FEATURE_COLOURS = {
    Feature.Kind.COLUMN: "#475569",
    Feature.Kind.SERVICE: "#cbd5e1",
    Feature.Kind.LOUNGE: "#c4b5fd",
    Feature.Kind.MEETING_ROOM: "#a5b4fc",
    Feature.Kind.THEATRE: "#f0abfc",
    Feature.Kind.RESTAURANT: "#fdba74",
    Feature.Kind.TOILETS: "#99f6e4",
}
COLOUR_MODES = ("status", "sector", "pavilion")


def escape(value: Any) -> str:
    """HTML/XML escaping without Django's lazy-string wrapper (hot loop: hundreds of stands)."""
    return _html_escape(str(value), quote=True)


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str
    pattern: str = ""  # the texture drawn over the colour, so that colour is never the only cue (WCAG 1.4.1)


# Textures laid over a stand's colour (exhibition.core.patterns): the plan reads without telling colours apart.
STATUS_PATTERNS = {
    Stand.Status.AVAILABLE: "",
    Stand.Status.HELD: "diag",
    Stand.Status.RESERVED: "dots",
    Stand.Status.SOLD: "cross",
    Stand.Status.BLOCKED: "horiz",
}
# Sectors and pavilions take these in the legend's order (plain for "none"; the cycle repeats past
# seven, where the colour and the stand's text alternative still tell them apart).
PATTERN_CYCLE = ("diag", "dots", "vert", "cross", "horiz", "back", "grid")


@lru_cache(maxsize=256)
def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (#rrggbb)."""
    try:
        r, g, b = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    except (ValueError, IndexError):
        return "#111827"
    return "#111827" if (0.299 * r + 0.587 * g + 0.114 * b) > 140 else "#ffffff"


def footprint(stand: Stand) -> tuple[float, float]:
    return (stand.depth, stand.width) if stand.rotation == 90 else (stand.width, stand.depth)


def first_sector(stand: Stand):
    """The exhibitor's first sector (uses the prefetched, name-ordered sectors)."""
    exhibitor = stand.exhibitor
    if exhibitor is None:
        return None
    cached = getattr(exhibitor, "_prefetched_objects_cache", {}).get("sectors")
    sectors = list(cached) if cached is not None else list(exhibitor.sectors.all())
    return sectors[0] if sectors else None


def stand_fill(stand: Stand, mode: str) -> str:
    """The stand's colour: always a #rrggbb value (a pavilion's or sector's colour is typed by people)."""
    if mode == "status":
        return STATUS_COLOURS.get(stand.effective_status, NEUTRAL)
    if mode == "pavilion":
        return (
            safe_colour(stand.pavilion.colour, NEUTRAL) if stand.pavilion_id and stand.pavilion else NEUTRAL
        )
    sector = first_sector(stand)
    return safe_colour(sector.colour, NEUTRAL) if sector is not None else NEUTRAL


def _group(stand: Stand, mode: str) -> tuple[str, str, str] | None:
    """(key, colour, label) of the sector or pavilion that colours ``stand``, or None."""
    if mode == "pavilion":
        if stand.pavilion_id and stand.pavilion is not None:
            return (
                f"p{stand.pavilion_id}",
                safe_colour(stand.pavilion.colour, NEUTRAL),
                stand.pavilion.label,
            )
        return None
    sector = first_sector(stand)
    return (
        (f"s{sector.code}", safe_colour(sector.colour, NEUTRAL), sector.name) if sector is not None else None
    )


def _group_patterns(stands: Iterable[Stand], mode: str) -> tuple[dict[str, str], list[LegendItem]]:
    """Each sector's (or pavilion's) texture, assigned in the legend's order, and the legend."""
    groups: dict[str, tuple[str, str]] = {}
    for stand in stands:
        g = _group(stand, mode)
        if g is not None:
            groups.setdefault(g[0], (g[1], g[2]))
    ordered = sorted(groups.items(), key=lambda kv: (kv[1][1].lower(), kv[0]))
    patterns = {key: PATTERN_CYCLE[i % len(PATTERN_CYCLE)] for i, (key, _v) in enumerate(ordered)}
    items = [LegendItem(colour, label, patterns[key]) for key, (colour, label) in ordered]
    return patterns, items


def stand_pattern(stand: Stand, mode: str, patterns: dict[str, str]) -> str:
    if mode == "status":
        return STATUS_PATTERNS.get(stand.effective_status, "")
    g = _group(stand, mode)
    return patterns.get(g[0], "") if g is not None else ""


def legend(stands: Sequence[Stand], mode: str) -> list[LegendItem]:
    """What the colours and textures of ``mode`` mean on these stands (no query: uses the loaded rows)."""
    if mode == "status":
        return [
            LegendItem(STATUS_COLOURS[value], label, STATUS_PATTERNS[value])
            for value, label in Stand.Status.choices
        ]
    out = _group_patterns(stands, mode)[1]
    out.append(
        LegendItem(NEUTRAL, _("No pavilion") if mode == "pavilion" else _("No exhibitor or no sector"))
    )
    return out


def short_number(number: str, hall_code: str) -> str:
    prefix = f"{hall_code}-"
    return (
        number[len(prefix) :]
        if number.upper().startswith(prefix.upper()) and len(number) > len(prefix)
        else number
    )


def _label_size(label: str, w: float, d: float) -> float:
    return round(max(0.3, min(d * 0.38, w / (max(len(label), 2) * 0.62), 1.6)), 2)


def _a(**attrs: Any) -> str:
    return "".join(
        f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v is not None
    )


def hall_svg(
    hall,
    stands: Iterable[Stand],
    features: Iterable[Feature],
    doors: Iterable[Door],
    *,
    mode: str = "sector",
    hits: Iterable[str] = (),
    stand_url: Callable[[str], str] | None = None,
    move_url: Callable[[str], str] | None = None,
    show_status: bool = False,
    standalone: bool = False,
    svg_id: str = "plan-svg",
) -> SafeString:
    """One hall, in hall coordinates. ``stand_url(number)`` makes each stand a link;
    ``move_url(number)`` (organisers) makes it draggable by plan.js."""
    hits = set(hits)
    stands = list(stands)
    W, D = hall.width, hall.depth
    # role="group", not "img": the stands inside are links and keep their own names
    title = ngettext(
        "Floor plan: %(hall)s, %(n)s stand", "Floor plan: %(hall)s, %(n)s stands", len(stands)
    ) % {"hall": hall.name, "n": len(stands)}
    out: list[str] = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.append(
        f'<svg xmlns="{SVG_NS}"{_a(id=None if standalone else svg_id, class_="plan-svg")} '
        f'viewBox="-2 -2 {fmt(W + 4)} {fmt(D + 4)}" data-width="{fmt(W)}" data-depth="{fmt(D)}" '
        f'data-hall="{escape(hall.code)}"'
        + (
            f' width="{fmt((W + 4) * 10)}" height="{fmt((D + 4) * 10)}"'
            if standalone
            else ' preserveAspectRatio="xMidYMid meet"'
        )
        + (' data-editable="1"' if move_url else "")
        + f' role="group" aria-label="{escape(title)}" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title>"
        f'<rect class="floor" x="0" y="0" width="{fmt(W)}" height="{fmt(D)}" fill="#f8fafc" stroke="#334155" stroke-width="0.3"/>'
    )
    # Features
    out.append('<g class="features">')
    for f in features:
        fill = FEATURE_COLOURS.get(f.kind, "#cbd5e1")
        label = f.name or f.get_kind_display()
        out.append(
            f'<g class="feature feature-{escape(f.kind)}" data-code="{escape(f.code)}">'
            f'<rect x="{fmt(f.x)}" y="{fmt(f.y)}" width="{fmt(f.width)}" height="{fmt(f.depth)}" fill="{escape(fill)}" stroke="#64748b" stroke-width="0.1"/>'
            f"<title>{escape(label)} ({escape(f.code)})</title>"
        )
        if f.kind != Feature.Kind.COLUMN and min(f.width, f.depth) >= 2:
            size = _label_size(label, f.width, f.depth)
            out.append(
                f'<text x="{fmt(f.x + f.width / 2)}" y="{fmt(f.y + f.depth / 2)}" font-size="{size}" '
                f'text-anchor="middle" dominant-baseline="central" fill="#1e293b" pointer-events="none">{escape(label)}</text>'
            )
        out.append("</g>")
    out.append("</g>")
    # Stands: the colour, and a texture over it so that colour is never the only cue
    stands = list(stands)
    patterns = _group_patterns(stands, mode)[0] if mode != "status" else {}
    pid = f"{svg_id}-pattern" if not standalone else "pattern"
    used = sorted({stand_pattern(s, mode, patterns) for s in stands} - {""})
    if used:
        out.append("<defs>" + "".join(pattern_def(f"{pid}-{name}", name, 0.8) for name in used) + "</defs>")
    out.append('<g class="stands">')
    free = _("Free")
    status_labels = {value: str(label) for value, label in Stand.Status.choices}
    for s in stands:
        w, d = footprint(s)
        fill = stand_fill(s, mode)
        texture = stand_pattern(s, mode, patterns)
        label = short_number(s.number, hall.code)
        size = _label_size(label, w, d)
        number = escape(s.number)
        name = s.exhibitor.name if s.exhibitor_id and s.exhibitor else free
        status = s.effective_status
        cls = f"stand st-{status}" if show_status else "stand"
        hit = s.number in hits
        if hit:
            cls += " hit"
        desc = f"{number} · {escape(name)}"
        if show_status:
            desc += f" · {escape(status_labels[status])}"
        url = stand_url(s.number) if stand_url else None
        sx, sy, fw, fd = fmt(s.x), fmt(s.y), fmt(w), fmt(d)
        data = f' data-number="{number}" data-x="{sx}" data-y="{sy}" data-w="{fw}" data-d="{fd}"'
        if move_url:
            data += f' data-version="{s.version}" data-move="{escape(move_url(s.number))}"'
        if url:
            out.append(
                f'<a href="{escape(url)}" class="stand-link" aria-label="{desc}"'
                + (' aria-current="true"' if hit else "")
                + ">"
            )
        out.append(
            f'<g class="{cls}"{data}>'
            f'<rect x="{sx}" y="{sy}" width="{fw}" height="{fd}" fill="{escape(fill)}" '
            f'stroke="{"#dc2626" if hit else "#334155"}" stroke-width="{"0.5" if hit else "0.12"}"/>'
            + (
                f'<rect class="texture" x="{sx}" y="{sy}" width="{fw}" height="{fd}" fill="url(#{pid}-{texture})" '
                f'pointer-events="none" data-pattern="{texture}"/>'
                if texture
                else ""
            )
            + f'<text x="{fmt(s.x + w / 2)}" y="{fmt(s.y + d / 2)}" font-size="{size}" text-anchor="middle" '
            f'dominant-baseline="central" fill="{escape(text_colour(fill))}" pointer-events="none">{escape(label)}</text>'
            f"<title>{desc}</title></g>"
        )
        if url:
            out.append("</a>")
    out.append("</g>")
    # Doors and entrances (site coordinates -> hall coordinates)
    out.append('<g class="doors">')
    for door in doors:
        x, y = door.x - hall.origin_x, door.y - hall.origin_y
        entrance = door.hall_b_id is None
        colour = "#059669" if entrance else "#7c3aed"
        other = ""
        if not entrance:
            other_hall = door.hall_b if door.hall_a_id == hall.pk else door.hall_a
            other = " → " + other_hall.name
        r = max(door.width / 2, 1.0)
        out.append(
            f'<g class="door{" entrance" if entrance else ""}" data-code="{escape(door.code)}">'
            f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" fill="{escape(colour)}" stroke="#fff" stroke-width="0.2"/>'
            f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="{fmt(r * 1.1)}" text-anchor="middle" dominant-baseline="central" '
            f'fill="#fff" pointer-events="none">{"E" if entrance else "D"}</text>'
            f"<title>{escape(door_label(door))}{escape(other)}</title></g>"
        )
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def door_label(door: Door) -> str:
    """A door's name as its tooltip reads it: the kind before the name or code ("Door D-4-5A",
    "Entrance North"), unless the name already says it ("Door Hall 4 – Hall 5A" and "Hall 5A
    entrance" stay as they are, never "Door Door Hall 4 – Hall 5A")."""
    entrance = door.hall_b_id is None
    kind = str(_("Entrance") if entrance else _("Door"))
    name = door.label  # in the reader's language: the French name on French pages, if any
    words = {kind, "Entrance" if entrance else "Door"}  # the show's names may be typed in English
    if door.display_name and any(
        re.search(rf"(?<!\w){re.escape(w)}(?!\w)", name, re.IGNORECASE) for w in words
    ):
        return name
    return f"{kind} {name}"


def doors_of_hall(doors: Iterable[Door], hall) -> list[Door]:
    return [d for d in doors if d.hall_a_id == hall.pk or d.hall_b_id == hall.pk]


def site_bounds(halls: Sequence) -> tuple[float, float, float, float]:
    if not halls:
        return (0.0, 0.0, 100.0, 100.0)
    x0 = min(h.origin_x for h in halls)
    y0 = min(h.origin_y for h in halls)
    x1 = max(h.origin_x + h.width for h in halls)
    y1 = max(h.origin_y + h.depth for h in halls)
    return (x0, y0, x1 - x0, y1 - y0)


def site_svg(
    halls: Sequence,
    *,
    stands: Iterable[Stand] = (),
    doors: Iterable[Door] = (),
    hall_url: Callable[[Any], str] | None = None,
    status_colours: bool = False,
    route: Any = None,
    route_labels: tuple[str, str] = ("", ""),
    svg_id: str = "site-svg",
) -> SafeString:
    """All halls at their origins, each a link to its plan; stands as small rectangles (by
    status for organisers); optionally a walking route as a polyline with start/end markers."""
    x0, y0, w, d = site_bounds(halls)
    pad = max(w, d) * 0.02
    halls_by_pk = {h.pk: h for h in halls}
    title = _("Site map")
    out = [
        (
            f'<svg xmlns="{SVG_NS}" id="{escape(svg_id)}" class="site-svg" viewBox="{fmt(x0 - pad)} {fmt(y0 - pad)} '
            f'{fmt(w + 2 * pad)} {fmt(d + 2 * pad)}" role="group" aria-label="{escape(title)}" font-family="system-ui, sans-serif">'
            f"<title>{escape(title)}</title>"
        )
    ]
    for h in halls:
        url = hall_url(h) if hall_url else None
        if url:
            out.append(f'<a href="{escape(url)}" class="hall-link"{_a(aria_label=h.name)}>')
        out.append(
            f'<g class="hall" data-code="{escape(h.code)}"><rect x="{fmt(h.origin_x)}" y="{fmt(h.origin_y)}" '
            f'width="{fmt(h.width)}" height="{fmt(h.depth)}" fill="#f1f5f9" stroke="#334155" stroke-width="{fmt(pad * 0.15)}"/>'
            f"<title>{escape(h.name)}</title></g>"
        )
        if url:
            out.append("</a>")
    out.append('<g class="site-stands" pointer-events="none">')
    for s in stands:
        hall = halls_by_pk.get(s.hall_id)
        if hall is None:
            continue
        sw, sd = footprint(s)
        fill = STATUS_COLOURS.get(s.effective_status, NEUTRAL) if status_colours else "#cbd5e1"
        out.append(
            f'<rect x="{fmt(hall.origin_x + s.x)}" y="{fmt(hall.origin_y + s.y)}" width="{fmt(sw)}" height="{fmt(sd)}" fill="{escape(fill)}"/>'
        )
    out.append("</g>")
    for h in halls:  # labels on top of the stands
        size = fmt(max(min(h.width, h.depth) * 0.12, pad))
        out.append(
            f'<text x="{fmt(h.origin_x + h.width / 2)}" y="{fmt(h.origin_y + h.depth / 2)}" font-size="{size}" '
            f'text-anchor="middle" dominant-baseline="central" fill="#0f172a" fill-opacity="0.55" font-weight="700" '
            f'pointer-events="none">{escape(h.code)}</text>'
        )
    for door in doors:
        colour = "#059669" if door.hall_b_id is None else "#7c3aed"
        out.append(
            f'<circle class="door" cx="{fmt(door.x)}" cy="{fmt(door.y)}" r="{fmt(max(door.width / 2, pad * 0.3))}" '
            f'fill="{escape(colour)}"><title>{escape(door.label)}</title></circle>'
        )
    out.append(route_overlay(route, route_labels, pad))
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def site_pad(halls: Sequence) -> float:
    _x0, _y0, w, d = site_bounds(halls)
    return max(w, d) * 0.02


def route_overlay(route: Any, route_labels: tuple[str, str], pad: float) -> str:
    """The walking route drawn on a site map: a polyline with its start and end (escaped)."""
    if route is None or not route.points:
        return ""
    pts = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in route.points)
    r = fmt(pad * 0.6)
    (sx, sy), (ex, ey) = route.points[0], route.points[-1]
    return (
        f'<g class="route"><polyline class="route-line" points="{pts}" fill="none" stroke="#dc2626" '
        f'stroke-width="{fmt(pad * 0.35)}" stroke-linejoin="round" stroke-linecap="round"/>'
        f'<circle class="route-start" cx="{fmt(sx)}" cy="{fmt(sy)}" r="{r}" fill="#0f172a" stroke="#fff" stroke-width="{fmt(pad * 0.1)}">'
        f"<title>{escape(_('Start'))}: {escape(route_labels[0])}</title></circle>"
        f'<circle class="route-end" cx="{fmt(ex)}" cy="{fmt(ey)}" r="{r}" fill="#dc2626" stroke="#fff" stroke-width="{fmt(pad * 0.1)}">'
        f"<title>{escape(_('Destination'))}: {escape(route_labels[1])}</title></circle></g>"
    )


BUCKETS = ("available", "held", "reserved", "sold", "blocked")


def bucket_labels() -> dict[str, str]:
    return {value: str(label) for value, label in Stand.Status.choices}


def bar_chart(
    stats: dict[str, Any], *, key: str = "area_m2", unit: str = "m²", width: int = 320
) -> SafeString:
    """One stacked horizontal bar of m² (or stands) per status, with its legend as text."""
    values = stats[key]
    total = sum(float(values[b] or 0) for b in BUCKETS) or 1.0
    labels = bucket_labels()
    parts, x = [], 0.0
    desc = ", ".join(f"{labels[b]} {fmt(float(values[b] or 0))} {unit}" for b in BUCKETS)
    for b in BUCKETS:
        v = float(values[b] or 0)
        if v <= 0:
            continue
        w = width * v / total
        parts.append(
            f'<rect x="{fmt(x)}" y="0" width="{fmt(w)}" height="18" fill="{escape(STATUS_COLOURS[b])}">'
            f"<title>{escape(labels[b])}{escape(pgettext('after a label', ':'))} {escape(formats.number(v))} "
            f"{escape(unit)} ({escape(formats.percent(round(100 * v / total)))})</title></rect>"
        )
        x += w
    return mark_safe(  # noqa: S308 - escaped
        f'<svg xmlns="{SVG_NS}" class="bar-chart" viewBox="0 0 {width} 18" width="100%" height="18" '
        f'preserveAspectRatio="none" role="img" aria-label="{escape(desc)}">'
        f'<rect x="0" y="0" width="{width}" height="18" fill="#f1f5f9"/>' + "".join(parts) + "</svg>"
    )
