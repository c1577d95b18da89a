"""A person's own data, mounted under /api/v1/me/."""

from django.urls import path

from . import views

urlpatterns = [
    path("data-exports/", views.MyExportListView.as_view(), name="my-data-exports"),
    path("privacy-jobs/<int:pk>/", views.MyJobDetailView.as_view(), name="my-privacy-job"),
    path("erasure/", views.MyErasureView.as_view(), name="my-erasure"),
]
