from __future__ import annotations

from django.conf import settings


def site(request):
    """The platform's name as the organiser calls it (``SITE_NAME``), for pages with no event."""
    return {"site_name": settings.SITE_NAME}
