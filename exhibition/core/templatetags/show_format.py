"""Template filters for figures: ``{% load show_format %}{{ amount|money:event.currency }}``."""

from __future__ import annotations

from django import template

from exhibition.core import formats

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    return formats.money(value, currency)


@register.filter
def percent(value) -> str:
    return formats.percent(value)


@register.filter
def number(value, places=None) -> str:
    return formats.number(value, None if places in (None, "") else int(places))


@register.filter
def when(value, style: str = "datetime") -> str:
    """``{{ meeting.start|when }}`` "5 Dec 2026, 14:02"; styles: date, datetime, time, day ("Tue 18 Nov"),
    daytime, longday ("Tuesday 18 November 2025"), longdaytime, month, short."""
    return formats.when(value, style or "datetime")
