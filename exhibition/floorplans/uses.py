"""What the floor plan keeps in a hall: a hall is not made smaller than its stands and features,
nor removed while it has any (exhibition.events.uses)."""

from __future__ import annotations

from django.utils.translation import ngettext

from exhibition.events.models import Hall
from exhibition.events.uses import hall_use

from .models import Feature, Stand


@hall_use
def stands_and_features(hall: Hall, width: float | None, depth: float | None) -> list[str]:
    if hall.pk is None:
        return []
    stands = list(
        Stand.objects.filter(hall=hall).values_list("number", "x", "y", "width", "depth", "rotation")
    )
    features = list(Feature.objects.filter(hall=hall).values_list("code", "x", "y", "width", "depth"))
    if width is None or depth is None:
        words = []
        if stands:
            words.append(ngettext("%(n)d stand", "%(n)d stands", len(stands)) % {"n": len(stands)})
        if features:
            words.append(ngettext("%(n)d feature", "%(n)d features", len(features)) % {"n": len(features)})
        return words
    tolerance = 1e-6
    outside = [
        number
        for number, x, y, w, d, rotation in stands
        if x + (d if rotation == 90 else w) > width + tolerance
        or y + (w if rotation == 90 else d) > depth + tolerance
    ]
    outside += [
        code for code, x, y, w, d in features if x + w > width + tolerance or y + d > depth + tolerance
    ]
    if not outside:
        return []
    shown = ", ".join(sorted(outside)[:5])
    return [
        ngettext("%(n)d stand or feature (%(which)s)", "%(n)d stands or features (%(which)s)", len(outside))
        % {"n": len(outside), "which": shown + (" …" if len(outside) > 5 else "")}
    ]
