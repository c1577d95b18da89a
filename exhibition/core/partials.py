"""htmx partials: a page answers an htmx request (``request.htmx``, the ``HX-Request`` header) for
one of its fragments at its own address, with the fragment's own template, which the full page
includes. Both answers here say ``Vary: HX-Request``, so that the browser never shows a fragment
cached under the page's address (going back, say)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HttpResponseClientRefresh


def render_partial(
    request: HttpRequest, template_name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The fragment, rendered alone (its template includes no base)."""
    response = render(request, template_name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def reload_page() -> HttpResponse:
    """Tells htmx to reload the whole page: the work a fragment followed is over, and the rest of
    the page changed with it."""
    response = HttpResponseClientRefresh()
    patch_vary_headers(response, ("HX-Request",))
    return response
