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
        schema.update({"pattern": LOCAL_TIME_PATTERN, "example": "09:30:00",
                       "description": "local time of the show (the event's time zone), HH:MM[:SS]"})
        return schema
