"""The exhibitor portal: the company's profile and its checklist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from exhibition.accounts.models import Invitation, Membership, Organisation
from exhibition.events.models import Event

from ..models import (
    Application,
    BadgeRequest,
    ExhibitorProfile,
    Product,
    ProfileContact,
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
    url: str = ""


def checklist(organisation: Organisation) -> list[ChecklistItem]:
    conf = settings_for(organisation.event_id)
    app = Application.objects.filter(organisation=organisation).first()
    profile = ExhibitorProfile.objects.filter(organisation=organisation).first()
    quota = badge_quota_for(organisation, conf)
    submitted = bool(app and app.state not in (Application.State.DRAFT,))
    slug = {"event_slug": organisation.event.slug}
    company = {**slug, "org": organisation.pk}
    return [
        ChecklistItem(
            _("Submit your application"),
            submitted,
            conf.application_deadline,
            reverse("exhibitors:apply", kwargs=slug),
        ),
        ChecklistItem(_("Application approved"), bool(app and app.state == Application.State.APPROVED)),
        ChecklistItem(_("Book your stand"), quota.area > 0),
        ChecklistItem(
            _("Complete your public profile (description and logo)"),
            bool(profile and profile.description_en and profile.logo),
            conf.profile_deadline,
            reverse("exhibitors:portal_profile", kwargs=company),
        ),
        ChecklistItem(
            _("Request your badges"),
            quota.total > 0 and quota.used >= quota.total,
            conf.badge_deadline,
            reverse("exhibitors:portal_badges", kwargs=company),
        ),
    ]


# --- the company and its lists ----------------------------------------------------------------


def company_at(event: Event, pk: Any) -> Organisation | None:
    """The event's company ``pk`` (an exhibiting organisation), or None; the caller checks who
    may see it."""
    return Organisation.objects.filter(pk=pk, event=event, kind=Organisation.Kind.COMPANY).first()


def product_of(organisation: Organisation, pk: Any) -> Product:
    """One product of the company's profile (404 otherwise)."""
    product = Product.objects.filter(pk=pk, profile__organisation=organisation).first()
    if product is None:
        raise Http404
    return product


def contact_of(organisation: Organisation, pk: Any) -> ProfileContact:
    """One contact of the company's profile (404 otherwise)."""
    contact = ProfileContact.objects.filter(pk=pk, profile__organisation=organisation).first()
    if contact is None:
        raise Http404
    return contact


def products_of(organisation: Organisation) -> QuerySet[Product]:
    """The products of the company's profile, by name, with their sectors."""
    return (
        Product.objects.filter(profile__organisation=organisation)
        .prefetch_related("sectors")
        .order_by("name", "pk")
    )


def contacts_of(organisation: Organisation) -> QuerySet[ProfileContact]:
    """The contacts of the company's profile, by name."""
    return ProfileContact.objects.filter(profile__organisation=organisation).order_by("name", "pk")


def badge_of(organisation: Organisation, pk: Any) -> BadgeRequest:
    """One badge request of the company (404 otherwise)."""
    badge = BadgeRequest.objects.filter(pk=pk, organisation=organisation).first()
    if badge is None:
        raise Http404
    return badge


def staff_of(organisation: Organisation) -> QuerySet[Membership]:
    """The company's members with their users, by e-mail."""
    return Membership.objects.filter(organisation=organisation).select_related("user").order_by("user__email")


def open_invitations_of(organisation: Organisation) -> QuerySet[Invitation]:
    """The company's invitations neither accepted nor revoked, newest first."""
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
    ).order_by("-created_at")
