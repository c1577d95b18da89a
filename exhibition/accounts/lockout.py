"""How django-axes sees and answers sign-in attempts (see ``AXES_*`` in settings)."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.core.ratelimit import client_ip as _client_ip


def username_of(request, credentials) -> str:
    """The account an attempt is for, however it is spelt (addresses are case-insensitive)."""
    value = ""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    if not value and request is not None:
        data = getattr(request, "POST", None) or {}
        value = data.get("username") or data.get("email") or ""
    return str(value).strip().lower()


def client_ip(request) -> str:
    return _client_ip(request)


def retry_after_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_response(request, original_response=None, credentials=None):
    seconds = retry_after_seconds()
    minutes = math.ceil(seconds / 60)
    message = _("Too many failed sign-in attempts. Try again in %(n)s minutes.") % {"n": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
        response = render(
            request,
            "accounts/locked_out.html",
            {"message": message, "until": until, "minutes": minutes},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
