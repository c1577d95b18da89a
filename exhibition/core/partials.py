"""htmx partials: a page answers an htmx request (``request.htmx``, the ``HX-Request`` header) for
one of its fragments at its own address, with the fragment's own template, which the full page
includes. Both answers here say ``Vary: HX-Request``, so that the browser never shows a fragment
cached under the page's address (going back, say)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django_htmx.http import HTMX_STOP_POLLING, HttpResponseClientRefresh


def render_partial(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    stop_polling: bool = False,
) -> HttpResponse:
    """The fragment, rendered alone (its template includes no base). ``stop_polling``: the work it
    shows is over; htmx swaps it in one last time and stops asking (status 286)."""
    response = render(request, template_name, context, status=HTMX_STOP_POLLING if stop_polling else 200)
    patch_vary_headers(response, ("HX-Request",))
    return response


def reload_page() -> HttpResponse:
    """Tells htmx to reload the whole page: the work a fragment followed is over, and the rest of
    the page changed with it."""
    response = HttpResponseClientRefresh()
    patch_vary_headers(response, ("HX-Request",))
    return response
