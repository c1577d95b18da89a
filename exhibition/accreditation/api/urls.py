"""API endpoints of accreditation, mounted under /api/v1/events/<event_slug>/."""

from django.urls import path

from . import views

P = "accreditation/"

urlpatterns = [
    path(P + "set-up/", views.SetUpView.as_view(), name="accreditation-set-up"),
    path(P + "issue-missing/", views.IssueMissingView.as_view(), name="accreditation-issue-missing"),
    path(P + "categories/", views.CategoryListView.as_view(), name="accreditation-categories"),
    path(P + "categories/<int:pk>/", views.CategoryDetailView.as_view(), name="accreditation-category"),
    path(P + "zones/", views.ZoneListView.as_view(), name="accreditation-zones"),
    path(P + "zones/<int:pk>/", views.ZoneDetailView.as_view(), name="accreditation-zone"),
    path(P + "days/", views.DayListView.as_view(), name="accreditation-days"),
    path(P + "days/<int:pk>/", views.DayDetailView.as_view(), name="accreditation-day"),
    path(P + "rules/", views.RuleListView.as_view(), name="accreditation-rules"),
    path(P + "rules/<int:pk>/", views.RuleDetailView.as_view(), name="accreditation-rule"),
    path(P + "gates/", views.GateListView.as_view(), name="accreditation-gates"),
    path(P + "gates/<int:pk>/", views.GateDetailView.as_view(), name="accreditation-gate"),
    path(P + "badges/", views.BadgeListView.as_view(), name="accreditation-badges"),
    path(P + "badges/<int:pk>/", views.BadgeDetailView.as_view(), name="accreditation-badge"),
    path(
        P + "badges/<int:pk>/reissue/", views.BadgeReissueView.as_view(), name="accreditation-badge-reissue"
    ),
    path(P + "badges/<int:pk>/revoke/", views.BadgeRevokeView.as_view(), name="accreditation-badge-revoke"),
    path(P + "badges/<int:pk>/photo/", views.BadgePhotoView.as_view(), name="accreditation-badge-photo"),
    path(P + "badges/<int:pk>/send/", views.BadgeSendView.as_view(), name="accreditation-badge-send"),
    path(P + "badges/<int:pk>/pdf/", views.BadgePdfView.as_view(), name="accreditation-badge-pdf"),
    path(P + "my-badge/", views.MyBadgeView.as_view(), name="accreditation-my-badge"),
    path(P + "my-badge/send/", views.MyBadgeSendView.as_view(), name="accreditation-my-badge-send"),
    path(
        P + "my-badge/leads-opt-out/", views.MyBadgeLeadsView.as_view(), name="accreditation-my-badge-leads"
    ),
    path(
        P + "organisations/<int:org>/badges/",
        views.OrganisationBadgesView.as_view(),
        name="accreditation-organisation-badges",
    ),
    path(
        P + "organisations/<int:org>/badges/issue-requested/",
        views.OrganisationIssueRequestedView.as_view(),
        name="accreditation-organisation-issue-requested",
    ),
    path(
        P + "organisations/<int:org>/badges/<int:pk>/cancel/",
        views.OrganisationBadgeCancelView.as_view(),
        name="accreditation-organisation-badge-cancel",
    ),
    path(
        P + "organisations/<int:org>/badges/<int:pk>/send/",
        views.OrganisationBadgeSendView.as_view(),
        name="accreditation-organisation-badge-send",
    ),
    path(
        P + "organisations/<int:org>/members/<int:member>/photo/",
        views.OrganisationMemberPhotoView.as_view(),
        name="accreditation-organisation-member-photo",
    ),
    path(P + "keys/", views.KeyListView.as_view(), name="accreditation-keys"),
    path(P + "keys/rotate/", views.KeyRotateView.as_view(), name="accreditation-key-rotate"),
    path(P + "keys/<int:pk>/withdraw/", views.KeyWithdrawView.as_view(), name="accreditation-key-withdraw"),
    path(P + "print-jobs/", views.PrintJobListView.as_view(), name="accreditation-print-jobs"),
    path(P + "print-jobs/<int:pk>/", views.PrintJobDetailView.as_view(), name="accreditation-print-job"),
    path(
        P + "print-jobs/<int:pk>/download/",
        views.PrintJobDownloadView.as_view(),
        name="accreditation-print-job-download",
    ),
    path(P + "devices/", views.DeviceListView.as_view(), name="accreditation-devices"),
    path(P + "devices/<int:pk>/", views.DeviceDetailView.as_view(), name="accreditation-device"),
    path(P + "devices/<int:pk>/new-code/", views.DeviceCodeView.as_view(), name="accreditation-device-code"),
    path(P + "scans/", views.ScanListView.as_view(), name="accreditation-scans"),
    path(P + "live/", views.LiveView.as_view(), name="accreditation-live"),
    path(P + "leads/", views.LeadListView.as_view(), name="accreditation-leads"),
    path(P + "leads/<int:pk>/", views.LeadDetailView.as_view(), name="accreditation-lead"),
    path(P + "checkin/register/", views.RegisterView.as_view(), name="accreditation-register"),
    path(P + "checkin/sync/", views.SyncView.as_view(), name="accreditation-sync"),
    path(P + "checkin/redeem/", views.RedeemView.as_view(), name="accreditation-redeem"),
]
