"""What the apps above add to a stand's panel on the plan: the floor plan knows stands, not sales,
so booking registers here what a company may do about a stand (the price of a free stand and a
Hold button, or why it cannot hold it), and the panel shows each part below the stand's facts.

A part is a function ``(request, stand) -> str``: HTML it built escaped (a rendered template),
or "" when it has nothing to say to this reader."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .models import Stand

StandPanelPart = Callable[[HttpRequest, Stand], str]
_parts: list[StandPanelPart] = []


def stand_panel_part(func: StandPanelPart) -> StandPanelPart:
    """Apps register (in their ``AppConfig.ready``) what they add to the stand panel."""
    if func not in _parts:
        _parts.append(func)
    return func


def stand_panel_parts(request: HttpRequest, stand: Stand) -> list[SafeString]:
    """The parts of ``stand``'s panel for this reader, in the order the apps registered them."""
    return [mark_safe(html) for part in _parts if (html := part(request, stand))]  # noqa: S308 - rendered templates
