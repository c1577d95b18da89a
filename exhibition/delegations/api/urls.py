"""API endpoints of delegations, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

urlpatterns = [
    path("delegations/", views.DelegationListView.as_view(), name="delegation-list"),
    path("delegations/<int:pk>/", views.DelegationDetailView.as_view(), name="delegation-detail"),
    path("delegations/<int:pk>/members/", views.MemberListView.as_view(), name="delegation-member-list"),
    path(
        "delegations/<int:pk>/members/<int:member_id>/",
        views.MemberDetailView.as_view(),
        name="delegation-member-detail",
    ),
    path("delegations/<int:pk>/days/", views.DayListView.as_view(), name="delegation-day-list"),
    path(
        "delegations/<int:pk>/days/<int:day_id>/", views.DayDetailView.as_view(), name="delegation-day-detail"
    ),
    path(
        "delegations/<int:pk>/interests/", views.InterestListView.as_view(), name="delegation-interest-list"
    ),
    path(
        "delegations/<int:pk>/interests/<int:interest_id>/",
        views.InterestDetailView.as_view(),
        name="delegation-interest-detail",
    ),
    path("delegations/<int:pk>/visits/", views.VisitListView.as_view(), name="delegation-visit-list"),
    path(
        "delegations/<int:pk>/visits/<int:visit_id>/",
        views.VisitDetailView.as_view(),
        name="delegation-visit-detail",
    ),
    path("delegations/<int:pk>/programme/", views.ProgrammeView.as_view(), name="delegation-programme"),
    path(
        "delegations/<int:pk>/running-late/", views.RunningLateView.as_view(), name="delegation-running-late"
    ),
    path("delegations/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="delegation-withdraw"),
    path("delegations/<int:pk>/readmit/", views.ReadmitView.as_view(), name="delegation-readmit"),
    path(
        "delegations/<int:pk>/exclusions/",
        views.ExclusionListView.as_view(),
        name="delegation-exclusion-list",
    ),
    path(
        "delegations/<int:pk>/exclusions/<int:exclusion_id>/",
        views.ExclusionDetailView.as_view(),
        name="delegation-exclusion-detail",
    ),
    path(
        "delegations/<int:pk>/candidates/",
        views.CandidateListView.as_view(),
        name="delegation-candidate-list",
    ),
    path(
        "delegations/<int:pk>/candidates/propose/",
        views.CandidateProposeView.as_view(),
        name="delegation-candidate-propose",
    ),
    path("delegations/<int:pk>/invite-head/", views.InviteHeadView.as_view(), name="delegation-invite-head"),
    path(
        "delegations/<int:pk>/candidates/<int:candidate_id>/",
        views.CandidateDetailView.as_view(),
        name="delegation-candidate-detail",
    ),
    path(
        "delegation-programmes/publish/",
        views.PublishAllView.as_view(),
        name="delegation-programmes-publish",
    ),
    path(
        "delegations/<int:pk>/visit-requests/",
        views.DelegationRequestListView.as_view(),
        name="delegation-visit-request-list",
    ),
    path("visit-requests/", views.VisitRequestListView.as_view(), name="visit-request-list"),
    path(
        "visit-requests/<int:request_id>/answer/",
        views.VisitRequestAnswerView.as_view(),
        name="visit-request-answer",
    ),
    path("hosting-windows/", views.HostingWindowListView.as_view(), name="hosting-window-list"),
    path(
        "hosting-windows/<int:window_id>/",
        views.HostingWindowDetailView.as_view(),
        name="hosting-window-detail",
    ),
    path("hosting-capacities/", views.HostingCapacityListView.as_view(), name="hosting-capacity-list"),
    path(
        "hosting-capacities/<str:number>/",
        views.HostingCapacityDetailView.as_view(),
        name="hosting-capacity-detail",
    ),
    path("hosting-wishes/", views.HostWishListView.as_view(), name="hosting-wish-list"),
    path(
        "hosting-wishes/delegations/",
        views.DelegationsToHostView.as_view(),
        name="hosting-wish-delegations",
    ),
    path("hosting-wishes/<int:wish_id>/", views.HostWishDetailView.as_view(), name="hosting-wish-detail"),
    path("delegation-visits/", views.HallVisitsView.as_view(), name="delegation-hall-visits"),
    path("delegation-planning/", views.PlanningView.as_view(), name="delegation-planning"),
    path(
        "delegation-planning/<int:run_id>/", views.PlanningRunView.as_view(), name="delegation-planning-run"
    ),
]
