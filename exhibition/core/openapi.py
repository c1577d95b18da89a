"""The schema class of every API view (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]). Apart from
``core.schema`` (whose extensions load with the app), as drf-spectacular's AutoSchema can only
be imported once the apps are ready."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

# Each operation goes under the domain of the app whose ``api`` module serves it; the sections'
# order and descriptions are SPECTACULAR_SETTINGS["TAGS"] (settings.py).
_TAG_OF_APP = {
    "accounts": "people",
    "events": "shows",
    "floorplans": "floor plans",
    "exhibitors": "exhibitors",
    "booking": "booking",
    "delegations": "delegations",
    "meetings": "meetings",
    "accreditation": "accreditation",
    "privacy": "privacy",
    "webhooks": "webhooks",
}


class AutoSchema(BaseAutoSchema):
    """Tags each operation with its domain (a section of SPECTACULAR_SETTINGS["TAGS"]) instead
    of the path's first part, which put all of them under "v1"."""

    def get_tags(self) -> list[str]:
        parts = type(self.view).__module__.split(".")
        if len(parts) > 2 and parts[0] == "exhibition" and parts[1] in _TAG_OF_APP:
            return [_TAG_OF_APP[parts[1]]]
        return super().get_tags()
