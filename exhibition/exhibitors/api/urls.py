"""API endpoints of exhibitors, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("applications/", views.ApplicationListCreateView.as_view(), name="exhibitors-application-list"),
    path("applications/bulk/", views.ApplicationBulkView.as_view(), name="exhibitors-application-bulk"),
    path("applications/import/", views.ExhibitorImportView.as_view(), name="exhibitors-application-import"),
    path(
        "applications/imports/<int:pk>/",
        views.ExhibitorImportDetailView.as_view(),
        name="exhibitors-application-import-detail",
    ),
    path(
        "applications/<int:pk>/", views.ApplicationDetailView.as_view(), name="exhibitors-application-detail"
    ),
    path(
        "applications/<int:pk>/transition/",
        views.ApplicationTransitionView.as_view(),
        name="exhibitors-application-transition",
    ),
    path(
        "applications/<int:pk>/notes/",
        views.ApplicationNotesView.as_view(),
        name="exhibitors-application-notes",
    ),
    path(
        "applications/<int:pk>/documents/",
        views.ApplicationDocumentsView.as_view(),
        name="exhibitors-application-documents",
    ),
    path(
        "applications/<int:pk>/documents/<int:doc>/",
        views.DocumentDetailView.as_view(),
        name="exhibitors-application-document",
    ),
    path("screening/", views.ScreeningListView.as_view(), name="exhibitors-screening"),
    path("screening/rescreen/", views.RescreenView.as_view(), name="exhibitors-rescreen"),
    path("screening/hits/<int:pk>/resolve/", views.HitResolveView.as_view(), name="exhibitors-hit-resolve"),
    path("companies/<int:org>/profile/", views.ProfileView.as_view(), name="exhibitors-profile"),
    path("companies/<int:org>/profile/logo/", views.LogoView.as_view(), name="exhibitors-profile-logo"),
    path("companies/<int:org>/products/", views.ProductListView.as_view(), name="exhibitors-products"),
    path(
        "companies/<int:org>/products/<int:pk>/",
        views.ProductDetailView.as_view(),
        name="exhibitors-product",
    ),
    path("companies/<int:org>/contacts/", views.ContactListView.as_view(), name="exhibitors-contacts"),
    path(
        "companies/<int:org>/contacts/<int:pk>/",
        views.ContactDetailView.as_view(),
        name="exhibitors-contact",
    ),
    path("companies/<int:org>/staff/", views.StaffView.as_view(), name="exhibitors-staff"),
    path("companies/<int:org>/badges/", views.BadgesView.as_view(), name="exhibitors-badges"),
    path(
        "companies/<int:org>/badges/<int:pk>/",
        views.BadgeRequestDetailView.as_view(),
        name="exhibitors-badge-request",
    ),
    path("directory/", views.DirectoryView.as_view(), name="exhibitors-directory"),
    path("exhibitor-settings/", views.ExhibitorSettingsView.as_view(), name="exhibitors-settings"),
]
