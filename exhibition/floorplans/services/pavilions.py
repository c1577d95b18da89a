"""National pavilions ("German Pavilion"): a name (and its French form, read on French pages), a country, a colour on the plan and the desk's
contact. Stands join one in the stand form; removing a pavilion leaves its stands on the plan,
without a pavilion."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django_countries import countries

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.colours import HEX_COLOUR
from exhibition.core.errors import ConflictError, DomainError
from exhibition.events.models import Event

from ..models import Pavilion, Stand
from ..selectors import next_pavilion_colour

_UNSET: Any = object()
FIELDS = ("name", "name_fr", "country", "colour", "contact_name", "contact_email")


def _text(field: str, value: Any, limit: int) -> str:
    text = str(value if value is not None else "").strip()
    if len(text) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return text


def _clean(field: str, value: Any) -> str:
    if field == "name":
        name = _text("name", value, 150)
        if not name:
            raise DomainError(_("Enter a name."), field="name")
        return name
    if field == "name_fr":
        return _text("name_fr", value, 150)
    if field == "country":
        code = _text("country", value, 2).upper()
        if code and code not in countries:
            raise DomainError(_("Choose a country from the list."), field="country")
        return code
    if field == "colour":
        colour = _text("colour", value, 7)
        if not HEX_COLOUR.match(colour):
            raise DomainError(_("Enter a colour as #rrggbb, e.g. #0ea5e9."), field="colour")
        return colour
    if field == "contact_email":
        email = _text("contact_email", value, 254)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise DomainError(_("Enter a valid e-mail address."), field="contact_email") from None
        return email
    return _text(field, value, 150)


def _check_names_free(event: Event, values: dict[str, str], own: int | None = None) -> None:
    """No other pavilion of the show is called by the same name or French name, in any case or
    language (the stand import finds a pavilion by either)."""
    others = Pavilion.objects.filter(event=event)
    if own is not None:
        others = others.exclude(pk=own)
    for field, message in (
        ("name", _("A pavilion with this name exists.")),
        ("name_fr", _("A pavilion with this French name exists.")),
    ):
        text = values.get(field)
        if text and others.filter(Q(name__iexact=text) | Q(name_fr__iexact=text)).exists():
            raise DomainError(message, field=field)


def create_pavilion(
    *,
    event: Event,
    actor: User | None,
    name: str,
    name_fr: str = "",
    country: str = "",
    colour: str | None = None,
    contact_name: str = "",
    contact_email: str = "",
) -> Pavilion:
    """A new pavilion; without a colour, the next one of the palette that the show's pavilions
    do not use yet."""
    if colour is None:
        colour = next_pavilion_colour(event)
    values = {
        field: _clean(field, value)
        for field, value in zip(
            FIELDS, (name, name_fr, country, colour, contact_name, contact_email), strict=True
        )
    }
    with transaction.atomic():
        _check_names_free(event, values)
        try:
            with transaction.atomic():
                pavilion = Pavilion.objects.create(event=event, **values)
        except IntegrityError:  # another organiser took the name meanwhile
            raise ConflictError(_("A pavilion with this name exists."), field="name") from None
        audit.record(actor=actor, action="pavilion.created", obj=pavilion, event=event)
    return pavilion


def update_pavilion(
    *,
    pavilion: Pavilion,
    actor: User | None,
    name: Any = _UNSET,
    name_fr: Any = _UNSET,
    country: Any = _UNSET,
    colour: Any = _UNSET,
    contact_name: Any = _UNSET,
    contact_email: Any = _UNSET,
) -> Pavilion:
    given = dict(zip(FIELDS, (name, name_fr, country, colour, contact_name, contact_email), strict=True))
    values = {field: _clean(field, value) for field, value in given.items() if value is not _UNSET}
    with transaction.atomic():
        current = Pavilion.objects.select_for_update().get(pk=pavilion.pk)
        _check_names_free(current.event, values, own=current.pk)
        changes = {
            field: [str(getattr(current, field)), value]
            for field, value in values.items()
            if str(getattr(current, field)) != value
        }
        if not changes:
            return current
        for field in changes:
            setattr(current, field, values[field])
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise ConflictError(_("A pavilion with this name exists."), field="name") from None
        # contacts are personal data: the log says they changed, not to what
        logged = {k: (v if not k.startswith("contact_") else ["…", "…"]) for k, v in changes.items()}
        audit.record(actor=actor, action="pavilion.changed", obj=current, event=current.event, changes=logged)
    return current


def delete_pavilion(*, pavilion: Pavilion, actor: User | None) -> int:
    """Remove the pavilion; its stands stay on the plan without one. Returns how many they were."""
    with transaction.atomic():
        current = Pavilion.objects.select_for_update(of=("self",)).select_related("event").get(pk=pavilion.pk)
        # the version moves: an editor who opened one of these stands saw its old pavilion
        unassigned = Stand.objects.filter(pavilion=current).update(pavilion=None, version=F("version") + 1)
        audit.record(
            actor=actor, action="pavilion.deleted", obj=current, event=current.event, stands=unassigned
        )
        current.delete()
    return unassigned
