"""Registries of personal data, filled by the apps that hold it, read by the privacy app.

* A retention :class:`Category` (visitor registrations, delegation member details, ...)
  says which rows of an event it covers, how to export one row, and how to shred a batch
  (delete or anonymise). The privacy app's shredder runs the categories that are due.
* A :class:`PersonData` source lists what one person has in an app (for "download my data")
  and erases it (for "erase me").

An app that comes later (accreditation: badges, scans) registers its own from its
``AppConfig.ready`` without importing the privacy app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from .models import AuditLogEntry

REDACTED = "[redacted]"
#: keys of AuditLogEntry.data that may hold personal details; redacted, never deleted
PERSONAL_KEYS = frozenset(
    {
        "email",
        "name",
        "full_name",
        "recipient",
        "reason",
        "message",
        "title",
        "candidate",
        "matched",
        "comment",
        "phone",
        "job_title",
        "organisation_name",
        "note",
        "url",
    }
)


@dataclass(frozen=True)
class Category:
    key: str
    label: Any
    help_text: Any
    default_days: int
    action: str  # "delete" or "anonymise", shown to the organiser
    rows: Callable[[Any], Any]  # event -> queryset of the rows in scope (not yet shredded)
    export: Callable[[Any], dict]  # row -> JSON-able dict for the archive
    shred: Callable[[list[Any]], int]  # rows -> how many were shredded
    audit_object_types: tuple[str, ...] = ()  # their audit entries get their personal fields redacted


@dataclass(frozen=True)
class PersonData:
    key: str
    label: Any
    collect: Callable[[Any], list[dict]]  # user -> rows
    erase: Callable[[Any], int] | None = None  # user -> rows erased
    order: int = 100
    extra: dict = field(default_factory=dict)


CATEGORIES: dict[str, Category] = {}
PERSON_DATA: dict[str, PersonData] = {}


def register_category(category: Category) -> Category:
    CATEGORIES[category.key] = category
    return category


def register_person_data(source: PersonData) -> PersonData:
    PERSON_DATA[source.key] = source
    return source


def redact_data(data: dict) -> dict:
    return {
        k: (REDACTED if k in PERSONAL_KEYS and v not in (None, "", []) else v)
        for k, v in (data or {}).items()
    }


def redact_audit(object_type: str, object_ids: Iterable[Any]) -> int:
    """Redact the personal fields of the audit entries about these objects (kept, not deleted)."""
    ids = [str(i) for i in object_ids]
    count = 0
    for start in range(0, len(ids), 500):
        entries = list(
            AuditLogEntry.objects.filter(
                object_type=object_type, object_id__in=ids[start : start + 500], redacted_at__isnull=True
            )
        )
        now = timezone.now()
        for entry in entries:
            entry.object_repr, entry.data, entry.redacted_at = REDACTED, redact_data(entry.data), now
        AuditLogEntry.objects.bulk_update(entries, ["object_repr", "data", "redacted_at"])
        count += len(entries)
    return count
