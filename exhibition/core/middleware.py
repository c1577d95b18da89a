"""Middleware for every request: text nobody can store, and the security headers."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

# --- text nobody can store ----------------------------------------------------------------------

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (not UTF-8)


def has_unstorable(value: Any) -> bool:
    """True if ``value`` (text, or lists and dicts of it, keys included) holds a NUL or a lone surrogate."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_unstorable(v) for v in value)
    return False


def unstorable_response(request: HttpRequest) -> HttpResponse:
    message = _("The request contains a character that is not allowed in text (a NUL byte).")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "invalid_character"}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class TextInputMiddleware:
    """Refuses a NUL byte in the path, the query string or a form field before any view sees it:
    text that PostgreSQL cannot store is bad input (400), never a database error (500).

    JSON and API form bodies are checked by the API's parsers (exhibition.core.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if has_unstorable(request.path) or any(
            has_unstorable(key) or has_unstorable(values) for key, values in request.GET.lists()
        ):
            return unstorable_response(request)
        if (
            request.method == "POST"
            and not hasattr(view_func, "cls")
            and request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded")
            and any(has_unstorable(key) or has_unstorable(values) for key, values in request.POST.lists())
        ):
            return unstorable_response(request)
        return None


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: ``Permissions-Policy`` (settings.PERMISSIONS_POLICY).
    Django's SecurityMiddleware sets Referrer-Policy, Cross-Origin-Opener-Policy and nosniff; django-csp
    the Content-Security-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response
