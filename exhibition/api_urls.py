"""The REST API, version 1. Every app's endpoints are mounted here."""

from django.urls import include, path

from exhibition.accounts.api import views as accounts
from exhibition.events.api import views as events

event_patterns = [
    path("", events.EventDetailView.as_view(), name="event-detail"),
    path("summary/", events.EventSummaryView.as_view(), name="event-summary"),
    path("organisations/", accounts.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", accounts.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("invitations/", accounts.InvitationListCreateView.as_view(), name="invitation-list"),
    path("visitors/", accounts.VisitorListView.as_view(), name="visitor-list"),
    path("", include("exhibition.floorplans.api.urls")),
    path("", include("exhibition.exhibitors.api.urls")),
    path("", include("exhibition.booking.api.urls")),
    path("", include("exhibition.delegations.api.urls")),
    path("", include("exhibition.meetings.api.urls")),
    path("", include("exhibition.webhooks.api.urls")),
    path("", include("exhibition.privacy.api.urls")),
]

app_name = "api"

urlpatterns = [
    path("auth/token/", accounts.ObtainTokenView.as_view(), name="token"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("me/", include("exhibition.privacy.api.person_urls")),
    path("events/", events.EventListView.as_view(), name="event-list"),
    path("events/<slug:event_slug>/", include(event_patterns)),
]
