from django.urls import path

from . import views
from .views import setup

app_name = "events"

urlpatterns = [
    path("", views.EventHomeView.as_view(), name="home"),
    path("invitations/", views.InvitationsView.as_view(), name="invitations"),
    path("register/", views.VisitorRegistrationView.as_view(), name="visitor_register"),
    path("manage/show/", setup.ShowSetupView.as_view(), name="setup"),
    path("manage/show/days/<int:pk>/", setup.ShowDayView.as_view(), name="setup_day"),
    path("manage/show/halls/<int:pk>/", setup.HallView.as_view(), name="setup_hall"),
    path("manage/show/sectors/<int:pk>/", setup.SectorView.as_view(), name="setup_sector"),
    path("manage/visitors/", views.VisitorVettingView.as_view(), name="manage_visitors"),
    path("calendar/new-address/", views.RotateCalendarView.as_view(), name="rotate_calendar"),
]
