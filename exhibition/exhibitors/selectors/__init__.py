"""Reads for exhibitors: settings and badge quotas, the application queue, screening, the
portal's profile and checklist, the public directory, exports and the dashboard's figures.
One module per concept; import them from here."""

from . import dashboard  # noqa: F401 - registers the organiser dashboard's figures, to-dos and chart
from .applications import (
    PENDING,
    PENDING_STATES,
    QUEUE_ORDER,
    QueueFilters,
    application_detail,
    application_of_user,
    applications_for_review,
    applications_for_user,
    latest_run,
    open_hits,
    queue_tabs,
    restricted_parties,
    state_counts,
)
from .common import (
    TAKEN,
    Quota,
    badge_quota,
    badge_quota_for,
    badges_for,
    document_upload_limit,
    settings_for,
    stand_area_for,
    stands_of,
)
from .directory import (
    DirectoryFilters,
    DirectoryStamp,
    directory,
    directory_facets,
    directory_stamp,
    public_exhibitor,
    search_profiles,
)
from .exports import export_applications_csv, export_badges_csv, export_exhibitors_csv
from .portal import ChecklistItem, checklist, profile_for, profile_or_blank

__all__ = [
    "ChecklistItem",
    "DirectoryFilters",
    "DirectoryStamp",
    "PENDING",
    "PENDING_STATES",
    "QUEUE_ORDER",
    "QueueFilters",
    "Quota",
    "TAKEN",
    "application_detail",
    "application_of_user",
    "applications_for_review",
    "applications_for_user",
    "badge_quota",
    "badge_quota_for",
    "badges_for",
    "checklist",
    "directory",
    "directory_facets",
    "directory_stamp",
    "document_upload_limit",
    "export_applications_csv",
    "export_badges_csv",
    "export_exhibitors_csv",
    "latest_run",
    "open_hits",
    "profile_for",
    "profile_or_blank",
    "public_exhibitor",
    "queue_tabs",
    "restricted_parties",
    "search_profiles",
    "settings_for",
    "stand_area_for",
    "stands_of",
    "state_counts",
]
