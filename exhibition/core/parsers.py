"""The API's parsers: DRF's, refusing text that cannot be stored (a NUL byte, a lone surrogate)
anywhere in the body with a 400, before a serializer or a query sees it."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from .middleware import has_unstorable

MESSAGE = (
    "The request body contains a character that is not allowed in text (a NUL byte or a lone surrogate)."
)


def _check(data):
    if has_unstorable(data):
        raise ParseError(MESSAGE)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _check(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check({key: data.getlist(key) for key in data})
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        _check({key: result.data.getlist(key) for key in result.data})
        _check(list(result.files))
        return result


PARSERS = [
    "exhibition.core.parsers.JSONParser",
    "exhibition.core.parsers.FormParser",
    "exhibition.core.parsers.MultiPartParser",
]
