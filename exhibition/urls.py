from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from exhibition.core import health
from exhibition.core.views import api_docs_view, serve_media
from exhibition.events.views import HomeView
from exhibition.events.views.setup import NewShowView

admin.site.site_header = "exhibition"
admin.site.site_title = "exhibition admin"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Public on purpose (PUBLIC_VIEWS in exhibition/core/gate.py); ProbeMiddleware answers them before the rest.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("exhibition.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("exhibition.api_urls")),
    path("privacy/", include("exhibition.privacy.person_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs_view(), name="api-docs"),
    path("shows/new/", NewShowView.as_view(), name="new_show"),
    path("<slug:event_slug>/plan/", include("exhibition.floorplans.urls")),
    path("<slug:event_slug>/exhibitors/", include("exhibition.exhibitors.urls")),
    path("<slug:event_slug>/booking/", include("exhibition.booking.urls")),
    path("<slug:event_slug>/delegations/", include("exhibition.delegations.urls")),
    path("<slug:event_slug>/meetings/", include("exhibition.meetings.urls")),
    path("<slug:event_slug>/accreditation/", include("exhibition.accreditation.urls")),
    path("<slug:event_slug>/webhooks/", include("exhibition.webhooks.urls")),
    path("<slug:event_slug>/privacy/", include("exhibition.privacy.urls")),
    path("<slug:event_slug>/", include("exhibition.events.urls")),
]

if settings.MEDIA_URL.startswith("/"):
    # User files from this origin (the demo, a small show): only through this view, which never lets a
    # browser render one as a page. A real show serves MEDIA_URL from a host of its own (README).
    urlpatterns.insert(
        0, re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media, name="media")
    )
