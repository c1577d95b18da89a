from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from exhibition.events.views import HomeView

admin.site.site_header = "exhibition"
admin.site.site_title = "exhibition admin"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("exhibition.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/v1/", include("exhibition.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("<slug:event_slug>/plan/", include("exhibition.floorplans.urls")),
    path("<slug:event_slug>/exhibitors/", include("exhibition.exhibitors.urls")),
    path("<slug:event_slug>/booking/", include("exhibition.booking.urls")),
    path("<slug:event_slug>/delegations/", include("exhibition.delegations.urls")),
    path("<slug:event_slug>/meetings/", include("exhibition.meetings.urls")),
    path("<slug:event_slug>/accreditation/", include("exhibition.accreditation.urls")),
    path("<slug:event_slug>/", include("exhibition.events.urls")),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Uploaded logos in the local demo only; a real show serves media from its own host.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media")]
