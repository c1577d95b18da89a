from django.urls import path

from . import views

app_name = "exhibitors"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("<int:pk>/", views.ProfileView.as_view(), name="profile"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("applications/<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path(
        "applications/<int:pk>/step/<slug:step>/",
        views.ApplicationStepView.as_view(),
        name="application_step",
    ),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="application_withdraw"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("documents/<int:pk>/delete/", views.DocumentDeleteView.as_view(), name="document_delete"),
    path("portal/", views.PortalRedirectView.as_view(), name="portal_home"),
    path("companies/<int:org>/", views.PortalView.as_view(), name="portal"),
    path("companies/<int:org>/profile/", views.PortalProfileView.as_view(), name="portal_profile"),
    path("companies/<int:org>/staff/", views.PortalStaffView.as_view(), name="portal_staff"),
    path("companies/<int:org>/badges/", views.PortalBadgesView.as_view(), name="portal_badges"),
    path("manage/applications/", views.ReviewQueueView.as_view(), name="review_queue"),
    path("manage/applications/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("manage/hits/<int:pk>/resolve/", views.ResolveHitView.as_view(), name="resolve_hit"),
    path("manage/screening/", views.ScreeningView.as_view(), name="screening"),
    path("manage/screening/progress/", views.ScreeningProgressView.as_view(), name="screening_progress"),
    path("manage/export/<slug:kind>.csv", views.ExportView.as_view(), name="export"),
    path("manage/import/", views.ImportView.as_view(), name="import"),
    path("manage/import/<int:pk>/", views.ImportJobView.as_view(), name="import_job"),
    path("manage/settings/", views.SettingsView.as_view(), name="settings"),
]
