"""DRF plumbing shared by every app: the permission class and the exception handler."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError
from .uploads import UploadTooLarge, too_large_response


class RulesPermission(permissions.BasePermission):
    """Checks ``view.permission_required`` (or ``permission_map[method]``) with ``user.has_perm``.

    The object checked is the event for list/create (``view.get_permission_object()``),
    and the object itself for detail actions: the same predicates the pages use.
    """

    def _perm(self, request, view) -> str | None:
        mapping = getattr(view, "permission_map", None) or {}
        return mapping.get(request.method, getattr(view, "permission_required", None))

    def has_permission(self, request, view) -> bool:
        perm = self._perm(request, view)
        if perm is None:
            return True
        obj = view.get_permission_object() if hasattr(view, "get_permission_object") else None
        if obj is None:
            return True
        return request.user.has_perm(perm, obj)

    def has_object_permission(self, request, view, obj) -> bool:
        mapping = getattr(view, "object_permission_map", None) or {}
        perm = mapping.get(request.method)
        if perm is None:
            return True
        return request.user.has_perm(perm, obj)


def exception_handler(exc, context):
    if isinstance(exc, UploadTooLarge):  # a file grew past the view's limit while it streamed in
        return too_large_response(context["request"]._request, exc.limit)
    if isinstance(exc, DomainError):
        detail = {exc.field: [exc.message]} if exc.field else {"detail": exc.message, "code": exc.code}
        return Response(detail, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
