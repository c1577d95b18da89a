"""Colours that people type (sectors, pavilions) and that end up in SVG attributes and CSS."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

validate_colour = RegexValidator(HEX_COLOUR, _("Enter a colour as #rrggbb, e.g. #0ea5e9."), code="invalid_colour")


def safe_colour(value: Any, default: str = "#e5e7eb") -> str:
    """``value`` if it is a #rrggbb colour, else ``default``: never anything else in a fill or a style."""
    text = str(value or "")
    return text if HEX_COLOUR.match(text) else default
