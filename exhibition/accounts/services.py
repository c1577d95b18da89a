"""Writes for accounts: sign-up, invitations, memberships, visitors. Each runs in one
transaction, validates, writes, records the audit log and queues e-mail on commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.notifications import queue_email

from .models import EventStaff, Invitation, Membership, Organisation, TradeVisitor, User
from .roles import forget_roles

INVITATION_SALT = "exhibition.accounts.invitation"


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address."), field="email") from None
    return email


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None


def sign_up(*, email: str, password: str, full_name: str = "", language: str = "en") -> User:
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("An account with this e-mail address already exists. Sign in instead."), field="email")
    probe = User(email=email, full_name=full_name)
    _check_password(password, probe)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, full_name=full_name.strip(), language=language)
            audit.record(actor=user, action="user.signed_up", obj=user)
    except IntegrityError:
        raise DomainError(_("An account with this e-mail address already exists. Sign in instead."), field="email") from None
    return user


# --- invitations ------------------------------------------------------------------

def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=INVITATION_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": invitation_token(invitation)})


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link points to, or a DomainError saying why not."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(_("This invitation has expired. Ask for a new one."), code="expired") from None
    except signing.BadSignature:
        raise DomainError(_("This invitation link is not valid."), code="invalid") from None
    invitation = Invitation.objects.select_related("event", "organisation").filter(pk=data.get("i")).first()
    if invitation is None or invitation.email != data.get("e") or invitation.revoked_at:
        raise DomainError(_("This invitation link is not valid."), code="invalid")
    if invitation.accepted_at:
        raise DomainError(_("This invitation has already been used. Sign in instead."), code="used")
    return invitation


def invite(*, event: Any, actor: User, email: str, role: str, organisation: Organisation | None = None) -> Invitation:
    email = _clean_email(email)
    if role not in Invitation.Role.values:
        raise DomainError(_("Choose a valid role."), field="role")
    if role in Invitation.ORGANISATION_ROLES:
        kind, _membership_role = Invitation.ORGANISATION_ROLES[role]
        if organisation is None:
            raise DomainError(_("Choose the organisation to join."), field="organisation")
        if organisation.event_id != event.pk or organisation.kind != kind:
            raise DomainError(_("This role does not fit that organisation."), field="organisation")
        if not actor.has_perm("accounts.manage_members", organisation):
            raise NotAllowed(_("You may not invite people to this organisation."))
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise DomainError(_("This person is already a member."), field="email")
    else:
        organisation = None
        if not actor.has_perm("events.invite_organiser", event):
            raise NotAllowed(_("Only an organiser admin may invite organisers."))
        if EventStaff.objects.filter(event=event, user__email__iexact=email).exists():
            raise DomainError(_("This person is already an organiser of this event."), field="email")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            event=event, email=email, role=role, organisation=organisation, invited_by=actor
        )
        audit.record(actor=actor, action="invitation.sent", obj=invitation, event=event, role=role, email=email)
        queue_email(
            to=email,
            kind="invitation",
            template="invitation",
            event=event,
            context={
                "invitation": invitation,
                "inviter": actor.get_full_name(),
                "role": invitation.get_role_display(),
                "organisation": organisation.name if organisation else "",
                "url": invitation_url(invitation),
                "days": settings.INVITATION_MAX_AGE // 86400,
            },
        )
    return invitation


def revoke_invitation(*, invitation: Invitation, actor: User) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ConflictError(_("This invitation is no longer open."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="invitation.revoked", obj=invitation, event=invitation.event)
    return invitation


def grant_role(*, event: Any, user: User, role: str, organisation: Organisation | None = None) -> None:
    """Give ``user`` an invitation role at ``event`` (idempotent)."""
    if role in Invitation.ORGANISATION_ROLES:
        _kind, membership_role = Invitation.ORGANISATION_ROLES[role]
        Membership.objects.update_or_create(
            organisation=organisation, user=user, defaults={"role": membership_role}
        )
    else:
        staff_role = EventStaff.Role.ADMIN if role == Invitation.Role.ORGANISER_ADMIN else EventStaff.Role.STAFF
        EventStaff.objects.update_or_create(event=event, user=user, defaults={"role": staff_role})
    forget_roles(user)


def accept_invitation(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept as the signed-in ``user`` (whose e-mail must match), or create the account."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update(of=("self",)).select_related("event", "organisation").get(pk=invitation.pk)
        if not invitation.is_open:
            raise ConflictError(_("This invitation has already been used. Sign in instead."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise DomainError(_("You already have an account: sign in to accept."), field="email")
            probe = User(email=invitation.email, full_name=full_name)
            _check_password(password, probe)
            user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name.strip())
        elif user.email.lower() != invitation.email.lower():
            raise NotAllowed(_("This invitation was sent to another e-mail address."))
        grant_role(event=invitation.event, user=user, role=invitation.role, organisation=invitation.organisation)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(actor=user, action="invitation.accepted", obj=invitation, event=invitation.event)
    return user


# --- organisations, members, visitors --------------------------------------------------

def create_organisation(
    *, event: Any, actor: User | None, kind: str, name: str, country: str, website: str = ""
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter a name."), field="name")
    if Organisation.objects.filter(event=event, kind=kind, name__iexact=name).exists():
        raise DomainError(_("An organisation with this name is already registered."), field="name")
    with transaction.atomic():
        org = Organisation.objects.create(event=event, kind=kind, name=name, country=country, website=website)
        audit.record(actor=actor, action="organisation.created", obj=org, event=event)
    return org


def register_visitor(
    *,
    event: Any,
    user: User,
    organisation_name: str,
    job_title: str,
    country: str,
    sectors: list[Any] | None = None,
    looking_for: str = "",
) -> TradeVisitor:
    if TradeVisitor.objects.filter(event=event, user=user).exists():
        raise ConflictError(_("You are already registered for this event."))
    if not organisation_name.strip():
        raise DomainError(_("Enter your organisation."), field="organisation_name")
    if not job_title.strip():
        raise DomainError(_("Enter your job title."), field="job_title")
    with transaction.atomic():
        visitor = TradeVisitor.objects.create(
            event=event,
            user=user,
            organisation_name=organisation_name.strip(),
            job_title=job_title.strip(),
            country=country,
            looking_for=looking_for,
        )
        if sectors:
            visitor.sectors.set(sectors)
        audit.record(actor=user, action="visitor.registered", obj=visitor, event=event)
    forget_roles(user)
    return visitor


def vet_visitor(*, visitor: TradeVisitor, actor: User, approve: bool) -> TradeVisitor:
    if not actor.has_perm("accounts.vet_tradevisitor", visitor):
        raise NotAllowed(_("Only organisers vet visitors."))
    with transaction.atomic():
        visitor = TradeVisitor.objects.select_for_update().get(pk=visitor.pk)
        visitor.status = TradeVisitor.Status.APPROVED if approve else TradeVisitor.Status.REJECTED
        visitor.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action=f"visitor.{visitor.status}", obj=visitor, event=visitor.event)
    return visitor
