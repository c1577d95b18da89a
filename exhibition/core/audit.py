from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

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


# What an organiser reads in an object's history for the actions recorded there. Codes not
# listed read as their last word, humanised ("stand.split" -> "Split"), never as the raw code.
ACTION_LABELS = {
    "application.started": _("Application started"),
    "application.saved": _("Application saved"),
    "application.imported": _("Imported from a file"),
    "application.submitted": _("Submitted"),
    "application.review": _("Taken under review"),
    "application.approve": _("Approved"),
    "application.waitlist": _("Waitlisted"),
    "application.reject": _("Rejected"),
    "application.withdraw": _("Withdrawn"),
    "application.notes": _("Internal notes changed"),
    "application.document_added": _("Document added"),
    "application.document_deleted": _("Document removed"),
    "stand.created": _("Stand created"),
    "stand.changed": _("Stand changed"),
    "stand.deleted": _("Stand deleted"),
    "stand.split": _("Stand split"),
    "stand.merged": _("Stands merged into this one"),
    "plan.settings": _("Stand prices and walking settings changed"),
    "booking.hold": _("Held for a company"),
    "booking.assign": _("Assigned to a company"),
    "booking.confirm": _("Booking confirmed"),
    "booking.move": _("Booking moved"),
    "booking.swap": _("Bookings swapped"),
    "booking.release": _("Released"),
    "booking.expire": _("Hold expired"),
    "booking.vacate": _("Vacated"),
}


def action_label(action: str) -> str:
    """The words for an audit action code, in the reader's language."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    word = action.rsplit(".", 1)[-1].replace("_", " ").strip()
    return word[:1].upper() + word[1:]


def _value_words(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, float):
        return number_format(int(value) if value.is_integer() else round(value, 2))
    return str(value)


def change_lines(entry: AuditLogEntry) -> list[str]:
    """An entry's recorded changes in words: "Width (m): 3 → 4", with the model's field names and
    choice labels in the reader's language (never the column names and raw values)."""
    changes = (entry.data or {}).get("changes") or {}
    try:
        model = apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        model = None
    lines = []
    for name, pair in changes.items():
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            field = None
        label = capfirst(str(getattr(field, "verbose_name", None) or name.replace("_", " ")))
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        lines.append(f"{label}: {_value_words(field, before)} → {_value_words(field, after)}")
    return lines
