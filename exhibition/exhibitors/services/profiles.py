"""The public exhibitor profile: its text, products and contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit
from exhibition.core.errors import DomainError, require_perm
from exhibition.core.uploads import reencode_image
from exhibition.events.models import Sector

from ..models import (
    Application,
    ExhibitorProfile,
    Product,
    ProfileContact,
)
from .common import LOGO_MAX_BYTES, clean_contacts

# --- profiles ------------------------------------------------------------------------------------


def refresh_search_text(*, profile: ExhibitorProfile) -> None:
    org = profile.organisation
    app = Application.objects.filter(organisation=org).first()
    parts = [org.name]
    if app:
        parts += [app.legal_name, app.trading_name, app.products]
    for p in profile.products.all().prefetch_related("sectors"):
        parts += [p.name, p.description] + [f"{s.name_en} {s.name_fr}" for s in p.sectors.all()]
    parts += [f"{s.name_en} {s.name_fr}" for s in org.sectors.all()]
    text = " ".join(x for x in parts if x)
    # The time stamp too: the public directory's cached pages are keyed by it (selectors.directory_stamp).
    ExhibitorProfile.objects.filter(pk=profile.pk).update(search_text=text, updated_at=timezone.now())
    profile.search_text = text


def _profile_to_edit(organisation: Organisation) -> ExhibitorProfile:
    profile, _created = ExhibitorProfile.objects.get_or_create(
        organisation=organisation,
        defaults={"event_id": organisation.event_id, "website": organisation.website},
    )
    return profile


def update_profile(
    *,
    organisation: Organisation,
    actor: User,
    description_en: str | None = None,
    description_fr: str | None = None,
    website: str | None = None,
    logo: Any = None,
    remove_logo: bool = False,
) -> ExhibitorProfile:
    require_perm(actor, "exhibitors.change_profile", organisation)
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            raise DomainError(_("Enter a valid web address."), field="website") from None
    if logo is not None:
        if logo.size > LOGO_MAX_BYTES:
            raise DomainError(_("The logo must be smaller than 2 MB."), field="logo")
        # Stored as a PNG drawn from its pixels, under a name the server chooses: never the
        # uploader's bytes, name or extension (a "logo.html" must not become a page of the site).
        logo = reencode_image(logo, field="logo", name="logo.png")
    with transaction.atomic():
        profile = _profile_to_edit(organisation)
        profile = ExhibitorProfile.objects.select_for_update().get(pk=profile.pk)
        if description_en is not None:
            profile.description_en = description_en.strip()
        if description_fr is not None:
            profile.description_fr = description_fr.strip()
        if website is not None:
            profile.website = website.strip()
        old_logo = profile.logo.name if profile.logo else ""
        if remove_logo:
            profile.logo = ""
        if logo is not None:
            profile.logo.save(logo.name, logo, save=False)
        if old_logo and old_logo != profile.logo.name:
            storage = profile.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
        profile.save()
        refresh_search_text(profile=profile)
        audit.record(actor=actor, action="profile.updated", obj=profile, event=organisation.event)
    return profile


def add_product(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    description: str = "",
    sectors: list[Sector] | None = None,
) -> Product:
    require_perm(actor, "exhibitors.change_profile", organisation)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the product's name."), field="name")
    if sectors and any(s.event_id != organisation.event_id for s in sectors):
        raise DomainError(_("Choose sectors of this event."), field="sectors")
    with transaction.atomic():
        profile = _profile_to_edit(organisation)
        if profile.products.filter(name__iexact=name[:150]).exists():
            raise DomainError(_("Your profile already lists a product of this name."), field="name")
        product = Product.objects.create(profile=profile, name=name[:150], description=description.strip())
        if sectors:
            product.sectors.set(sectors)
        refresh_search_text(profile=profile)
        audit.record(actor=actor, action="profile.product_added", obj=product, event=organisation.event)
    return product


def delete_product(*, product: Product, actor: User) -> None:
    org = product.profile.organisation
    require_perm(actor, "exhibitors.change_profile", org)
    with transaction.atomic():
        audit.record(actor=actor, action="profile.product_deleted", obj=product, event=org.event)
        product.delete()
        refresh_search_text(profile=product.profile)


def add_contact(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    is_public: bool = False,
) -> ProfileContact:
    require_perm(actor, "exhibitors.change_profile", organisation)
    contact = clean_contacts([{"name": name, "email": email, "phone": phone, "role": role}])[0]
    with transaction.atomic():
        profile = _profile_to_edit(organisation)
        obj = ProfileContact.objects.create(profile=profile, is_public=bool(is_public), **contact)
        audit.record(actor=actor, action="profile.contact_added", obj=obj, event=organisation.event)
    return obj


def delete_contact(*, contact: ProfileContact, actor: User) -> None:
    org = contact.profile.organisation
    require_perm(actor, "exhibitors.change_profile", org)
    with transaction.atomic():
        audit.record(actor=actor, action="profile.contact_deleted", obj=contact, event=org.event)
        contact.delete()
