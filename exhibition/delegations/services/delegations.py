"""Writes for delegations themselves: registering, withdrawing and readmitting one, its
details and head, its days at the show, its members and its interests."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exhibition.accounts import admission
from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Organisation, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed, require_perm
from exhibition.events.models import Event, Sector, ShowDay
from exhibition.floorplans.models import Door, Feature

from ..languages import MAX_LANGUAGES, is_language, normalise_languages
from ..models import (
    Delegation,
    DelegationDay,
    DelegationMember,
    Interest,
    Visit,
)

MAX_SECTOR_CANDIDATES = 40


def event_of(delegation: Delegation) -> Event:
    return delegation.organisation.event


# --- delegation ---------------------------------------------------------------------------

ORGANISER_FIELDS = {
    "official_name",
    "protocol_level",
    "languages",
    "interpreter_needed",
    "liaison_officer",
    "internal_notes",
    "lunch_minutes",
}
HEAD_FIELDS = {"languages", "interpreter_needed"}


def clean_languages(value: Any) -> str:
    """The delegation's languages as stored ("es, en"): each one a language code or name, at
    most ``MAX_LANGUAGES`` of them."""
    codes, unknown = normalise_languages(value)
    if unknown:
        raise DomainError(
            _("Choose the languages from the list (not a language: %(text)s).")
            % {"text": ", ".join(unknown)},
            field="languages",
        )
    if len(codes) > MAX_LANGUAGES:
        raise DomainError(
            _("Choose at most %(n)s languages.") % {"n": MAX_LANGUAGES},
            field="languages",
        )
    return ", ".join(codes)


def clean_language(value: Any) -> str:
    """A member's language: its code ("en" when none is given)."""
    code = str(value or "en").strip().lower()
    if not is_language(code):
        raise DomainError(_("Choose the language from the list."), field="language")
    return code


def register_delegation(
    *,
    event: Any,
    actor: User,
    official_name: str,
    country: str,
    protocol_level: str = Delegation.ProtocolLevel.TECHNICAL,
    languages: str = "",
    head_email: str = "",
) -> Delegation:
    """The organiser registers an official delegation: it is admitted at once, and its head
    (if given) is invited to sign in."""
    require_perm(actor, "delegations.plan_programmes", event)
    languages = clean_languages(languages)
    official_name = " ".join((official_name or "").split())
    if not official_name:
        raise DomainError(_("Enter the official name."), field="official_name")
    if protocol_level not in Delegation.ProtocolLevel.values:
        raise DomainError(_("Choose a protocol level."), field="protocol_level")
    with transaction.atomic():
        try:
            org = account_services.create_organisation(
                event=event,
                actor=actor,
                kind=Organisation.Kind.DELEGATION,
                name=official_name[:200],
                country=country,
            )
        except DomainError as exc:  # the organisation's name is the delegation's official name
            if exc.field != "name":
                raise
            raise DomainError(exc.message, field="official_name", code=exc.code) from exc
        delegation = Delegation.objects.create(
            organisation=org,
            official_name=official_name[:250],
            protocol_level=protocol_level,
            languages=languages,
        )
        admission.admit_organisation(organisation=org, actor=actor, reason=_("Registered by the organiser"))
        audit.record(actor=actor, action="delegation.registered", obj=delegation, event=event)
        if head_email:
            invite_head(delegation=delegation, actor=actor, email=head_email)
    return delegation


def withdraw_delegation(*, delegation: Delegation, actor: User, reason: str) -> Delegation:
    """The delegation is no longer received: its members lose admission at once (requests and
    meetings cancelled, upcoming visits removed from its programme and the hosts told)."""
    require_perm(actor, "delegations.plan_programmes", event_of(delegation))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason (it stays in the audit log)."), field="reason")
    admission.revoke_organisation(organisation=delegation.organisation, actor=actor, reason=reason)
    return delegation


def readmit_delegation(*, delegation: Delegation, actor: User) -> Delegation:
    """Receive a withdrawn delegation again. What was cancelled stays cancelled."""
    require_perm(actor, "delegations.plan_programmes", event_of(delegation))
    admission.admit_organisation(
        organisation=delegation.organisation, actor=actor, reason=_("Received again")
    )
    return delegation


def update_delegation(*, delegation: Delegation, actor: User, **changes: Any) -> Delegation:
    require_perm(actor, "delegations.change_delegation", delegation)
    # django-stubs types has_perm's object as a user; django-rules checks any model instance
    organiser = actor.has_perm("delegations.manage_programme", delegation)  # type: ignore[arg-type]
    allowed = ORGANISER_FIELDS if organiser else HEAD_FIELDS
    bad = set(changes) - allowed
    if bad:
        raise NotAllowed(_("You may not change: %(fields)s.") % {"fields": ", ".join(sorted(bad))})
    officer = changes.get("liaison_officer")
    if (
        officer is not None
        and not actor.__class__.objects.filter(
            pk=officer.pk, event_staff__event_id=delegation.organisation.event_id
        ).exists()
    ):
        raise DomainError(_("The liaison officer must be one of the organisers."), field="liaison_officer")
    if "official_name" in changes and not str(changes["official_name"]).strip():
        raise DomainError(_("Enter the official name."), field="official_name")
    if "languages" in changes:
        changes["languages"] = clean_languages(changes["languages"])
    with transaction.atomic():
        for key, value in changes.items():
            setattr(delegation, key, value)
        delegation.save()
        audit.record(
            actor=actor,
            action="delegation.updated",
            obj=delegation,
            event=event_of(delegation),
            fields=sorted(changes),
        )
    return delegation


def invite_head(*, delegation: Delegation, actor: User, email: str) -> Invitation:
    """Invite the head of delegation: an account with the ``delegation_lead`` role."""
    require_perm(actor, "delegations.manage_programme", delegation)
    return account_services.invite(
        event=event_of(delegation),
        actor=actor,
        email=email,
        role=Invitation.Role.DELEGATION_LEAD,
        organisation=delegation.organisation,
    )


def set_day(
    *,
    delegation: Delegation,
    actor: User,
    day: date,
    start: time,
    end: time,
    start_point: str,
    end_point: str,
) -> DelegationDay:
    """Create or replace the delegation's hours on the floor for one show day."""
    require_perm(actor, "delegations.change_delegation", delegation)
    event = event_of(delegation)
    show_day = ShowDay.objects.filter(event=event, date=day).first()
    if show_day is None:
        raise DomainError(_("This is not a day of the show."), field="date")
    if end <= start:
        raise DomainError(_("The end must be after the start."), field="end")
    if start < show_day.opens_at or end > show_day.closes_at:
        raise DomainError(
            _("The show is open from %(o)s to %(c)s that day.")
            % {"o": show_day.opens_at.strftime("%H:%M"), "c": show_day.closes_at.strftime("%H:%M")},
            field="start",
        )
    for field, code in (("start_point", start_point), ("end_point", end_point)):
        ok = (
            Door.objects.filter(event=event, code=code, hall_b__isnull=True).exists()
            or Feature.objects.filter(event=event, code=code, kind__in=Feature.PLACE_KINDS).exists()
        )
        if not ok:
            raise DomainError(
                _("%(code)s is neither an entrance nor a lounge of the floor plan.") % {"code": code},
                field=field,
            )
    with transaction.atomic():
        row, _created = DelegationDay.objects.update_or_create(
            delegation=delegation,
            date=day,
            defaults={"start": start, "end": end, "start_point": start_point, "end_point": end_point},
        )
        audit.record(
            actor=actor,
            action="delegation.day_set",
            obj=delegation,
            event=event,
            day=day.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return row


def remove_day(*, day: DelegationDay, actor: User) -> None:
    delegation = day.delegation
    require_perm(actor, "delegations.change_delegation", delegation)
    if Visit.objects.filter(delegation=delegation, date=day.date).exists():
        raise ConflictError(_("This day has visits in the programme: remove them first."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.day_removed",
            obj=delegation,
            event=event_of(delegation),
            day=day.date.isoformat(),
        )
        day.delete()


def add_member(
    *,
    delegation: Delegation,
    actor: User,
    name: str,
    title: str = "",
    organisation: str = "",
    role: str = "",
    email: str = "",
    language: str = "en",
    is_head: bool = False,
) -> DelegationMember:
    require_perm(actor, "delegations.change_delegation", delegation)
    if not name.strip():
        raise DomainError(_("Enter the member's name."), field="name")
    language = clean_language(language)
    with transaction.atomic():
        if is_head:
            delegation.members.filter(is_head=True).update(is_head=False)
        member = DelegationMember.objects.create(
            delegation=delegation,
            name=name.strip(),
            title=title,
            organisation=organisation,
            role=role,
            email=email.strip().lower(),
            language=language,
            is_head=is_head,
        )
        audit.record(
            actor=actor,
            action="delegation.member_added",
            obj=delegation,
            event=event_of(delegation),
            member=member.name,
        )
    return member


def update_member(*, member: DelegationMember, actor: User, **changes: Any) -> DelegationMember:
    require_perm(actor, "delegations.change_delegation", member.delegation)
    allowed = {"name", "title", "organisation", "role", "email", "language", "is_head"}
    if set(changes) - allowed:
        raise DomainError(_("Unknown field."))
    if "name" in changes and not str(changes["name"]).strip():
        raise DomainError(_("Enter the member's name."), field="name")
    if "language" in changes:
        changes["language"] = clean_language(changes["language"])
    with transaction.atomic():
        if changes.get("is_head"):
            member.delegation.members.exclude(pk=member.pk).filter(is_head=True).update(is_head=False)
        for k, v in changes.items():
            setattr(member, k, v)
        member.save()
        audit.record(
            actor=actor,
            action="delegation.member_updated",
            obj=member.delegation,
            event=event_of(member.delegation),
            member=member.name,
        )
    return member


def remove_member(*, member: DelegationMember, actor: User) -> None:
    require_perm(actor, "delegations.change_delegation", member.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.member_removed",
            obj=member.delegation,
            event=event_of(member.delegation),
            member=member.name,
        )
        member.delete()


def add_interest(
    *,
    delegation: Delegation,
    actor: User,
    priority: int,
    sector: Sector | None = None,
    exhibitor: Organisation | None = None,
) -> Interest:
    require_perm(actor, "delegations.change_delegation", delegation)
    event = event_of(delegation)
    if (sector is None) == (exhibitor is None):
        raise DomainError(_("Choose either a sector or an exhibitor."), field="sector")
    if not 1 <= int(priority) <= 5:
        raise DomainError(_("The priority goes from 1 (low) to 5 (high)."), field="priority")
    if sector is not None and sector.event_id != event.pk:
        raise DomainError(_("Choose a sector of this show."), field="sector")
    if exhibitor is not None and (
        exhibitor.event_id != event.pk or exhibitor.kind != Organisation.Kind.COMPANY
    ):
        raise DomainError(_("Choose an exhibitor of this show."), field="exhibitor")
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                delegation=delegation, sector=sector, exhibitor=exhibitor, priority=int(priority)
            )
            audit.record(
                actor=actor,
                action="delegation.interest_added",
                obj=delegation,
                event=event,
                interest=str(interest),
            )
    except IntegrityError:
        raise DomainError(
            _("This interest is already listed."), field="sector" if sector else "exhibitor"
        ) from None
    return interest


def remove_interest(*, interest: Interest, actor: User) -> None:
    require_perm(actor, "delegations.change_delegation", interest.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.interest_removed",
            obj=interest.delegation,
            event=event_of(interest.delegation),
            interest=str(interest),
        )
        interest.delete()
