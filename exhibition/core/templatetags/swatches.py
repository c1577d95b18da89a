"""``{% swatch colour %}``: a small colour square as inline SVG (its colour a ``fill`` attribute,
not a ``style``: the Content-Security-Policy allows no inline styles)."""

from __future__ import annotations

import itertools

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from exhibition.core.colours import safe_colour
from exhibition.core.patterns import PATTERN_TILES, pattern_def

register = template.Library()


_ids = itertools.count(1)


@register.simple_tag
def swatch(colour, css_class: str = "swatch", pattern: str = ""):
    """``pattern``: one of the plan's textures (``core.patterns``), drawn as on the plan."""
    if pattern not in PATTERN_TILES:
        return format_html(
            '<svg class="{}" viewBox="0 0 1 1" aria-hidden="true" focusable="false"><rect width="1" height="1" fill="{}"/></svg>',
            css_class,
            safe_colour(colour),
        )
    pid = (
        f"swatch-{pattern}-{next(_ids)}"  # unique within the page: several legends may show the same texture
    )
    return format_html(
        '<svg class="{}" viewBox="0 0 1 1" aria-hidden="true" focusable="false"><defs>{}</defs>'
        '<rect width="1" height="1" fill="{}"/><rect width="1" height="1" fill="url(#{})"/></svg>',
        css_class,
        mark_safe(pattern_def(pid, pattern, 0.34)),  # noqa: S308 -- constant tiles, the id escaped in pattern_def
        safe_colour(colour),
        pid,  # built from constants
    )
