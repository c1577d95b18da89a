from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditLogEntry


def record(*, actor: Any, action: str, obj: models.Model, event: Any = None, **data: Any) -> AuditLogEntry:
    """Append one audit entry; call it inside the service's transaction."""
    return AuditLogEntry.objects.create(
        event=event,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        data=data,
    )
