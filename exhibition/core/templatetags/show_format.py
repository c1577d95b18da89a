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
