"""``{% swatch colour %}``: a small colour square as inline SVG (its colour a ``fill`` attribute,
not a ``style``: the Content-Security-Policy allows no inline styles)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from exhibition.core.colours import safe_colour

register = template.Library()


@register.simple_tag
def swatch(colour, css_class: str = "swatch"):
    return format_html(
        '<svg class="{}" viewBox="0 0 1 1" aria-hidden="true" focusable="false"><rect width="1" height="1" fill="{}"/></svg>',
        css_class, safe_colour(colour),
    )
