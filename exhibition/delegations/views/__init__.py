"""Pages for delegations: the organiser's list, detail and timeline; the delegation's programme
(page, PDF, calendar feed); the exhibitor's hosting page. Forms parse, one service acts.

One module per concept; the URLs take the views from here."""

from .common import PAGE_SIZE
from .delegation import (
    ACTIONS,
    DelegationDetailView,
    DelegationMixin,
    IcsFeedView,
    ProgrammePdfView,
    ProgrammeView,
)
from .hosting import HostingView
from .organiser import (
    CheckVisitView,
    DelegationListView,
    EventPlanView,
    HallView,
    RunCancelView,
    RunStatusView,
    TimelineView,
)

__all__ = [
    "ACTIONS",
    "PAGE_SIZE",
    "CheckVisitView",
    "DelegationDetailView",
    "DelegationListView",
    "DelegationMixin",
    "EventPlanView",
    "HallView",
    "HostingView",
    "IcsFeedView",
    "ProgrammePdfView",
    "ProgrammeView",
    "RunCancelView",
    "RunStatusView",
    "TimelineView",
]
