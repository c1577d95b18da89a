"""The main navigation's links: ``{% navlink "floorplans:overview" _("Floor plan") %}``.

A link is the current page (``aria-current="page"``) on its own page and, unless ``exact``,
on the pages below it (the floor plan's halls and stands under "Floor plan").
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def navlink(context, viewname: str, label: str, exact: bool = False, views: str = "") -> str:
    """``views``: when given, the comma-separated view names on which the link is current (for a
    link whose URL prefixes pages that belong to another link)."""
    request = context.get("request")
    event = context.get("event")
    url = reverse(viewname, kwargs={"event_slug": event.slug} if event is not None else None)
    path = getattr(request, "path", "")
    if views:
        match = getattr(request, "resolver_match", None)
        current = path == url or (match is not None and match.view_name in views.split(","))
    else:
        current = path == url or (not exact and path.startswith(url))
    if current:
        return format_html('<li><a href="{}" aria-current="page">{}</a></li>', url, label)
    return format_html('<li><a href="{}">{}</a></li>', url, label)
