"""Where to go after a form: a ``next`` from the request, only if it stays on this site."""

from __future__ import annotations

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback: str, *args, **kwargs) -> str:
    """The request's ``next`` (POST first, then GET) if it is a URL of this site, else ``fallback``
    (a URL or a URL name, resolved with ``args`` / ``kwargs``).

    ``https://evil.example/``, ``//evil.example``, ``javascript:...`` and the like fall back: Django's
    ``url_has_allowed_host_and_scheme`` decides, with HTTPS required when the request came by HTTPS.
    """
    candidate = request.POST.get("next") if request.method == "POST" else None
    candidate = candidate or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback, *args, **kwargs)
