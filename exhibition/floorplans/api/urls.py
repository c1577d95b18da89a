"""API endpoints of floorplans, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("stands/", views.StandListView.as_view(), name="stand-list"),
    path("stands/merge/", views.StandMergeView.as_view(), name="stand-merge"),
    path("stands/import/", views.StandImportView.as_view(), name="stand-import"),
    path("stands/<str:number>/", views.StandDetailView.as_view(), name="stand-detail"),
    path("stands/<str:number>/split/", views.StandSplitView.as_view(), name="stand-split"),
    path("features/", views.FeatureListView.as_view(), name="feature-list"),
    path("features/<str:code>/", views.FeatureDetailView.as_view(), name="feature-detail"),
    path("pavilions/", views.PavilionListView.as_view(), name="pavilion-list"),
    path("pavilions/<str:pk>/", views.PavilionDetailView.as_view(), name="pavilion-detail"),
    path("doors/", views.DoorListView.as_view(), name="door-list"),
    path("doors/<str:code>/", views.DoorDetailView.as_view(), name="door-detail"),
    path("route/", views.RouteView.as_view(), name="route"),
    path("walking-matrix/", views.WalkingMatrixView.as_view(), name="walking-matrix"),
    # "plan-" because these URLs sit at the event's root, beside every other app's
    path("plan-settings/", views.PlanSettingsView.as_view(), name="plan-settings"),
]
