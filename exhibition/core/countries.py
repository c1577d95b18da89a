"""Country choices for forms, named in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    """Every country named in the active language, after an empty "Choose a country" entry.

    Pass the function itself as a form field's ``choices``: Django calls it for every form, so
    the names follow the reader's language (a list built at import would stay in English)."""
    return [("", _("Choose a country")), *countries]
