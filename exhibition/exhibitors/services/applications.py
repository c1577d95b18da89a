"""Exhibitor applications: the show's exhibitor settings, starting, editing and submitting an
application, its documents, and the organiser's decisions on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from exhibition.accounts import admission
from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Membership, Organisation, User
from exhibition.accounts.roles import forget_roles
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.notifications import queue_email
from exhibition.core.uploads import is_pdf
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event

from ..models import (
    Application,
    ApplicationDocument,
    ExhibitorProfile,
    ExhibitorSettings,
    ScreeningHit,
)
from ..selectors import settings_for
from .common import S, clean_contacts
from .profiles import refresh_search_text
from .screening import screen_application

# --- settings ---------------------------------------------------------------------------


def update_settings(*, event: Event, actor: User, **changes: Any) -> ExhibitorSettings:
    require_perm(actor, "exhibitors.change_settings", event)
    allowed = {f.name for f in ExhibitorSettings._meta.fields} - {
        "id",
        "event",
        "list_version",
        "embargoed_countries",
    }
    with transaction.atomic():
        obj, _created = ExhibitorSettings.objects.select_for_update().get_or_create(event=event)
        for key, value in changes.items():
            if key not in allowed:
                raise DomainError(_("Unknown setting."), field=key)
            setattr(obj, key, value)
        try:
            obj.full_clean(exclude=["event"])
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            raise DomainError(messages[0], field=field) from None
        obj.save()
        audit.record(
            actor=actor,
            action="exhibitors.settings_changed",
            obj=obj,
            event=event,
            changes={k: str(v) for k, v in changes.items()},
        )
    return obj


# --- applications -------------------------------------------------------------------------

COMPANY_FIELDS = (
    "legal_name",
    "trading_name",
    "country",
    "address",
    "registration_number",
    "vat_number",
    "website",
)
EDITABLE_FIELDS = (
    *COMPANY_FIELDS,
    "contacts",
    "co_exhibitors",
    "products",
    "exhibits",
    "stand_kind",
    "stand_area",
    "pavilion",
    "open_sides",
)
M2M_FIELDS = ("sectors", "preferred_halls")


def _clean_company(data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for key in ("legal_name", "trading_name", "address", "registration_number", "vat_number", "website"):
        if key in out:
            out[key] = (out[key] or "").strip()
    if "legal_name" in out and not out["legal_name"]:
        raise DomainError(_("Enter the company's legal name."), field="legal_name")
    if "country" in out:
        code = str(out["country"] or "").upper()
        if code not in dict(countries):
            raise DomainError(_("Choose the country of registration."), field="country")
        out["country"] = code
    if out.get("website"):
        try:
            URLValidator()(out["website"])
        except ValidationError:
            raise DomainError(_("Enter a valid web address."), field="website") from None
    return out


def _country_code(typed: str) -> str:
    """The ISO code of a country typed as its code or its name, in English or French ("" if none)."""
    if not typed:
        return ""
    if typed.upper() in dict(countries):
        return typed.upper()
    for language in ("en", "fr"):
        code = countries.by_name(typed, language=language)
        if code:
            return code
    return ""


def _clean_co_exhibitors(items: Any) -> list[dict[str, str]]:
    out = []
    for c in items or []:
        name = str(c.get("name", "")).strip()
        typed = str(c.get("country", "")).strip()
        code = _country_code(typed)
        if not name:
            raise DomainError(_("Every co-exhibitor needs a name."), field="co_exhibitors")
        if typed and not code:
            raise DomainError(
                _("Unknown country “%(country)s”: give its name or its two-letter code (for example DE).")
                % {"country": typed},
                field="co_exhibitors",
            )
        out.append({"name": name[:200], "country": code})
    return out


def _org_name_free(event: Event, name: str, exclude_pk: int | None = None) -> None:
    qs = Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY, name__iexact=name)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise DomainError(
            _("A company with this name is already registered for this event."), field="legal_name"
        )


def start_application(
    *,
    event: Event,
    actor: User,
    legal_name: str,
    country: str,
    trading_name: str = "",
    address: str = "",
    registration_number: str = "",
    vat_number: str = "",
    website: str = "",
) -> Application:
    """A signed-up contact starts a draft: creates the company and makes the actor its admin."""
    require_perm(actor, "exhibitors.apply", event, _("Sign in to apply."))
    data = _clean_company(
        {
            "legal_name": legal_name,
            "trading_name": trading_name,
            "country": country,
            "address": address,
            "registration_number": registration_number,
            "vat_number": vat_number,
            "website": website,
        }
    )
    if Application.objects.filter(event=event, organisation__memberships__user=actor).exists():
        raise ConflictError(_("You already have an application for this event."))
    name = data["trading_name"] or data["legal_name"]
    _org_name_free(event, name)
    try:
        with transaction.atomic():
            org = account_services.create_organisation(
                event=event,
                actor=actor,
                kind=Organisation.Kind.COMPANY,
                name=name,
                country=data["country"],
                website=data["website"],
            )
            account_services.grant_role(
                event=event, user=actor, role=Invitation.Role.COMPANY_ADMIN, organisation=org
            )
            application = Application.objects.create(event=event, organisation=org, created_by=actor, **data)
            contact = {"name": actor.get_full_name(), "email": actor.email, "phone": "", "role": ""}
            application.contacts = [contact]
            application.save(update_fields=["contacts"])
            audit.record(actor=actor, action="application.started", obj=application, event=event)
    except IntegrityError:
        raise DomainError(
            _("A company with this name is already registered for this event."), field="legal_name"
        ) from None
    forget_roles(actor)
    return application


def update_application(*, application: Application, actor: User, **changes: Any) -> Application:
    """Save one step of the draft (any subset of the editable fields)."""
    require_perm(actor, "exhibitors.change_application", application)
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    changes = _clean_company(changes)
    if "contacts" in changes:
        changes["contacts"] = clean_contacts(changes["contacts"])
    if "co_exhibitors" in changes:
        changes["co_exhibitors"] = _clean_co_exhibitors(changes["co_exhibitors"])
    if "stand_area" in changes:
        try:
            area = int(changes["stand_area"])
        except (TypeError, ValueError):
            area = 0
        if area < 6 or area > 2000:
            raise DomainError(_("Ask for 6 to 2,000 m²."), field="stand_area")
        changes["stand_area"] = area
    if "open_sides" in changes and int(changes["open_sides"] or 0) not in (1, 2, 3, 4):
        raise DomainError(_("Choose 1 to 4 open sides."), field="open_sides")
    if "stand_kind" in changes and changes["stand_kind"] not in Application.StandKind.values:
        raise DomainError(_("Choose shell scheme or raw space."), field="stand_kind")
    event_id = application.event_id
    if changes.get("pavilion") is not None and changes["pavilion"].event_id != event_id:
        raise DomainError(_("Choose a pavilion of this event."), field="pavilion")
    sectors = changes.pop("sectors", None)
    halls = changes.pop("preferred_halls", None)
    if sectors is not None and any(s.event_id != event_id for s in sectors):
        raise DomainError(_("Choose sectors of this event."), field="sectors")
    if halls is not None and any(h.event_id != event_id for h in halls):
        raise DomainError(_("Choose halls of this event."), field="preferred_halls")
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.is_editable:
            raise ConflictError(_("This application has been submitted and can no longer be changed."))
        for key, value in changes.items():
            setattr(application, key, value)
        application.save()
        if sectors is not None:
            application.sectors.set(sectors)
        if halls is not None:
            application.preferred_halls.set(halls)
        if {"legal_name", "trading_name", "country", "website"} & set(changes):
            org = Organisation.objects.select_for_update().get(pk=application.organisation_id)
            name = application.display_name
            if org.name != name:
                _org_name_free(application.event, name, exclude_pk=org.pk)
                org.name = name
            org.country = application.country
            org.website = application.website
            org.save(update_fields=["name", "country", "website", "updated_at"])
        audit.record(
            actor=actor,
            action="application.saved",
            obj=application,
            event=application.event,
            fields=sorted(
                set(changes)
                | ({"sectors"} if sectors is not None else set())
                | ({"preferred_halls"} if halls is not None else set())
            ),
        )
    return application


def add_document(
    *, application: Application, actor: User, uploaded_file: Any, kind: str = ApplicationDocument.Kind.OTHER
) -> ApplicationDocument:
    """Store a PDF privately after checking its size and its content (not just its name)."""
    require_perm(actor, "exhibitors.add_document", application)
    if application.state not in (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED):
        raise ConflictError(_("Documents can no longer be added to this application."))
    if kind not in ApplicationDocument.Kind.values:
        raise DomainError(_("Choose the kind of document."), field="kind")
    limit = settings_for(application.event_id).max_document_mb * 1024 * 1024
    size = getattr(uploaded_file, "size", 0) or 0
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    if size > limit:
        raise DomainError(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field="file"
        )
    if not is_pdf(uploaded_file, size):
        raise DomainError(_("Upload a PDF document."), field="file")
    original = (getattr(uploaded_file, "name", "") or "document.pdf").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        doc = ApplicationDocument(
            application=application, kind=kind, original_name=original, size=size, uploaded_by=actor
        )
        doc.file.save(original, uploaded_file, save=False)
        doc.save()
        audit.record(
            actor=actor,
            action="application.document_added",
            obj=doc,
            event=application.event,
            name=original,
            size=size,
        )
    return doc


def delete_document(*, document: ApplicationDocument, actor: User) -> None:
    require_perm(actor, "exhibitors.add_document", document.application)
    if not document.application.is_editable:
        raise ConflictError(_("Documents of a submitted application are kept."))
    name = document.file.name
    storage = document.file.storage
    with transaction.atomic():
        audit.record(
            actor=actor, action="application.document_deleted", obj=document, event=document.application.event
        )
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


def _missing_for_submission(application: Application) -> list[tuple[str, str]]:
    missing = []
    if not application.address:
        missing.append(("address", _("Enter the company's address.")))
    if not (application.registration_number or application.vat_number):
        missing.append(("registration_number", _("Enter a registration or VAT number.")))
    if not application.contacts:
        missing.append(("contacts", _("Add at least one contact.")))
    if not application.sectors.exists():
        missing.append(("sectors", _("Choose at least one sector.")))
    if not application.products.strip():
        missing.append(("products", _("Describe your products.")))
    return missing


def _notify(application: Application, action: str) -> None:
    emails = list(
        Membership.objects.filter(
            organisation_id=application.organisation_id, role=Membership.Role.ADMIN
        ).values_list("user__email", flat=True)
    )
    for email in sorted(set(emails)):
        queue_email(
            to=email,
            kind=f"application_{action}",
            template="exhibitors_application",
            event=application.event,
            context={
                "application": application,
                "name": application.display_name,
                "action": action,
                "state": application.get_state_display(),
                "reason": application.reason,
            },
        )


def submit_application(*, application: Application, actor: User, accept_terms: bool) -> Application:
    """Draft -> submitted (or waitlisted when past the deadline); screens it straight away."""
    require_perm(actor, "exhibitors.submit_application", application)
    conf = settings_for(application.event_id)
    if not accept_terms:
        raise DomainError(_("Accept the terms and conditions to submit."), field="accept_terms")
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("event").get(pk=application.pk)
        if application.state != S.DRAFT:
            raise ConflictError(_("This application has already been submitted."))
        missing = _missing_for_submission(application)
        if missing:
            field, message = missing[0]
            raise DomainError(message, field=field)
        now = timezone.now()
        application.terms_accepted_at = now
        application.terms_version = conf.terms_version
        application.submitted_at = now
        application.is_late = bool(conf.application_deadline and now > conf.application_deadline)
        if application.is_late:
            application.state = S.WAITLISTED
            application.reason = _("Received after the application deadline: you are on the waiting list.")
        else:
            application.state = S.SUBMITTED
        application.save()
        screen_application(application=application)
        audit.record(
            actor=actor,
            action="application.submitted",
            obj=application,
            event=application.event,
            late=application.is_late,
            state=application.state,
        )
        emit_webhook(
            event=application.event,
            type=f"application.{application.state}",
            ids={"application": application.pk, "organisation": application.organisation_id},
        )
        _notify(application, "waitlisted" if application.is_late else "submitted")
    return application


# transitions: action -> (states it may start from, resulting state, permission)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "review": ((S.SUBMITTED, S.WAITLISTED), S.UNDER_REVIEW, "exhibitors.review_application"),
    "approve": ((S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED), S.APPROVED, "exhibitors.review_application"),
    "waitlist": ((S.SUBMITTED, S.UNDER_REVIEW), S.WAITLISTED, "exhibitors.review_application"),
    # Rejecting an approved application withdraws the company's admission at once.
    "reject": (
        (S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED, S.APPROVED),
        S.REJECTED,
        "exhibitors.review_application",
    ),
    # A company may withdraw at any time before the decision, and after approval (it then
    # loses its admission: meetings cancelled, hosting closed, directory entry hidden).
    "withdraw": (
        (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.WAITLISTED, S.APPROVED),
        S.WITHDRAWN,
        "exhibitors.withdraw_application",
    ),
}


def transition_application(
    *, application: Application, actor: User, action: str, reason: str = "", notes: str | None = None
) -> Application:
    """Move an application along its workflow; logs it and tells the company by e-mail."""
    if action not in TRANSITIONS:
        raise DomainError(_("Unknown action."), field="action")
    sources, target, perm = TRANSITIONS[action]
    require_perm(actor, perm, application)
    reason = (reason or "").strip()
    if action == "reject" and not reason:
        raise DomainError(_("Give the reason for the rejection (the company will read it)."), field="reason")
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("event").get(pk=application.pk)
        if application.state not in sources:
            raise ConflictError(
                _("A %(state)s application cannot be %(action)s.")
                % {"state": application.get_state_display().lower(), "action": _action_label(action)}
            )
        if action == "approve":
            _check_screening_allows_approval(application)
        previous = application.state
        application.state = target
        if action != "review":
            application.reason = reason
        # Internal notes are the organiser's alone: an applicant withdrawing cannot touch them.
        # django-stubs types has_perm's obj as a user; django-rules takes any object
        if notes is not None and actor.has_perm(
            "exhibitors.review_application",
            application,  # type: ignore[arg-type]
        ):
            application.internal_notes = notes
        if target in (S.APPROVED, S.REJECTED, S.WITHDRAWN):
            application.decided_at = timezone.now()
        application.save()
        audit.record(
            actor=actor,
            action=f"application.{action}",
            obj=application,
            event=application.event,
            **{"from": previous, "to": target, "reason": reason},
        )
        if action == "approve":
            _on_approval(application)
            admission.admit_organisation(
                organisation=application.organisation, actor=actor, reason=_("Application approved")
            )
        elif previous == S.APPROVED:
            admission.revoke_organisation(
                organisation=application.organisation,
                actor=actor,
                reason=reason
                or (_("Application withdrawn") if action == "withdraw" else _("Application rejected")),
            )
        emit_webhook(
            event=application.event,
            type=f"application.{target}",
            ids={"application": application.pk, "organisation": application.organisation_id},
        )
        _notify(application, action)
    return application


def _action_label(action: str) -> str:
    return {
        "review": _("taken under review"),
        "approve": _("approved"),
        "waitlist": _("waitlisted"),
        "reject": _("rejected"),
        "withdraw": _("withdrawn"),
    }[action]


def approve_application(*, application: Application, actor: User, reason: str = "") -> Application:
    return transition_application(application=application, actor=actor, action="approve", reason=reason)


def reject_application(*, application: Application, actor: User, reason: str) -> Application:
    return transition_application(application=application, actor=actor, action="reject", reason=reason)


def withdraw_application(*, application: Application, actor: User, reason: str = "") -> Application:
    return transition_application(application=application, actor=actor, action="withdraw", reason=reason)


def _check_screening_allows_approval(application: Application) -> None:
    statuses = set(application.hits.values_list("status", flat=True))
    if ScreeningHit.Status.OPEN in statuses:
        raise DomainError(
            _("Resolve the screening hits before approving this application."), code="screening_open"
        )
    if ScreeningHit.Status.CONFIRMED in statuses:
        raise DomainError(
            _("This company matches a restricted party: it cannot be approved."), code="screening_confirmed"
        )


def _on_approval(application: Application) -> None:
    org = application.organisation
    org.sectors.set(application.sectors.all())
    profile, _created = ExhibitorProfile.objects.get_or_create(
        organisation=org,
        defaults={
            "event_id": application.event_id,
            "website": application.website,
            "description_en": application.exhibits,
        },
    )
    refresh_search_text(profile=profile)


def bulk_transition(
    *, event: Event, actor: User, ids: list[int], action: str, reason: str = ""
) -> tuple[list[int], list[tuple[int, str]]]:
    """Apply one action to many applications; each one succeeds or fails on its own."""
    if action not in ("approve", "reject", "waitlist", "review"):
        raise DomainError(_("Choose approve, reject, waitlist or review."), field="action")
    require_perm(actor, "exhibitors.review_application", event)
    done, failed = [], []
    for app in Application.objects.filter(event=event, pk__in=ids).order_by("pk"):
        try:
            transition_application(application=app, actor=actor, action=action, reason=reason)
        except DomainError as exc:
            failed.append((app.pk, f"{app.display_name}: {exc.message}"))
        else:
            done.append(app.pk)
    return done, failed


def save_internal_notes(*, application: Application, actor: User, notes: str) -> Application:
    require_perm(actor, "exhibitors.review_application", application)
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(internal_notes=notes, updated_at=timezone.now())
        application.internal_notes = notes
        audit.record(actor=actor, action="application.notes", obj=application, event=application.event)
    return application
