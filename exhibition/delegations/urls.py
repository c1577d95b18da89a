from django.urls import path

from . import views

app_name = "delegations"

urlpatterns = [
    path("", views.DelegationListView.as_view(), name="list"),
    path("plan/", views.EventPlanView.as_view(), name="plan_all"),
    path("halls/", views.HallView.as_view(), name="halls"),
    path("hosting/", views.HostingView.as_view(), name="hosting"),
    path("runs/<int:run_id>/", views.RunStatusView.as_view(), name="run"),
    path("runs/<int:run_id>/cancel/", views.RunCancelView.as_view(), name="run_cancel"),
    path("feed/<str:token>.ics", views.IcsFeedView.as_view(), name="ics"),
    path("<int:pk>/", views.DelegationDetailView.as_view(), name="detail"),
    path("<int:pk>/timeline/", views.TimelineView.as_view(), name="timeline"),
    path("<int:pk>/timeline/check/", views.CheckVisitView.as_view(), name="check_visit"),
    path("<int:pk>/programme/", views.ProgrammeView.as_view(), name="programme"),
    path("<int:pk>/programme.pdf", views.ProgrammePdfView.as_view(), name="programme_pdf"),
]
