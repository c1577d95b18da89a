"""Typed domain errors. Services raise these; one form helper and one DRF
exception handler turn them into field errors and 400 / 403 / 404 / 409."""

from __future__ import annotations

from typing import Any, Protocol

from django.utils.translation import gettext as _


class Actor(Protocol):
    """Whom the permission gate can ask: a user, signed in or anonymous (``accounts.User``,
    ``AnonymousUser``), or a scanner device (``accreditation.auth.DevicePrincipal``). Core sits
    below those apps, so it names only what it asks of them."""

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


class DomainError(Exception):
    """Bad input or a rule of the domain broken: HTTP 400."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.code = code or self.default_code


class ConflictError(DomainError):
    """Someone else was faster, or the object changed state: HTTP 409."""

    status_code = 409
    default_code = "conflict"


class NotAllowed(DomainError):
    """The actor may not do this: HTTP 403."""

    status_code = 403
    default_code = "permission_denied"


def require_perm(actor: Actor, perm: str, obj: Any, message: str | None = None) -> None:
    """The services' one permission check: ``NotAllowed`` unless ``actor.has_perm(perm, obj)``
    (the same django-rules predicates the pages and the API check)."""
    if not actor.has_perm(perm, obj):
        raise NotAllowed(message or _("You may not do this."))
