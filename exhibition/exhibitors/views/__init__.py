"""Pages of exhibitor registration. Thin: a form parses, one service acts, then redirect.

One module per concept; the URLs take the views from here."""

from .applications import (
    STEP_FORMS,
    ApplicationMixin,
    ApplicationStepView,
    ApplicationView,
    ApplyView,
    DocumentDeleteView,
    DocumentMixin,
    DocumentView,
    WithdrawView,
)
from .common import SignedIn
from .directory import DirectoryView, ProfileView
from .organiser import (
    EXPORTS,
    ExportView,
    ImportJobView,
    ImportView,
    ResolveHitView,
    ReviewDetailView,
    ReviewQueueView,
    ScreeningProgressView,
    ScreeningView,
    SettingsView,
)
from .portal import (
    CompanyMixin,
    PortalBadgesView,
    PortalProfileView,
    PortalRedirectView,
    PortalStaffView,
    PortalView,
)

__all__ = [
    "EXPORTS",
    "STEP_FORMS",
    "ApplicationMixin",
    "ApplicationStepView",
    "ApplicationView",
    "ApplyView",
    "CompanyMixin",
    "DirectoryView",
    "DocumentDeleteView",
    "DocumentMixin",
    "DocumentView",
    "ExportView",
    "ImportJobView",
    "ImportView",
    "PortalBadgesView",
    "PortalProfileView",
    "PortalRedirectView",
    "PortalStaffView",
    "PortalView",
    "ProfileView",
    "ResolveHitView",
    "ReviewDetailView",
    "ReviewQueueView",
    "ScreeningProgressView",
    "ScreeningView",
    "SettingsView",
    "SignedIn",
    "WithdrawView",
]
