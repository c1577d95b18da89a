"""The REST API, version 1. Every app's endpoints are mounted here."""

from django.urls import include, path

from exhibition.accounts.api import views as accounts
from exhibition.events.api import views as events

event_patterns = [
    # The gates' endpoints first: URL resolution records every pattern it tries, and a scan
    # should not pay for the hundreds before it (all accreditation paths start "accreditation/").
    path("", include("exhibition.accreditation.api.urls")),
    path("", events.EventDetailView.as_view(), name="event-detail"),
    path("summary/", events.EventSummaryView.as_view(), name="event-summary"),
    path("days/", events.ShowDayListView.as_view(), name="event-day-list"),
    path("days/<int:pk>/", events.ShowDayDetailView.as_view(), name="event-day-detail"),
    path("halls/", events.HallListView.as_view(), name="event-hall-list"),
    path("halls/<int:pk>/", events.HallDetailView.as_view(), name="event-hall-detail"),
    path("sectors/", events.SectorListView.as_view(), name="event-sector-list"),
    path("sectors/<int:pk>/", events.SectorDetailView.as_view(), name="event-sector-detail"),
    path("organisations/", accounts.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", accounts.OrganisationDetailView.as_view(), name="organisation-detail"),
    path(
        "organisations/<int:pk>/members/", accounts.MemberListView.as_view(), name="organisation-member-list"
    ),
    path(
        "organisations/<int:pk>/members/<int:member_id>/",
        accounts.MemberDetailView.as_view(),
        name="organisation-member-detail",
    ),
    path(
        "organisations/<int:pk>/members/<int:member_id>/make-admin/",
        accounts.MemberHandOverView.as_view(),
        name="organisation-member-make-admin",
    ),
    path("organisers/", accounts.OrganiserListView.as_view(), name="organiser-list"),
    path("organisers/<int:pk>/", accounts.OrganiserDetailView.as_view(), name="organiser-detail"),
    path("invitations/", accounts.InvitationListCreateView.as_view(), name="invitation-list"),
    path("invitations/<int:pk>/revoke/", accounts.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("visitors/", accounts.VisitorListView.as_view(), name="visitor-list"),
    path("visitors/vet/", accounts.VisitorBulkVetView.as_view(), name="visitor-bulk-vet"),
    path("visitors/<int:pk>/vet/", accounts.VisitorVetView.as_view(), name="visitor-vet"),
    path("registration/", events.VisitorRegistrationView.as_view(), name="visitor-registration"),
    path("calendar/new-address/", events.CalendarAddressView.as_view(), name="calendar-new-address"),
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
    path("auth/tokens/", accounts.TokenListView.as_view(), name="token-list"),
    path("auth/tokens/<str:key>/", accounts.TokenDetailView.as_view(), name="token-detail"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("invitations/accept/", accounts.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("me/", include("exhibition.privacy.api.person_urls")),
    path("events/", events.EventListView.as_view(), name="event-list"),
    path("events/<slug:event_slug>/", include(event_patterns)),
]
