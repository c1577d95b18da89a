"""A person's own data, across every show: /privacy/."""

from django.urls import path

from . import views

app_name = "privacy_person"

urlpatterns = [
    path("", views.MyDataView.as_view(), name="my_data"),
    path("jobs/<int:pk>/progress/", views.MyJobProgressView.as_view(), name="job_progress"),
    path("jobs/<int:pk>/download/", views.MyExportDownloadView.as_view(), name="export_download"),
]
