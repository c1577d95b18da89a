"""Pages of the floor plan: site map and dashboard, hall plans (SVG rendered by the server),
stand side panel, organiser editing (forms and the drag endpoint), CSV import/export,
text list, print view, SVG download and walking routes.

Views are thin: a form parses, one service acts, then redirect or render. Every action works
without JavaScript; plan.js adds zoom/pan, drag to move and the side panel (asked of htmx), and
htmx follows the walking matrix while it is computed.

One module per concept (``plan`` to read it, ``editing`` for the organiser's editor, and
``common``); the URLs take them from here."""

from .common import LIST_PAGE_SIZE, LIST_SORTS, EditMixin, PlanMixin
from .doors import DoorCreateView, DoorDeleteView, DoorEditView, DoorListView
from .editing import (
    ExportView,
    FeatureCreateView,
    FeatureDeleteView,
    FeatureEditView,
    FeatureListView,
    ImportView,
    StandCreateView,
    StandDeleteView,
    StandEditView,
    StandMergeView,
    StandMoveView,
    StandSplitView,
)
from .pavilions import PavilionCreateView, PavilionDeleteView, PavilionEditView, PavilionListView
from .plan import (
    HallListView,
    HallPlanView,
    HallSvgView,
    MatrixView,
    PlanOverviewView,
    PrintView,
    RouteView,
    StandPanelView,
)
from .settings import PlanSettingsView

__all__ = [
    "LIST_PAGE_SIZE",
    "LIST_SORTS",
    "DoorCreateView",
    "DoorDeleteView",
    "DoorEditView",
    "DoorListView",
    "EditMixin",
    "ExportView",
    "FeatureCreateView",
    "FeatureDeleteView",
    "FeatureEditView",
    "FeatureListView",
    "HallListView",
    "HallPlanView",
    "HallSvgView",
    "ImportView",
    "MatrixView",
    "PavilionCreateView",
    "PavilionDeleteView",
    "PavilionEditView",
    "PavilionListView",
    "PlanMixin",
    "PlanOverviewView",
    "PlanSettingsView",
    "PrintView",
    "RouteView",
    "StandCreateView",
    "StandDeleteView",
    "StandEditView",
    "StandMergeView",
    "StandMoveView",
    "StandPanelView",
    "StandSplitView",
]
