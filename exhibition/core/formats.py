"""Numbers, money and percentages as the reader's language writes them (pages, PDFs, e-mails,
exports): "66,528.00 EUR" in English, "66 528,00 EUR" in French; "20 %", never "2E+1 %"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _


def _decimal(value) -> Decimal | None:
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def number(value, places: int | None = None) -> str:
    """A grouped, localised number; ``places`` None keeps the significant decimals only."""
    d = _decimal(value)
    if d is None:
        return ""
    if places is None:
        places = max(-d.normalize().as_tuple().exponent, 0)
    return formats.number_format(d, decimal_pos=places, use_l10n=True, force_grouping=True)


def money(value, currency: str = "") -> str:
    text = number(value, 2)
    return f"{text} {currency}".strip() if text else ""


def percent(value) -> str:
    text = number(value)
    return f"{text} %" if text else ""


# --- dates and times ----------------------------------------------------------------------------
# One way to write a moment per language, in the show's local time (the event middleware activates
# its time zone; e-mails pass through ``|timezone:event.time_zone`` first): "5 Dec 2026, 14:02" in
# English, "5 déc. 2026, 14:02" in French; a 24-hour clock, never "2:02 p.m." beside "2025-06-02".
# Django's own DATE_FORMAT/DATETIME_FORMAT say the same (exhibition/core/locale_formats/), so a bare
# ``|date`` or a printed datetime agrees with these.
DATE_STYLES: dict[str, dict[str, str]] = {
    "en": {
        "date": "j M Y",
        "datetime": "j M Y, H:i",
        "time": "H:i",
        "day": "D j M",
        "daytime": "D j M H:i",
        "longday": "l j F Y",
        "longdaytime": "l j F Y, H:i",
        "month": "F Y",
        "short": "d/m/Y",
    },
    "fr": {
        "date": "j N Y",
        "datetime": "j N Y, H:i",
        "time": "H:i",
        "day": "D j N",
        "daytime": "D j N H:i",
        "longday": "l j F Y",
        "longdaytime": "l j F Y, H:i",
        "month": "F Y",
        "short": "d/m/Y",
    },
}


def date_format_for(style: str = "datetime", language: str | None = None) -> str:
    lang = (language or translation.get_language() or "en").split("-")[0]
    styles = DATE_STYLES.get(lang, DATE_STYLES["en"])
    if style not in styles:
        raise ValueError(f"unknown date style {style!r}: one of {', '.join(styles)}")
    return styles[style]


def when(value, style: str = "datetime", tz=None) -> str:
    """A date, datetime or time as the reader's language writes it. An aware datetime is shown in
    ``tz`` if given, else in the current time zone (the show's on its pages), unless it already went
    through the ``timezone`` template filter."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, tz) if tz is not None else timezone.template_localtime(value)
    fmt = date_format_for(style)
    if isinstance(value, dt.time):
        return dateformat.time_format(value, fmt)
    if (
        not isinstance(value, dt.datetime)
        and isinstance(value, dt.date)
        and style in ("datetime", "daytime", "longdaytime")  # a day has no time of day
    ):
        fmt = date_format_for({"datetime": "date", "daytime": "day", "longdaytime": "longday"}[style])
    return dateformat.format(value, fmt)


def zone_words(zone: str) -> str:
    """A time zone as people say it: "Europe/Paris" -> "Paris time" / "heure de Paris"."""
    city = (zone or "").rsplit("/", 1)[-1].replace("_", " ")
    if not city or city.upper() == "UTC":
        return "UTC"
    return _("%(city)s time") % {"city": city}
