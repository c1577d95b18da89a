"""The exhibitor portal: the company's profile and its checklist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation

from ..models import (
    Application,
    ExhibitorProfile,
    Product,
)
from .common import badge_quota_for, settings_for

# --- portal ---------------------------------------------------------------------------------


def profile_for(organisation: Organisation) -> ExhibitorProfile | None:
    return (
        ExhibitorProfile.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.prefetch_related("sectors")), "contacts"
        )
        .first()
    )


def profile_or_blank(organisation: Organisation) -> ExhibitorProfile:
    """The company's profile, or an unsaved blank one (with its company's website) to show
    before the first edit: a read never creates it."""
    return profile_for(organisation) or ExhibitorProfile(
        organisation=organisation, event_id=organisation.event_id, website=organisation.website
    )


@dataclass
class ChecklistItem:
    label: str
    done: bool
    due: date | datetime | None = None
    url_name: str = ""


def checklist(organisation: Organisation) -> list[ChecklistItem]:
    conf = settings_for(organisation.event_id)
    app = Application.objects.filter(organisation=organisation).first()
    profile = ExhibitorProfile.objects.filter(organisation=organisation).first()
    quota = badge_quota_for(organisation, conf)
    submitted = bool(app and app.state not in (Application.State.DRAFT,))
    return [
        ChecklistItem(_("Submit your application"), submitted, conf.application_deadline, "exhibitors:apply"),
        ChecklistItem(_("Application approved"), bool(app and app.state == Application.State.APPROVED)),
        ChecklistItem(_("Book your stand"), quota.area > 0),
        ChecklistItem(
            _("Complete your public profile (description and logo)"),
            bool(profile and profile.description_en and profile.logo),
            conf.profile_deadline,
            "exhibitors:portal_profile",
        ),
        ChecklistItem(
            _("Request your badges"),
            quota.total > 0 and quota.used >= quota.total,
            conf.badge_deadline,
            "exhibitors:portal_badges",
        ),
    ]
