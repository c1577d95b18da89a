"""Accreditation pages: one's badge (wallet and PDF), a company's or delegation's badges, leads,
the scanner page, and the organiser's screens (badges, batch printing, the site's zones and
rules, scanners, live operations). Thin: a form parses, one service acts, redirect or render.

One module per concept; the URLs take the views from here."""

from .badges import (
    BadgePdfView,
    MyBadgePdfView,
    MyBadgeView,
    OrganisationBadgesView,
    OrganisationMixin,
    OrganisationPdfView,
    WalletLinkPdfView,
    WalletLinkView,
)
from .common import MANAGE, pdf_response, qr_svg, wallet_context
from .leads import LeadScannerView, LeadsCsvView, LeadsMixin, LeadsView, ScannerView, scanner_i18n
from .manage import (
    BadgeListView,
    BadgeView,
    CategoryView,
    DevicesView,
    LiveView,
    ManageMixin,
    ManageView,
    NewBadgeView,
    PrintJobDownloadView,
    PrintJobView,
    PrintView,
    SiteView,
)

__all__ = [
    "MANAGE",
    "BadgeListView",
    "BadgePdfView",
    "BadgeView",
    "CategoryView",
    "DevicesView",
    "LeadScannerView",
    "LeadsCsvView",
    "LeadsMixin",
    "LeadsView",
    "LiveView",
    "ManageMixin",
    "ManageView",
    "MyBadgePdfView",
    "MyBadgeView",
    "NewBadgeView",
    "OrganisationBadgesView",
    "OrganisationMixin",
    "OrganisationPdfView",
    "PrintJobDownloadView",
    "PrintJobView",
    "PrintView",
    "ScannerView",
    "SiteView",
    "WalletLinkPdfView",
    "WalletLinkView",
    "pdf_response",
    "qr_svg",
    "scanner_i18n",
    "wallet_context",
]
