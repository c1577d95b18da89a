from django.urls import path

from . import views

app_name = "accreditation"

urlpatterns = [
    path("badge/", views.MyBadgeView.as_view(), name="my_badge"),
    path("badge/pdf/", views.MyBadgePdfView.as_view(), name="my_badge_pdf"),
    path("badge/w/<str:token>/", views.WalletLinkView.as_view(), name="wallet_link"),
    path("badge/w/<str:token>/pdf/", views.WalletLinkPdfView.as_view(), name="wallet_link_pdf"),
    path("badges/<int:pk>/pdf/", views.BadgePdfView.as_view(), name="badge_pdf"),
    path("organisation/<int:org>/", views.OrganisationBadgesView.as_view(), name="organisation"),
    path("organisation/<int:org>/pdf/", views.OrganisationPdfView.as_view(), name="organisation_pdf"),
    path("leads/", views.LeadsView.as_view(), name="leads"),
    path("leads/export.csv", views.LeadsCsvView.as_view(), name="leads_csv"),
    path("leads/scan/", views.LeadScannerView.as_view(), name="lead_scanner"),
    path("scanner/", views.ScannerView.as_view(), name="scanner"),
    path("manage/", views.ManageView.as_view(), name="manage"),
    path("manage/badges/", views.BadgeListView.as_view(), name="badges"),
    path("manage/badges/new/", views.NewBadgeView.as_view(), name="badge_new"),
    path("manage/badges/<int:pk>/", views.BadgeView.as_view(), name="badge"),
    path("manage/print/", views.PrintView.as_view(), name="print"),
    path("manage/print/<int:pk>/", views.PrintJobView.as_view(), name="print_job"),
    path("manage/print/<int:pk>/download/", views.PrintJobDownloadView.as_view(), name="print_download"),
    path("manage/categories/<int:pk>/", views.CategoryView.as_view(), name="category"),
    path("manage/site/", views.SiteView.as_view(), name="site"),
    path("manage/devices/", views.DevicesView.as_view(), name="devices"),
    path("manage/live/", views.LiveView.as_view(), name="live"),
]
