"""DRF plumbing shared by every app: the exception handler (and the permission class,
re-exported from ``core.permissions``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .permissions import RulesPermission  # noqa: F401 - the views import it from here
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
