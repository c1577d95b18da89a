"""What every exhibitor service shares: the permission check and the cleaning of contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from exhibition.core import csvio
from exhibition.core.errors import DomainError

from ..models import Application

S = Application.State


ImportFailed = csvio.ImportFailed  # a CSV import refused as a whole; ``errors`` = [(row number, message)]


def clean_contacts(contacts: Any) -> list[dict[str, str]]:
    out = []
    for c in contacts or []:
        name = str(c.get("name", "")).strip()
        email = str(c.get("email", "")).strip().lower()
        if not name:
            raise DomainError(_("Every contact needs a name."), field="contacts")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise DomainError(
                    _("%(email)s is not a valid e-mail address.") % {"email": email}, field="contacts"
                ) from None
        out.append(
            {
                "name": name[:150],
                "email": email,
                "phone": str(c.get("phone", "")).strip()[:40],
                "role": str(c.get("role", "")).strip()[:100],
            }
        )
    return out


LOGO_MAX_BYTES = 2 * 1024 * 1024
