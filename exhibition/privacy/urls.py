from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.RetentionView.as_view(), name="manage"),
    path("runs/<int:pk>/progress/", views.RunProgressView.as_view(), name="run_progress"),
    path("runs/<int:pk>/archive/", views.RunArchiveView.as_view(), name="run_archive"),
]
