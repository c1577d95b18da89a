"""How the OpenAPI schema (drf-spectacular) describes our fields, where its defaults say
something the API does not do."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes

# HH:MM, HH:MM:SS or HH:MM:SS.ffffff: what DRF's TimeField reads and writes.
LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


class LocalTimeFieldExtension(OpenApiSerializerFieldExtension):
    """A time of day is a wall-clock time of the show (``"09:30:00"``), in the event's time zone.

    OpenAPI's ``format: time`` is RFC 3339's *full-time*, which carries a UTC offset: a client
    or validator reading the schema would refuse every time the API returns, and an offset makes
    no sense for opening hours that follow the show's local time across a DST change.
    """

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = build_basic_type(OpenApiTypes.STR)
        schema.update(
            {
                "pattern": LOCAL_TIME_PATTERN,
                "example": "09:30:00",
                "description": "local time of the show (the event's time zone), HH:MM[:SS]",
            }
        )
        return schema


def _may_be_blank(field) -> bool:
    """Whether the API may answer ``""`` for a read-only field: it copies a model field that may be
    blank (DRF drops ``allow_blank`` from read-only fields; for the others drf-spectacular already
    says "or empty" with a ``oneOf``)."""
    if not field.read_only:
        return False
    try:
        return bool(field.parent.Meta.model._meta.get_field(field.source).blank)
    except Exception:  # noqa: BLE001 - not a model field: only what the field says counts
        return False


class _BlankableFormatExtension(OpenApiSerializerFieldExtension):
    """An e-mail address or a web address that may be empty: OpenAPI's ``format`` refuses ``""``,
    which the API answers for a person or company that gave none; say "this format, or empty"."""

    blank_pattern = ""
    label = ""

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if _may_be_blank(self.target) and schema.get("format"):
            schema.pop("format")
            schema["pattern"] = self.blank_pattern
            schema.setdefault("description", self.label)
        return schema


class BlankableEmailFieldExtension(_BlankableFormatExtension):
    target_class = "rest_framework.fields.EmailField"
    match_subclasses = True
    blank_pattern = r"^$|^[^@\s]+@[^@\s]+$"
    label = "an e-mail address, or empty"


class BlankableURLFieldExtension(_BlankableFormatExtension):
    target_class = "rest_framework.fields.URLField"
    match_subclasses = True
    blank_pattern = r"^$|^[A-Za-z][A-Za-z0-9+.-]*://\S+$"
    label = "a web address, or empty"


def drop_format_where_blank_is_allowed(result, generator, request, public):
    """Postprocessing hook: drf-spectacular adds ``format`` back from a field's validators after
    the extensions above ran; where they said "or empty" (a pattern that accepts ``""``), the
    pattern is the contract and the format goes."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("format") in ("email", "uri") and str(node.get("pattern", "")).startswith("^$|"):
                node.pop("format")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}))
    return result
