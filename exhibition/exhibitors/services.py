"""Writes for exhibitor registration. Each service runs in one transaction, checks the
actor's permission, validates, writes, records the audit log and queues e-mail and
background work on commit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from exhibition.accounts import admission
from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Membership, Organisation, User
from exhibition.accounts.roles import forget_roles
from exhibition.core import audit, csvio
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.notifications import queue_email
from exhibition.core.uploads import is_pdf, reencode_image
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event, Sector

from . import matching
from .models import (
    Application,
    ApplicationDocument,
    BadgeRequest,
    ExhibitorProfile,
    ExhibitorSettings,
    Product,
    ProfileContact,
    RestrictedParty,
    ScreeningHit,
    ScreeningRun,
)
from .selectors import badge_quota_for, settings_for

S = Application.State


ImportFailed = csvio.ImportFailed  # a CSV import refused as a whole; ``errors`` = [(row number, message)]


def _require(actor: Any, perm: str, obj: Any, message: str | None = None) -> None:
    if not actor.has_perm(perm, obj):
        raise NotAllowed(message or _("You may not do this."))


# --- settings ---------------------------------------------------------------------------


def update_settings(*, event: Event, actor: User, **changes: Any) -> ExhibitorSettings:
    _require(actor, "exhibitors.change_settings", event)
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
EDITABLE_FIELDS = COMPANY_FIELDS + (
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


def _clean_contacts(contacts: Any) -> list[dict[str, str]]:
    out = []
    for c in contacts or []:
        name = str(c.get("name", "")).strip()
        email = str(c.get("email", "")).strip().lower()
        if not name:
            raise DomainError(_("Every contact needs a name."), field="contacts")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise DomainError(
                    _("%(email)s is not a valid e-mail address.") % {"email": email}, field="contacts"
                ) from None
        out.append(
            {
                "name": name[:150],
                "email": email,
                "phone": str(c.get("phone", "")).strip()[:40],
                "role": str(c.get("role", "")).strip()[:100],
            }
        )
    return out


def _clean_co_exhibitors(items: Any) -> list[dict[str, str]]:
    out = []
    for c in items or []:
        name = str(c.get("name", "")).strip()
        code = str(c.get("country", "")).strip().upper()
        if not name:
            raise DomainError(_("Every co-exhibitor needs a name."), field="co_exhibitors")
        if code and code not in dict(countries):
            raise DomainError(_("Unknown country %(code)s.") % {"code": code}, field="co_exhibitors")
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
    _require(actor, "exhibitors.apply", event, _("Sign in to apply."))
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
    _require(actor, "exhibitors.change_application", application)
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
    changes = _clean_company(changes)
    if "contacts" in changes:
        changes["contacts"] = _clean_contacts(changes["contacts"])
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


LOGO_MAX_BYTES = 2 * 1024 * 1024


def add_document(
    *, application: Application, actor: User, uploaded_file: Any, kind: str = ApplicationDocument.Kind.OTHER
) -> ApplicationDocument:
    """Store a PDF privately after checking its size and its content (not just its name)."""
    _require(actor, "exhibitors.add_document", application)
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
    _require(actor, "exhibitors.add_document", document.application)
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
    _require(actor, "exhibitors.submit_application", application)
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
    _require(actor, perm, application)
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
        if notes is not None and actor.has_perm("exhibitors.review_application", application):
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
    _require(actor, "exhibitors.review_application", event)
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
    _require(actor, "exhibitors.review_application", application)
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(internal_notes=notes, updated_at=timezone.now())
        application.internal_notes = notes
        audit.record(actor=actor, action="application.notes", obj=application, event=application.event)
    return application


# --- screening --------------------------------------------------------------------------------


def _listed(event: Event) -> list[matching.ListedName]:
    return matching.prepare(RestrictedParty.objects.filter(event=event).values_list("id", "name", "aliases"))


def candidates_of(application: Application) -> list[tuple[str, str]]:
    out = [(ScreeningHit.Field.LEGAL_NAME, application.legal_name)]
    if application.trading_name:
        out.append((ScreeningHit.Field.TRADING_NAME, application.trading_name))
    out += [(ScreeningHit.Field.CONTACT, c.get("name", "")) for c in application.contacts or []]
    out += [(ScreeningHit.Field.CO_EXHIBITOR, c.get("name", "")) for c in application.co_exhibitors or []]
    return [(f, v) for f, v in out if v]


def screen_application(
    *,
    application: Application,
    listed: list[matching.ListedName] | None = None,
    conf: ExhibitorSettings | None = None,
) -> int:
    """Match one application against the list and embargoes; keeps earlier decisions on hits
    that still match, drops open hits that no longer do. Returns the number of open hits."""
    conf = conf or settings_for(application.event_id)
    listed = _listed(application.event) if listed is None else listed
    found: dict[tuple, tuple[float, str]] = {}
    for field, value in candidates_of(application):
        for m in matching.best_matches(value, listed, conf.match_threshold):
            key = (m.party_id, field, value[:200], m.matched[:200])
            found[key] = (max(m.score, found.get(key, (0, ""))[0]), field)
    embargoed = set(conf.embargoed_countries or [])
    countries_seen = [(ScreeningHit.Field.COUNTRY, str(application.country))]
    countries_seen += [
        (ScreeningHit.Field.CO_EXHIBITOR, c.get("country", "")) for c in application.co_exhibitors or []
    ]
    for field, code in countries_seen:
        if code and code in embargoed:
            label = _("Embargoed country: %(name)s") % {"name": countries.name(code)}
            found[(None, field, code, label[:200])] = (1.0, field)
    existing = {h.key: h for h in application.hits.all()}
    with transaction.atomic():
        stale = [h.pk for k, h in existing.items() if k not in found and h.status == ScreeningHit.Status.OPEN]
        if stale:
            ScreeningHit.objects.filter(pk__in=stale).delete()
        new = [
            ScreeningHit(
                application=application, party_id=k[0], field=k[1], candidate=k[2], matched=k[3], score=v[0]
            )
            for k, v in found.items()
            if k not in existing
        ]
        ScreeningHit.objects.bulk_create(new)
        for k, h in existing.items():
            if k in found and abs(h.score - found[k][0]) > 1e-6:
                ScreeningHit.objects.filter(pk=h.pk).update(score=found[k][0])
        summary = _screening_summary(application)
        Application.objects.filter(pk=application.pk).update(
            screening=summary, screened_version=conf.list_version
        )
        application.screening = summary
        application.screened_version = conf.list_version
    return ScreeningHit.objects.filter(application=application, status=ScreeningHit.Status.OPEN).count()


def _screening_summary(application: Application) -> str:
    statuses = set(ScreeningHit.objects.filter(application=application).values_list("status", flat=True))
    if ScreeningHit.Status.OPEN in statuses:
        return Application.Screening.HITS
    if ScreeningHit.Status.CONFIRMED in statuses:
        return Application.Screening.CONFIRMED
    if statuses:
        return Application.Screening.RESOLVED
    return Application.Screening.CLEAR


def resolve_hit(*, hit: ScreeningHit, actor: User, decision: str, reason: str) -> ScreeningHit:
    """The organiser clears a false positive or confirms a true match, with a reason."""
    _require(actor, "exhibitors.resolve_hit", hit)
    if decision not in ("clear", "confirm"):
        raise DomainError(_("Choose clear or confirm."), field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for your decision."), field="reason")
    with transaction.atomic():
        hit = ScreeningHit.objects.select_for_update().select_related("application__event").get(pk=hit.pk)
        if hit.status != ScreeningHit.Status.OPEN:
            raise ConflictError(_("This hit has already been resolved."))
        hit.status = ScreeningHit.Status.CLEARED if decision == "clear" else ScreeningHit.Status.CONFIRMED
        hit.reason = reason
        hit.resolved_by = actor
        hit.resolved_at = timezone.now()
        hit.save()
        app = hit.application
        Application.objects.filter(pk=app.pk).update(screening=_screening_summary(app))
        audit.record(
            actor=actor,
            action=f"screening.hit_{hit.status}",
            obj=hit,
            event=app.event,
            application=app.pk,
            reason=reason,
            candidate=hit.candidate,
            matched=hit.matched,
        )
        if hit.status == ScreeningHit.Status.CONFIRMED:
            # A confirmed restricted-party match ends the company's admission at once.
            admission.revoke_organisation(
                organisation=app.organisation, actor=actor, reason=_("Restricted-party match confirmed")
            )
    return hit


def _bump_list_version(event: Event) -> ExhibitorSettings:
    conf, _created = ExhibitorSettings.objects.select_for_update().get_or_create(event=event)
    conf.list_version += 1
    conf.save(update_fields=["list_version"])
    return conf


PARTY_COLUMNS = ("name", "aliases", "country", "source")


def import_restricted_parties(*, event: Event, actor: User, text: bytes | str) -> int:
    """Replace the event's restricted-party list from CSV (name, aliases, country, source);
    all or nothing: any bad row refuses the whole file. Re-screens in the background."""
    _require(actor, "exhibitors.manage_screening", event)
    parsed = csvio.read_csv(text, columns=PARTY_COLUMNS, required=("name",))
    rows, errors = [], []
    for i, row in parsed:
        name = row.get("name", "")
        code = row.get("country", "").upper()
        if not name:
            errors.append((i, _("The name is missing.")))
            continue
        if code and code not in dict(countries):
            errors.append((i, _("Unknown country code %(code)s.") % {"code": code}))
            continue
        aliases = [a.strip() for a in row.get("aliases", "").replace(";", "|").split("|") if a.strip()]
        if len(name) > 200 or any(len(a) > 200 for a in aliases):
            errors.append((i, _("A name or alias is longer than 200 characters.")))
            continue
        rows.append(
            RestrictedParty(
                event=event, name=name, aliases=aliases, country=code, source=row.get("source", "")[:120]
            )
        )
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        RestrictedParty.objects.filter(event=event).delete()
        RestrictedParty.objects.bulk_create(rows)
        _bump_list_version(event)
        audit.record(actor=actor, action="screening.list_imported", obj=event, event=event, rows=len(rows))
        start_rescreen(event=event, actor=actor)
    return len(rows)


def set_embargoed_countries(*, event: Event, actor: User, codes: list[str]) -> ExhibitorSettings:
    _require(actor, "exhibitors.manage_screening", event)
    clean = sorted({c.strip().upper() for c in codes if c.strip()})
    bad = [c for c in clean if c not in dict(countries)]
    if bad:
        raise DomainError(_("Unknown country code %(code)s.") % {"code": bad[0]}, field="countries")
    with transaction.atomic():
        conf = _bump_list_version(event)
        conf.embargoed_countries = clean
        conf.save(update_fields=["embargoed_countries"])
        audit.record(
            actor=actor, action="screening.embargoes_changed", obj=conf, event=event, countries=clean
        )
        start_rescreen(event=event, actor=actor)
    return conf


def start_rescreen(*, event: Event, actor: User | None) -> ScreeningRun:
    """Queue a background re-screen of every application (after commit); progress on the run."""
    if actor is not None:
        _require(actor, "exhibitors.manage_screening", event)
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            event=event, started_by=actor, list_version=settings_for(event).list_version
        )
        from .tasks import rescreen_event

        transaction.on_commit(lambda: _enqueue(rescreen_event, run_id=run.pk))
    return run


def _enqueue(task, **kwargs) -> None:
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception:  # noqa: BLE001 - broker down: the run stays queued; the organiser may restart it
        import logging

        logging.getLogger(__name__).warning("Could not queue %s %s", task.name, kwargs, exc_info=True)


def run_rescreen(*, run_id: int) -> ScreeningRun | None:
    """Screen every non-draft application of the run's event; idempotent (a finished run is left)."""
    run = ScreeningRun.objects.filter(pk=run_id).select_related("event").first()
    if run is None or run.status == ScreeningRun.Status.DONE:
        return run
    event = run.event
    conf = settings_for(event)
    listed = _listed(event)
    ids = list(
        Application.objects.filter(event=event)
        .exclude(state__in=[S.DRAFT, S.WITHDRAWN])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.RUNNING, total=len(ids), done=0)
    open_hits = 0
    for n, pk in enumerate(ids, start=1):
        app = Application.objects.filter(pk=pk).prefetch_related("hits").first()
        if app is not None:
            open_hits += screen_application(application=app, listed=listed, conf=conf)
        if n % 25 == 0 or n == len(ids):
            ScreeningRun.objects.filter(pk=run.pk).update(done=n, hits=open_hits)
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRun.Status.DONE, done=len(ids), hits=open_hits, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


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


def _profile_for(organisation: Organisation) -> ExhibitorProfile:
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
    _require(actor, "exhibitors.change_profile", organisation)
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
        profile = _profile_for(organisation)
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
    _require(actor, "exhibitors.change_profile", organisation)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the product's name."), field="name")
    if sectors and any(s.event_id != organisation.event_id for s in sectors):
        raise DomainError(_("Choose sectors of this event."), field="sectors")
    with transaction.atomic():
        profile = _profile_for(organisation)
        product = Product.objects.create(profile=profile, name=name[:150], description=description.strip())
        if sectors:
            product.sectors.set(sectors)
        refresh_search_text(profile=profile)
        audit.record(actor=actor, action="profile.product_added", obj=product, event=organisation.event)
    return product


def delete_product(*, product: Product, actor: User) -> None:
    org = product.profile.organisation
    _require(actor, "exhibitors.change_profile", org)
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
    _require(actor, "exhibitors.change_profile", organisation)
    contact = _clean_contacts([{"name": name, "email": email, "phone": phone, "role": role}])[0]
    with transaction.atomic():
        profile = _profile_for(organisation)
        obj = ProfileContact.objects.create(profile=profile, is_public=bool(is_public), **contact)
        audit.record(actor=actor, action="profile.contact_added", obj=obj, event=organisation.event)
    return obj


def delete_contact(*, contact: ProfileContact, actor: User) -> None:
    org = contact.profile.organisation
    _require(actor, "exhibitors.change_profile", org)
    with transaction.atomic():
        audit.record(actor=actor, action="profile.contact_deleted", obj=contact, event=org.event)
        contact.delete()


# --- staff and badges -----------------------------------------------------------------------------


def invite_colleague(*, organisation: Organisation, actor: User, email: str) -> Invitation:
    _require(actor, "exhibitors.invite_staff", organisation, _("Only the company admin invites colleagues."))
    return account_services.invite(
        event=organisation.event,
        actor=actor,
        email=email,
        role=Invitation.Role.COMPANY_STAFF,
        organisation=organisation,
    )


def request_badge(
    *, organisation: Organisation, actor: User, name: str, role: str = "", email: str = ""
) -> BadgeRequest:
    """One badge, within the quota the company's stand area gives (the company row is locked
    so that two requests at once cannot both take the last badge)."""
    _require(actor, "exhibitors.request_badge", organisation)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Enter the name printed on the badge."), field="name")
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        quota = badge_quota_for(org)  # counts the requests made so far, under the lock
        used = quota.used
        if used >= quota.total:
            raise ConflictError(
                _("Your badge quota is used up (%(n)s of %(total)s).") % {"n": used, "total": quota.total}
            )
        if BadgeRequest.objects.filter(organisation=org, name__iexact=name).exists():
            raise DomainError(_("A badge for this name has already been requested."), field="name")
        badge = BadgeRequest.objects.create(
            event_id=org.event_id,
            organisation=org,
            name=name[:150],
            role=(role or "").strip()[:100],
            email=email,
            requested_by=actor,
        )
        audit.record(actor=actor, action="badge.requested", obj=badge, event=org.event)
    return badge


def cancel_badge(*, badge: BadgeRequest, actor: User) -> None:
    _require(actor, "exhibitors.request_badge", badge.organisation)
    with transaction.atomic():
        audit.record(actor=actor, action="badge.cancelled", obj=badge, event=badge.event)
        badge.delete()


# --- import -----------------------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "name",
    "legal_name",
    "country",
    "website",
    "sectors",
    "description_en",
    "description_fr",
    "contact_email",
)
EXPORT_ONLY_COLUMNS = (
    "stands",
)  # in the export, ignored on import: last year's export is this year's import


def import_exhibitors_csv(*, event: Event, actor: User, text: bytes | str) -> list[Application]:
    """Last year's exhibitors into this event as prefilled drafts (with a profile), inviting
    each contact as company admin. All or nothing: any bad row refuses the file."""
    _require(actor, "exhibitors.import_exhibitors", event)
    parsed = csvio.read_csv(text, columns=IMPORT_COLUMNS + EXPORT_ONLY_COLUMNS, required=("name", "country"))
    sectors = {s.code: s for s in Sector.objects.filter(event=event)}
    taken = {
        n.lower()
        for n in Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY).values_list(
            "name", flat=True
        )
    }
    rows, errors, seen = [], [], set()
    for i, row in parsed:
        name, code = row.get("name", ""), row.get("country", "").upper()
        problems = []
        if not name:
            problems.append(_("The name is missing."))
        elif len(name) > 200 or len(row.get("legal_name", "")) > 200:
            problems.append(_("A name is longer than 200 characters."))
        elif name.lower() in taken or name.lower() in seen:
            problems.append(_("%(name)s is already registered.") % {"name": name})
        if code not in dict(countries):
            problems.append(_("Unknown country code %(code)s.") % {"code": code or "-"})
        codes = [c.strip() for c in row.get("sectors", "").replace(";", "|").split("|") if c.strip()]
        unknown = [c for c in codes if c not in sectors]
        if unknown:
            problems.append(_("Unknown sector %(code)s.") % {"code": unknown[0]})
        if row.get("website"):
            try:
                URLValidator()(row["website"])
                if len(row["website"]) > 200:
                    raise ValidationError("too long")
            except ValidationError:
                problems.append(_("Invalid website."))
        if row.get("contact_email"):
            try:
                validate_email(row["contact_email"])
            except ValidationError:
                problems.append(_("Invalid contact e-mail."))
        if problems:
            errors.append((i, " ".join(str(p) for p in problems)))
            continue
        seen.add(name.lower())
        rows.append((row, [sectors[c] for c in codes]))
    if errors:
        raise ImportFailed(errors)
    created = []
    with transaction.atomic():
        for row, row_sectors in rows:
            org = Organisation.objects.create(
                event=event,
                kind=Organisation.Kind.COMPANY,
                name=row["name"][:200],
                country=row["country"].upper(),
                website=row.get("website", ""),
            )
            org.sectors.set(row_sectors)
            app = Application.objects.create(
                event=event,
                organisation=org,
                created_by=actor,
                legal_name=(row.get("legal_name") or row["name"])[:200],
                trading_name=row["name"][:200] if row.get("legal_name") else "",
                country=row["country"].upper(),
                website=row.get("website", ""),
                contacts=[{"name": "", "email": row["contact_email"].lower(), "phone": "", "role": ""}]
                if row.get("contact_email")
                else [],
            )
            app.contacts = [c for c in app.contacts if c["name"]]
            app.sectors.set(row_sectors)
            ExhibitorProfile.objects.create(
                event=event,
                organisation=org,
                website=row.get("website", ""),
                description_en=row.get("description_en", ""),
                description_fr=row.get("description_fr", ""),
            )
            audit.record(actor=actor, action="application.imported", obj=app, event=event)
            created.append(app)
        for app, (row, _s) in zip(created, rows, strict=True):
            if row.get("contact_email"):
                account_services.invite(
                    event=event,
                    actor=actor,
                    email=row["contact_email"],
                    role=Invitation.Role.COMPANY_ADMIN,
                    organisation=app.organisation,
                )
        audit.record(actor=actor, action="exhibitors.imported", obj=event, event=event, rows=len(created))
    return created
