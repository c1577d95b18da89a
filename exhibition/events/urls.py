from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.EventHomeView.as_view(), name="home"),
    path("invitations/", views.InvitationsView.as_view(), name="invitations"),
    path("register/", views.VisitorRegistrationView.as_view(), name="visitor_register"),
    path("manage/visitors/", views.VisitorVettingView.as_view(), name="manage_visitors"),
    path("calendar/new-address/", views.RotateCalendarView.as_view(), name="rotate_calendar"),
]
