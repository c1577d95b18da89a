"""Typed domain errors. Services raise these; one form helper and one DRF
exception handler turn them into field errors and 400 / 403 / 404 / 409."""

from __future__ import annotations


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
