"""Stand numbers, feature codes and door codes name the places of one event's walking graph
(routes, the walking matrix, delegation start points): they share one namespace per event.

A clash is a field error where the code is typed (form, API, CSV import, admin); the services
take the event's plan-settings row lock before they check, so two editors in different halls
cannot claim the same code at once. :func:`unique_places` keeps the graph working on data that
predates the rule (a clashing feature or door is left out of it, and logged)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

# models.py imports this module (its clean() checks codes): the models are read at call time
from . import models

logger = logging.getLogger(__name__)


def normalise(code: Any) -> str:
    return str(code or "").strip().upper()


_FIT = re.compile(r"(?=.*[A-Z0-9])[A-Z0-9._-]+")  # "." or ".." alone would be a path step


def unfit_message(code: str, *, stand: bool) -> str | None:
    """Why ``code`` (normalised) cannot name a place, or None: it goes into URLs and route searches,
    so letters A-Z, digits, "-", "." and "_" only, no spaces."""
    if _FIT.fullmatch(code):
        return None
    if stand:
        return _(
            "A stand number uses only letters A-Z, digits, hyphens (-), dots (.) and underscores (_), "
            "without spaces: for example 5A-G120."
        )
    return _(
        "A code uses only letters A-Z, digits, hyphens (-), dots (.) and underscores (_), without "
        "spaces: for example ENTRANCE-NORTH."
    )


def owner_of(
    event_id: int, code: str, *, stand: int | None = None, feature: int | None = None, door: int | None = None
) -> str | None:
    """What already uses ``code`` at the event ("stand", "feature", "door"), other than the object
    being edited (its primary key given by kind); None when the code is free."""
    code = normalise(code)
    for kind, model, field, own in (
        ("stand", models.Stand, "number", stand),
        ("feature", models.Feature, "code", feature),
        ("door", models.Door, "code", door),
    ):
        qs = model.objects.filter(event_id=event_id, **{f"{field}__iexact": code})
        if own is not None:
            qs = qs.exclude(pk=own)
        if qs.exists():
            return kind
    return None


def clash_message(code: str, kind: str) -> str:
    what = {"stand": _("a stand number"), "feature": _("a feature code"), "door": _("a door code")}[kind]
    return _(
        "%(code)s is already %(what)s at this event: stand numbers, feature and door codes must all "
        "be different."
    ) % {"code": normalise(code), "what": what}


def unique_places(stands: Iterable, features: Iterable, doors: Iterable) -> tuple[list, list, list]:
    """Walking-graph shapes with one owner per id: stands first, then features, then doors. A later
    duplicate (only possible in data from before the rule) is dropped with a warning, so that one
    bad code breaks no route but its own."""
    seen: set[str] = set()
    out: list[list] = []
    for kind, items in (("stand", stands), ("feature", features), ("door", doors)):
        kept = []
        for item in items:
            key = normalise(item.id)
            if key in seen:
                logger.warning(
                    "walking graph: %s %s left out, its code is used by another place", kind, item.id
                )
                continue
            seen.add(key)
            kept.append(item)
        out.append(kept)
    return out[0], out[1], out[2]
