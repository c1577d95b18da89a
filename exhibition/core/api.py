"""DRF plumbing shared by every app: the exception handler, the base of event-scoped views (and
the permission class, re-exported from ``core.permissions``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from . import csvio
from .csvio import ImportFailed
from .errors import DomainError
from .permissions import RulesPermission  # the views import it from here
from .uploads import UploadTooLarge, too_large_response


def exception_handler(exc, context):
    if isinstance(exc, UploadTooLarge):  # a file grew past the view's limit while it streamed in
        return too_large_response(context["request"]._request, exc.limit)
    if isinstance(exc, DomainError):
        detail = {exc.field: [exc.message]} if exc.field else {"detail": exc.message, "code": exc.code}
        response = Response(detail, status=exc.status_code)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class EventScopedMixin:
    """An API view under ``/events/<event_slug>/``: ``self.event`` is the event the URL names
    (resolved once per request by ``events.middleware.EventMiddleware``, 404 when there is none),
    and ``permission_required`` is checked on it."""

    permission_classes = [IsAuthenticated, RulesPermission]
    lookup_url_kwarg = "pk"

    @property
    def event(self):
        event = getattr(self.request, "event", None)
        if event is None:  # only a URL without ``event_slug`` gets here: a wiring mistake
            raise Http404("No such event")
        return event

    def get_permission_object(self):
        return self.event

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["event"] = self.event
        return ctx


# A CSV import refused as a whole: the answer of every import endpoint, and its description.
CSV_REFUSED = OpenApiResponse(
    description=(
        "Field errors, or a refused file: `detail` and `errors`, a list of `{row, detail}` "
        "(row 1 is the header, 0 the whole file); nothing is imported."
    )
)


class CsvRowErrorSerializer(serializers.Serializer):
    """One row of a refused CSV file and what is wrong with it."""

    row = serializers.IntegerField(help_text="line of the file: 1 is the header, 0 the whole file")
    detail = serializers.CharField()


def csv_refused(exc: ImportFailed) -> Response:
    """400 with the message and the rows at fault, as the import pages list them."""
    return Response(
        {"detail": exc.message, "errors": [{"row": r, "detail": m} for r, m in exc.errors]},
        status=400,
    )


class CsvUploadSerializer(serializers.Serializer):
    """A CSV import's rows: ``csv`` text or a ``file``, one of the two (``csv_text`` reads
    either). Subclasses name what the rows are in the help texts."""

    csv = serializers.CharField(
        required=False, trim_whitespace=False, max_length=csvio.MAX_BYTES, help_text="the rows as CSV text"
    )
    file = serializers.FileField(required=False, help_text="the rows as a CSV file (UTF-8), at most 5 MB")

    def validate(self, attrs):
        if len([k for k in ("csv", "file") if k in attrs]) != 1:
            raise serializers.ValidationError(_("Send either csv or file."))
        return attrs


def csv_text(validated: dict) -> str:
    """The text of a validated ``CsvUploadSerializer``: the file read (checked by content as
    the import pages do), or the ``csv`` text."""
    return csvio.read_upload(validated["file"]) if "file" in validated else validated["csv"]


def settings_changes(serializer_class: type[serializers.Serializer], request) -> dict:
    """The validated fields of a settings PATCH (only those sent); a field the settings do not
    have is refused by name (400 "Unknown setting."), so a misspelt one is never ignored."""
    data = serializer_class(data=request.data, partial=True)
    data.is_valid(raise_exception=True)
    unknown = sorted(set(request.data) - set(data.fields)) if hasattr(request.data, "keys") else []
    if unknown:
        raise exceptions.ValidationError({name: [_("Unknown setting.")] for name in unknown})
    return data.validated_data
