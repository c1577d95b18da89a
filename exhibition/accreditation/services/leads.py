"""Lead capture: an exhibitor's staff scan a trade visitor's badge and keep a note and a rating.
The visitor's contact details go to the company only if the visitor did not opt out."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.accounts.roles import roles_for
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed, require_perm
from exhibition.events.models import Event

from .. import codes, ruleset
from ..holders import holder_admitted
from ..models import Badge, Lead
from .checkin import public_key


def company_of(user: User, event: Event, organisation_id: int | None = None) -> Organisation:
    """The admitted company the person captures leads for (the one named, or their only one)."""
    roles = roles_for(user, event)
    ids = sorted(roles.company_ids)
    if organisation_id is not None:
        if organisation_id not in roles.company_ids:
            raise NotAllowed(_("You do not work for this company at the show."))
        ids = [organisation_id]
    if not ids:
        raise NotAllowed(_("Only exhibitors' staff capture leads."))
    return Organisation.objects.get(pk=ids[0])


def _clean(note: str | None, rating: Any) -> tuple[str | None, int | None]:
    if rating in ("", None):
        rating = None
    else:
        try:
            rating = int(rating)
        except (TypeError, ValueError):
            raise DomainError(_("Rate from 1 to 5."), field="rating") from None
        if not 1 <= rating <= 5:
            raise DomainError(_("Rate from 1 to 5."), field="rating")
    if note is not None:
        note = note.strip()
        if len(note) > 2000:
            raise DomainError(_("Keep the note under 2,000 characters."), field="note")
    return note, rating


def badge_for_code(event: Event, code: str) -> Badge:
    try:
        payload, body, sig = codes.parse(code)
    except codes.BadCode:
        raise DomainError(_("This is not a badge of this show."), field="code", code="invalid") from None
    key = next((k for k in ruleset.get(event)["keys"] if k["kid"] == payload.kid), None)
    if key is None or not codes.verify(body, sig, public_key(key["public_key"])):
        raise DomainError(_("This is not a badge of this show."), field="code", code="invalid")
    badge = (
        Badge.objects.select_related("category", "visitor", "organisation", "user")
        .filter(pk=payload.badge_id, event=event)
        .first()
    )
    if badge is None or badge.status != Badge.Status.VALID:
        raise DomainError(_("This badge is no longer valid."), field="code", code="revoked")
    return badge


def capture_lead(
    *,
    event: Event,
    actor: User,
    code: str,
    note: str = "",
    rating: Any = None,
    organisation: Organisation | None = None,
) -> tuple[Lead, bool]:
    """Record (or update) the lead. Returns ``(lead, created)``."""
    require_perm(actor, "accreditation.capture_leads", event, _("Only exhibitors' staff capture leads."))
    org = organisation or company_of(actor, event)
    if org.event_id != event.pk or org.pk not in roles_for(actor, event).company_ids:
        raise NotAllowed(_("You do not work for this company at the show."))
    cleaned, rating = _clean(note, rating)
    note = cleaned or ""  # a note given is never None
    badge = badge_for_code(event, code)
    if badge.source != Badge.Source.VISITOR or not holder_admitted(badge):
        raise DomainError(
            _("Only trade visitors' badges can be recorded as leads."), field="code", code="not_visitor"
        )
    if badge.leads_opt_out:
        raise ConflictError(_("This visitor does not share their details with exhibitors."), code="opted_out")
    with transaction.atomic():
        lead, created = Lead.objects.select_for_update().get_or_create(
            organisation=org,
            badge=badge,
            defaults={"event": event, "captured_by": actor, "note": note or "", "rating": rating},
        )
        if not created and (note or rating is not None):
            if note:
                lead.note = f"{lead.note}\n{note}".strip() if lead.note and note not in lead.note else note
            if rating is not None:
                lead.rating = rating
            lead.save(update_fields=["note", "rating", "updated_at"])
        audit.record(
            actor=actor,
            action="lead.captured" if created else "lead.rescanned",
            obj=lead,
            event=event,
            company=org.pk,
        )
    return lead, created


def update_lead(*, lead: Lead, actor: User, note: str | None = None, rating: Any = None) -> Lead:
    require_perm(
        actor, "accreditation.view_leads", lead.organisation, _("This lead belongs to another company.")
    )
    note, rating = _clean(note, rating)
    with transaction.atomic():
        if note is not None:
            lead.note = note
        lead.rating = rating
        lead.updated_at = timezone.now()
        lead.save(update_fields=["note", "rating", "updated_at"])
        audit.record(actor=actor, action="lead.updated", obj=lead, event=lead.event)
    return lead


def delete_lead(*, lead: Lead, actor: User) -> None:
    require_perm(
        actor, "accreditation.view_leads", lead.organisation, _("This lead belongs to another company.")
    )
    with transaction.atomic():
        audit.record(actor=actor, action="lead.deleted", obj=lead, event=lead.event)
        lead.delete()
