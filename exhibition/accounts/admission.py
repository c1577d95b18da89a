"""Admission writes: granting it, and losing it in one place.

Losing admission takes effect at once: the person (or every member of the organisation)
stops counting as admitted the moment the transaction commits, because
:mod:`exhibition.accounts.roles` reads the same rows. Then every app that holds something
that derives from admission undoes it, in the same transaction, through the handlers it
registered with :func:`on_admission_lost` (pending meeting requests cancelled, future
meetings cancelled with a notice, hosting windows closed, badges revoked, ...). The account
and the history stay; the audit log records who did it and why. Getting admission back
restores nothing silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.notifications import queue_email

from .models import CalendarFeed, EventStaff, Membership, Organisation, TradeVisitor, User
from .roles import forget_roles


@dataclass(frozen=True)
class AdmissionLoss:
    """What lost admission. ``organisation`` alone: the whole organisation (every member).
    ``organisation`` and ``user``: one member removed from it. ``visitor``: a trade visitor."""

    event: Any
    reason: str
    actor: User | None
    organisation: Organisation | None = None
    user: User | None = None
    visitor: TradeVisitor | None = None

    @property
    def users(self) -> list[User]:
        if self.user is not None:
            return [self.user]
        if self.visitor is not None:
            return [self.visitor.user]
        if self.organisation is not None:
            return list(User.objects.filter(memberships__organisation=self.organisation))
        return []


Handler = Callable[[AdmissionLoss], None]
_HANDLERS: list[Handler] = []


def on_admission_lost(handler: Handler) -> Handler:
    """Register what an app undoes when admission is lost (called inside the transaction).

    Higher apps register from their ``AppConfig.ready()``: this is how the lower accounts
    app reaches them without importing them."""
    if handler not in _HANDLERS:
        _HANDLERS.append(handler)
    return handler


def _lost(loss: AdmissionLoss) -> None:
    for user in loss.users:
        _bump_feed(user, loss.event)
        forget_roles(user)
    for handler in _HANDLERS:
        handler(loss)


# --- organisations -----------------------------------------------------------------------------


def admit_organisation(*, organisation: Organisation, actor: User | None, reason: str = "") -> Organisation:
    """Admit a company (its application was approved) or a delegation (registered)."""
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.admitted_at is None:
            org.admitted_at = timezone.now()
            org.admission_note = reason[:200]
            org.save(update_fields=["admitted_at", "admission_note", "updated_at"])
            audit.record(actor=actor, action="admission.granted", obj=org, event=org.event, reason=reason)
    organisation.admitted_at, organisation.admission_note = org.admitted_at, org.admission_note
    return org


def revoke_organisation(*, organisation: Organisation, actor: User | None, reason: str) -> Organisation:
    """The organisation loses admission: every member at once. Idempotent."""
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if org.admitted_at is not None:
            org.admitted_at = None
            org.admission_note = reason[:200]
            org.save(update_fields=["admitted_at", "admission_note", "updated_at"])
            audit.record(actor=actor, action="admission.revoked", obj=org, event=org.event, reason=reason)
            _lost(AdmissionLoss(event=org.event, reason=reason, actor=actor, organisation=org))
    organisation.admitted_at, organisation.admission_note = org.admitted_at, org.admission_note
    return org


# --- members ---------------------------------------------------------------------------------------


def _managers(organisation: Organisation) -> list[Membership]:
    return list(organisation.memberships.filter(role__in=[Membership.Role.ADMIN, Membership.Role.LEAD]))


def remove_member(*, membership: Membership, actor: User, reason: str = "") -> None:
    """Remove a person from a company or delegation (the organiser, or the organisation's
    admin / head of delegation). The last admin cannot be removed: hand the role over first."""
    with transaction.atomic():
        m = (
            Membership.objects.select_for_update()
            .select_related("organisation__event", "user")
            .get(pk=membership.pk)
        )
        org = m.organisation
        if not actor.has_perm("accounts.manage_members", org):
            raise NotAllowed(_("You may not remove members of this organisation."))
        managers = [x for x in _managers(org) if x.pk != m.pk]
        if m.is_manager and not managers:
            raise ConflictError(
                _("%(name)s is the only admin: hand the role to someone else first.")
                % {"name": m.user.get_full_name()},
                code="last_admin",
            )
        user = m.user
        m.delete()
        audit.record(
            actor=actor,
            action="membership.removed",
            obj=org,
            event=org.event,
            user=user.email,
            role=m.role,
            reason=reason,
        )
        if org.admitted_at is not None:
            _lost(
                AdmissionLoss(
                    event=org.event,
                    reason=reason or _("Removed from %(org)s") % {"org": org.name},
                    actor=actor,
                    organisation=org,
                    user=user,
                )
            )
        forget_roles(user)
        forget_roles(actor)


def hand_over_admin(*, organisation: Organisation, actor: User, to: Membership) -> Membership:
    """Make another member the organisation's admin (or head of delegation); the actor, if they
    held that role, becomes staff (or member)."""
    company = organisation.kind == Organisation.Kind.COMPANY
    admin_role = Membership.Role.ADMIN if company else Membership.Role.LEAD
    plain_role = Membership.Role.STAFF if company else Membership.Role.MEMBER
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if not actor.has_perm("accounts.manage_members", org):
            raise NotAllowed(_("You may not change the roles in this organisation."))
        target = (
            Membership.objects.select_for_update()
            .select_related("user")
            .filter(pk=to.pk, organisation=org)
            .first()
        )
        if target is None:
            raise DomainError(_("Choose a member of this organisation."), field="member")
        if target.role == admin_role:
            raise ConflictError(
                _("%(name)s already holds this role.") % {"name": target.user.get_full_name()}
            )
        target.role = admin_role
        target.save(update_fields=["role"])
        mine = Membership.objects.select_for_update().filter(organisation=org, user=actor).first()
        if mine is not None and mine.role == admin_role:
            mine.role = plain_role
            mine.save(update_fields=["role"])
        audit.record(
            actor=actor, action="membership.handed_over", obj=org, event=org.event, to=target.user.email
        )
    forget_roles(actor)
    forget_roles(target.user)
    return target


# --- organiser staff -----------------------------------------------------------------------------


def remove_organiser(*, staff: EventStaff, actor: User, reason: str = "") -> None:
    with transaction.atomic():
        s = EventStaff.objects.select_for_update().select_related("event", "user").get(pk=staff.pk)
        if not actor.has_perm("events.invite_organiser", s.event):
            raise NotAllowed(_("Only an organiser admin may remove organisers."))
        admins = EventStaff.objects.filter(event=s.event, role=EventStaff.Role.ADMIN).exclude(pk=s.pk)
        if s.role == EventStaff.Role.ADMIN and not admins.exists():
            raise ConflictError(_("The event needs at least one organiser admin."), code="last_admin")
        user = s.user
        s.delete()
        audit.record(
            actor=actor,
            action="organiser.removed",
            obj=s.event,
            event=s.event,
            user=user.email,
            role=s.role,
            reason=reason,
        )
        _bump_feed(user, s.event)
        forget_roles(user)
        forget_roles(actor)


# --- visitors ----------------------------------------------------------------------------------------


def set_visitor_status(
    *, visitor: TradeVisitor, actor: User, approve: bool, reason: str = ""
) -> TradeVisitor:
    """Vetting: approve, reject, or withdraw an approval (rejecting an approved visitor).
    The visitor is told by e-mail, in their language, whenever the decision changes."""
    if not actor.has_perm("accounts.vet_tradevisitor", visitor):
        raise NotAllowed(_("Only organisers vet visitors."))
    with transaction.atomic():
        visitor = TradeVisitor.objects.select_for_update().select_related("event", "user").get(pk=visitor.pk)
        before = visitor.status
        was_approved = before == TradeVisitor.Status.APPROVED
        visitor.status = TradeVisitor.Status.APPROVED if approve else TradeVisitor.Status.REJECTED
        visitor.save(update_fields=["status", "updated_at"])
        action = (
            f"visitor.{visitor.status}"
            if not (was_approved and not approve)
            else "visitor.approval_withdrawn"
        )
        audit.record(actor=actor, action=action, obj=visitor, event=visitor.event, reason=reason)
        if was_approved and not approve:
            _lost(
                AdmissionLoss(
                    event=visitor.event, reason=reason or _("Vetting withdrawn"), actor=actor, visitor=visitor
                )
            )
        if visitor.status != before:
            _tell_visitor(visitor, reason=reason, withdrawn=was_approved)
        forget_roles(visitor.user)
    return visitor


def _tell_visitor(visitor: TradeVisitor, *, reason: str, withdrawn: bool) -> None:
    approved = visitor.status == TradeVisitor.Status.APPROVED
    queue_email(
        to=visitor.user.email,
        kind=f"visitor_{visitor.status}",
        template="visitor_approved" if approved else "visitor_rejected",
        event=visitor.event,
        context={
            "name": visitor.user.get_full_name(),
            "reason": (reason or "").strip(),
            "withdrawn": withdrawn,
        },
    )


# --- calendar feeds (one address per person and event) ----------------------------------------------

FEED_SALT = "exhibition.accounts.calendar-feed"


def _version(user_id: int, event_id: int) -> int:
    """The address's current version; 1 until it was first rotated (no row needed)."""
    return (
        CalendarFeed.objects.filter(user_id=user_id, event_id=event_id)
        .values_list("version", flat=True)
        .first()
        or 1
    )


def calendar_token(*, user: User, event: Any) -> str:
    """The secret part of the person's calendar address. Nothing secret is stored: the
    address is signed over (person, event, version)."""
    event_id = getattr(event, "pk", event)
    return signing.Signer(salt=FEED_SALT).sign_object(
        [user.pk, event_id, _version(user.pk, event_id)], compress=True
    )


def user_for_calendar_token(token: str, event: Any) -> User | None:
    """The person a calendar address belongs to, if it is current. The caller still checks
    the person's admission (a feed dies with it)."""
    try:
        user_id, event_id, version = signing.Signer(salt=FEED_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if event_id != getattr(event, "pk", event) or version != _version(user_id, event_id):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def calendar_language(request: Any, user: User | None) -> str:
    """The language a calendar feed is written in. A calendar app sends no language cookie: the
    address carries the one it was copied in (``?lang=``); else the one the app asks for in
    Accept-Language; else the person's account language."""
    languages = dict(settings.LANGUAGES)
    negotiated = translation.get_language() if request.headers.get("Accept-Language") else ""
    for language in (request.GET.get("lang", ""), negotiated, getattr(user, "language", "")):
        if language in languages:
            return language
    return settings.LANGUAGE_CODE


def rotate_calendar_feed(*, user: User, event: Any) -> None:
    """A new address for the person's calendar; the old one stops working."""
    with transaction.atomic():
        _bump_feed(user, event)
        audit.record(actor=user, action="calendar_feed.rotated", obj=user, event=event)


def _bump_feed(user: User, event: Any) -> None:
    """Kill the person's current calendar address."""
    event_id = getattr(event, "pk", event)
    updated = CalendarFeed.objects.filter(user=user, event_id=event_id).update(
        version=F("version") + 1, rotated_at=timezone.now()
    )
    if not updated:
        CalendarFeed.objects.get_or_create(
            user=user, event_id=event_id, defaults={"version": 2, "rotated_at": timezone.now()}
        )
