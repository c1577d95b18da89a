"""Template filters for figures: ``{% load show_format %}{{ amount|money:event.currency }}``."""

from __future__ import annotations

import re

from django import template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import pgettext
from django_countries import countries

from exhibition.core import formats
from exhibition.core.audit import action_label, change_lines

register = template.Library()


@register.simple_tag
def colon() -> str:
    """``{% translate "Status" %}{% colon %} Open``: the colon after a label, with the non-breaking
    space French typography puts before it ("Statut : Ouvert")."""
    return pgettext("after a label", ":")


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


_CODE = re.compile(r"\w+(?:-\w+)+")


@register.filter
def nobreak(value):
    """``{{ item.place_name|nobreak }}``: the text, escaped, with each hyphenated code in it (stand
    5B-A119, invoice MP27-000287) kept on one line, where a browser would break it after the hyphen.
    Text already marked safe (it holds markup) is left as it is."""
    if isinstance(value, SafeData):
        return value
    text = escape("" if value is None else value)
    return mark_safe(_CODE.sub(lambda m: f'<span class="nowrap">{m.group(0)}</span>', text))  # noqa: S308 (escaped above)


@register.filter
def language_names(value) -> str:
    """``{{ delegation.languages|language_names }}``: "es, en" reads "Spanish, English" ("espagnol,
    anglais" in French); a part that is no language code stays as it was typed ("Arabic")."""
    names = []
    # French writes language names in lower case ("parle espagnol"); Django's names are capitalised
    lower = (translation.get_language() or "").startswith("fr")
    for part in str(value or "").split(","):
        token = part.strip()
        if not token:
            continue
        try:
            name = str(translation.get_language_info(token.lower())["name_translated"])
        except KeyError:
            names.append(token)
            continue
        names.append(name[:1].lower() + name[1:] if lower else name)
    return ", ".join(names)


_LEGAL_FORMS = {
    "sa",
    "sas",
    "sarl",
    "gmbh",
    "ag",
    "ltd",
    "inc",
    "llc",
    "plc",
    "bv",
    "nv",
    "ab",
    "as",
    "oy",
    "spa",
    "s.p.a.",
    "s.a.",
    "co",
    "corp",
    "kg",
    "srl",
    "s.r.l.",
}


@register.filter
def initials(name) -> str:
    """Up to two initials of a company's name for a logo placeholder ("Blue Signal Solutions" -> "BS");
    legal forms (GmbH, SAS, Inc.) do not count."""
    words = [
        w for w in str(name or "").replace("-", " ").split() if w.casefold().strip(".,") not in _LEGAL_FORMS
    ]
    letters = [next((c for c in w if c.isalnum()), "") for w in words]
    return "".join(c for c in letters if c)[:2].upper()


@register.filter
def audit_action(code: str) -> str:
    """An audit entry's action in words ("application.approve" -> "Approved")."""
    return action_label(code)


@register.filter
def audit_changes(entry) -> str:
    """An audit entry's changes in words, "; "-separated ("Width (m): 3 → 4")."""
    return "; ".join(change_lines(entry))


@register.filter
def country_name(code) -> str:
    """A country code as its name in the reader's language ("DE" -> "Germany" / "Allemagne")."""
    return str(countries.name(str(code or "").upper()) or code or "")


@register.filter
def zone_words(zone) -> str:
    """A time zone as people say it ("Europe/Paris" -> "Paris time")."""
    return formats.zone_words(str(zone or ""))
