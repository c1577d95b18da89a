from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("p/<int:pk>/", views.ParticipantView.as_view(), name="participant"),
    path("join/", views.JoinView.as_view(), name="join"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("requests/<int:pk>/", views.RequestView.as_view(), name="request"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/print/", views.AgendaView.as_view(), {"printable": True}, name="agenda_print"),
    path("meeting/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("ics/<str:token>.ics", views.IcsFeedView.as_view(), name="ics"),
    path("manage/", views.ManageView.as_view(), name="manage"),
    path("manage/places/", views.PlacesView.as_view(), name="places"),
    path("manage/settings/", views.MeetingSettingsView.as_view(), name="settings"),
    path("manage/rounds/", views.RoundsView.as_view(), name="rounds"),
    path("manage/rounds/<int:pk>/", views.RoundView.as_view(), name="round"),
]
