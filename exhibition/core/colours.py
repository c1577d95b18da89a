"""Colours that people type (sectors, pavilions) and that end up in SVG attributes and CSS."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

validate_colour = RegexValidator(
    HEX_COLOUR, _("Enter a colour as #rrggbb, e.g. #0ea5e9."), code="invalid_colour"
)


def safe_colour(value: Any, default: str = "#e5e7eb") -> str:
    """``value`` if it is a #rrggbb colour, else ``default``: never anything else in a fill or a style."""
    text = str(value or "")
    return text if HEX_COLOUR.match(text) else default


# A fixed qualitative palette for things told apart by colour (sectors, pavilions): twelve of
# Kenneth Kelly's colours of maximum contrast, in his order (each is far from the ones before it),
# so that the first n of them are as distinct as n colours can be. Text on them: text_on().
QUALITATIVE = [
    "#0067a5",  # strong blue
    "#f38400",  # vivid orange
    "#875692",  # strong purple
    "#008856",  # vivid green
    "#be0032",  # vivid red
    "#f3c300",  # vivid yellow
    "#a1caf1",  # very light blue
    "#882d17",  # strong reddish brown
    "#8db600",  # vivid yellowish green
    "#e68fac",  # strong purplish pink
    "#c2b280",  # greyish yellow
    "#848482",  # medium grey
]


def palette_colour(index: int) -> str:
    """The ``index``-th colour of the qualitative palette (it wraps round after twelve)."""
    return QUALITATIVE[index % len(QUALITATIVE)]
