"""API endpoints of meetings, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("meetings/participants/", views.ParticipantListView.as_view(), name="meetings-participants"),
    path(
        "meetings/participants/<int:pk>/hosts/",
        views.HostListView.as_view(),
        name="meetings-participant-hosts",
    ),
    path(
        "meetings/participants/<int:pk>/hosts/<int:host_pk>/",
        views.HostDetailView.as_view(),
        name="meetings-participant-host",
    ),
    path("meetings/participants/<int:pk>/caps/", views.CapsView.as_view(), name="meetings-participant-caps"),
    path("meetings/suggestions/", views.SuggestionsView.as_view(), name="meetings-suggestions"),
    path("meetings/join/", views.JoinView.as_view(), name="meetings-join"),
    path("meetings/profile/", views.ProfileView.as_view(), name="meetings-profile"),
    path("meetings/availability/", views.AvailabilityView.as_view(), name="meetings-availability"),
    path("meetings/requests/", views.RequestListView.as_view(), name="meetings-requests"),
    path(
        "meetings/requests/<int:pk>/<str:action>/",
        views.RequestTransitionView.as_view(),
        name="meetings-request-action",
    ),
    path("meetings/book/", views.BookView.as_view(), name="meetings-book"),
    path("meetings/meetings/", views.MeetingListView.as_view(), name="meetings-meetings"),
    path("meetings/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meetings-meeting"),
    path(
        "meetings/meetings/<int:pk>/<str:action>/",
        views.MeetingTransitionView.as_view(),
        name="meetings-meeting-action",
    ),
    path("meetings/tables/", views.PlaceListView.as_view(), name="meetings-tables"),
    path("meetings/tables/<int:pk>/", views.PlaceDetailView.as_view(), name="meetings-table"),
    path(
        "meetings/tables/<int:pk>/blockings/",
        views.PlaceBlockingListView.as_view(),
        name="meetings-table-blockings",
    ),
    path(
        "meetings/tables/<int:pk>/blockings/<int:blocking_pk>/",
        views.PlaceBlockingDetailView.as_view(),
        name="meetings-table-blocking",
    ),
    path("meetings/rounds/", views.RoundListView.as_view(), name="meetings-rounds"),
    path("meetings/rounds/<int:pk>/", views.RoundDetailView.as_view(), name="meetings-round"),
    path("meetings/rounds/<int:pk>/pins/", views.RoundPinsView.as_view(), name="meetings-round-pins"),
    path("meetings/rounds/<int:pk>/draft/", views.RoundDraftView.as_view(), name="meetings-round-draft"),
    path(
        "meetings/rounds/<int:pk>/<str:action>/",
        views.RoundTransitionView.as_view(),
        name="meetings-round-action",
    ),
    path("meetings/settings/", views.MeetingSettingsView.as_view(), name="meetings-settings"),
    path("meetings/statistics/", views.StatisticsView.as_view(), name="meetings-statistics"),
]
