"""Numbers, money and percentages as the reader's language writes them (pages, PDFs, e-mails,
exports): "66,528.00 EUR" in English, "66 528,00 EUR" in French; "20 %", never "2E+1 %"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats


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
