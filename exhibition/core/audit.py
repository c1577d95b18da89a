from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from .models import AuditLogEntry

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    event: Any = None,
    **data: Any,
) -> AuditLogEntry:
    """Append one audit entry; call it inside the service's transaction. ``actor`` is the person
    who acted (a user: core sits below accounts, so it names Django's base class); ``None`` or an
    anonymous user is recorded as the system."""
    return AuditLogEntry.objects.create(
        event=event,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data,
    )
