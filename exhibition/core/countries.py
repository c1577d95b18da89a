"""Country choices for forms, named in the reader's language, and the reader's alphabetical order."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django_countries import countries


def alphabetical(text: str) -> str:
    """A sort key that files "Émirats arabes unis" under E and "Español" with "espagnol", as a
    reader expects (a plain sort puts accented initials after Z)."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", str(text).casefold()) if not unicodedata.combining(c)
    )


def countries_by_name(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code, name) of these countries, named in the active language and sorted by that name;
    empty codes are left out."""
    return sorted(
        ((c, str(countries.name(c) or c)) for c in set(codes) if c), key=lambda pair: alphabetical(pair[1])
    )


def country_choices() -> list[tuple[str, str]]:
    """Every country named in the active language, after an empty "Choose a country" entry.

    Pass the function itself as a form field's ``choices``: Django calls it for every form, so
    the names follow the reader's language (a list built at import would stay in English)."""
    return [("", _("Choose a country")), *countries]
