"""The public exhibitor directory and an exhibitor's public profile."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views import View

from exhibition.accounts.models import Organisation
from exhibition.core.ids import as_id
from exhibition.core.views import PermissionMixin

from .. import selectors

# --- public directory --------------------------------------------------------------------------


class DirectoryView(PermissionMixin, View):
    permission_required = "exhibitors.view_directory"
    template_name = "exhibitors/directory.html"
    per_page = 24

    def get(self, request, event_slug):
        g = request.GET
        filters = selectors.DirectoryFilters(
            q=g.get("q", "")[:100],
            country=g.get("country", "")[:2],
            sector=g.get("sector", "")[:40],
            hall=g.get("hall", "")[:10],
            pavilion=str(as_id(g.get("pavilion")) or ""),
        )
        event, number = request.event, g.get("page", "")
        key, stamp = None, None
        if len(number) <= 6 and (not number or number.isdigit()):  # nothing else fills the cache
            stamp = selectors.directory_stamp(event)
            fields = (filters.q, filters.country, filters.sector, filters.hall, filters.pavilion, number)
            key = (
                f"exhibitors:directory:{stamp.key}:{get_language()}:"
                f"{hashlib.sha1(repr(fields).encode(), usedforsecurity=False).hexdigest()}"
            )
            cached = cache.get(key)
            if cached is not None:  # the listing as built; the page numbers from its count (no query)
                page = Paginator(range(cached["count"]), self.per_page).get_page(number)
                # the HTML our own template rendered (and escaped) below, read back from our cache
                html = mark_safe(cached["html"])  # noqa: S308 -- our template's output, escaped when rendered
                return render(request, self.template_name, {"page": page, "listing": html})
        page = Paginator(selectors.directory(event, filters), self.per_page).get_page(number)
        listing = get_template("exhibitors/_directory_listing.html").render(
            {
                "event": event,
                "page": page,
                "filters": filters,
                "facets": selectors.directory_facets(event, stamp.countries if stamp else None),
            }
        )
        if key is not None:
            cache.set(key, {"html": str(listing), "count": page.paginator.count}, timeout=60 * 60)
        return render(request, self.template_name, {"page": page, "listing": listing})


class ProfileView(PermissionMixin, View):
    """An exhibitor's public profile: admitted companies of a public directory only."""

    permission_required = "exhibitors.view_public_profile"
    hide_denied = True
    offer_sign_in = False
    template_name = "exhibitors/profile.html"

    def get_permission_object(self):
        if not hasattr(self, "org"):
            try:
                self.org = selectors.public_exhibitor(self.request.event, self.kwargs["pk"])
            except Organisation.DoesNotExist:
                raise Http404 from None
        return self.org

    def get(self, request, event_slug, pk):
        org = self.org
        if not (
            request.user.has_perm("exhibitors.view_directory", request.event)
            or request.user.has_perm("events.manage_event", request.event)
        ):
            raise Http404
        return render(
            request, self.template_name, {"org": org, "profile": getattr(org, "exhibitor_profile", None)}
        )
