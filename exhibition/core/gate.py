"""The permission gate fails closed.

Every view either declares the permission it checks (``permission_required``, a string or a
mapping from HTTP method to permission, checked with ``user.has_perm`` by
:class:`exhibition.core.views.PermissionMixin` for pages and
:class:`exhibition.core.api.RulesPermission` for the API) or is listed below as public, by
its URL name. Anything else is refused before it runs, by :class:`GateMiddleware`.
``tests/test_gate.py`` walks every URL pattern and proves it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Views anyone may reach, signed in or not, by URL name. Each one checks what it needs
# itself (a signed token, the event being public, ...). Keep this list short.
PUBLIC_VIEWS: frozenset[str] = frozenset(
    {
        "home",  # the list of public events
        "set_language",
        "accounts:login",
        "accounts:logout",
        "accounts:signup",
        "accounts:signup_done",
        "accounts:verify_email",
        "accounts:resend_verification",
        "accounts:invitation",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "api:token",  # e-mail and password for a token (locked out by axes)
        "api-schema",
        "api-docs",
        "events:home",  # the event's landing page (public part only)
        "meetings:ics",  # calendar feeds: the signed address is the key
        "delegations:ics",
        "accreditation:scanner",  # the scanner page's shell: no data until a device signs in
        "accreditation:wallet_link",  # a badge e-mailed to its holder: the signed address is the key
        "accreditation:wallet_link_pdf",
        "api:accreditation-register",  # a scanner's one-time code is the key (rate-limited)
        "media",  # uploaded logos, in the local demo only (DEBUG)
        "healthz",  # load-balancer probes (exhibition/core/health.py)
        "readyz",
        "metrics",  # the Prometheus scrape (METRICS_TOKEN guards it when set)
    }
)
# Whole namespaces with a gate of their own.
PUBLIC_NAMESPACES: frozenset[str] = frozenset({"admin"})


def view_class(view_func: Any) -> type | None:
    return getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)


def declared_permission(cls: type | None) -> bool:
    """Whether a view class names the permission it checks."""
    if cls is None:
        return False
    return bool(getattr(cls, "permission_required", None))


def is_public(view_name: str | None, namespaces: list[str] | tuple[str, ...] = ()) -> bool:
    return (view_name in PUBLIC_VIEWS) or any(ns in PUBLIC_NAMESPACES for ns in namespaces[:1])


class GateMiddleware:
    """Refuse any view that neither declares a permission nor is public by name."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        if is_public(match.view_name, match.namespaces) or declared_permission(view_class(view_func)):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("You do not have permission to perform this action.")}, status=403
            )
        return render(request, "403.html", status=403)
