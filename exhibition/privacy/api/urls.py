"""Privacy API, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("privacy/retention/", views.RetentionView.as_view(), name="privacy-retention"),
    path("privacy/shredder-runs/", views.ShredderRunListView.as_view(), name="privacy-shredder-runs"),
    path(
        "privacy/shredder-runs/<int:pk>/", views.ShredderRunDetailView.as_view(), name="privacy-shredder-run"
    ),
]
