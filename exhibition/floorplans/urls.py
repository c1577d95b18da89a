"""Floor plan pages, mounted at /<event_slug>/plan/."""

from django.urls import path

from . import views

app_name = "floorplans"

urlpatterns = [
    path("", views.PlanOverviewView.as_view(), name="overview"),
    path("route/", views.RouteView.as_view(), name="route"),
    path("print/", views.PrintView.as_view(), name="print"),
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("export.csv", views.ExportView.as_view(), name="export"),
    path("stands/new/", views.StandCreateView.as_view(), name="stand_create"),
    path("stands/merge/", views.StandMergeView.as_view(), name="stand_merge"),
    path("features/new/", views.FeatureCreateView.as_view(), name="feature_create"),
    path("settings/", views.PlanSettingsView.as_view(), name="settings"),
    path("pavilions/", views.PavilionListView.as_view(), name="pavilions"),
    path("pavilions/new/", views.PavilionCreateView.as_view(), name="pavilion_create"),
    path("pavilions/<int:pk>/edit/", views.PavilionEditView.as_view(), name="pavilion_edit"),
    path("pavilions/<int:pk>/delete/", views.PavilionDeleteView.as_view(), name="pavilion_delete"),
    path("<str:hall_code>.svg", views.HallSvgView.as_view(), name="hall_svg"),
    path("<str:hall_code>/", views.HallPlanView.as_view(), name="hall"),
    path("<str:hall_code>/list/", views.HallListView.as_view(), name="hall_list"),
    path("<str:hall_code>/features/", views.FeatureListView.as_view(), name="feature_list"),
    path("<str:hall_code>/doors/", views.DoorListView.as_view(), name="door_list"),
    path("<str:hall_code>/doors/new/", views.DoorCreateView.as_view(), name="door_create"),
    path("<str:hall_code>/door/<str:code>/edit/", views.DoorEditView.as_view(), name="door_edit"),
    path("<str:hall_code>/door/<str:code>/delete/", views.DoorDeleteView.as_view(), name="door_delete"),
    path("<str:hall_code>/stand/<str:number>/", views.StandPanelView.as_view(), name="stand"),
    path("<str:hall_code>/stand/<str:number>/move/", views.StandMoveView.as_view(), name="stand_move"),
    path("<str:hall_code>/stand/<str:number>/edit/", views.StandEditView.as_view(), name="stand_edit"),
    path("<str:hall_code>/stand/<str:number>/delete/", views.StandDeleteView.as_view(), name="stand_delete"),
    path("<str:hall_code>/stand/<str:number>/split/", views.StandSplitView.as_view(), name="stand_split"),
    path("<str:hall_code>/feature/<str:code>/edit/", views.FeatureEditView.as_view(), name="feature_edit"),
    path(
        "<str:hall_code>/feature/<str:code>/delete/", views.FeatureDeleteView.as_view(), name="feature_delete"
    ),
]
