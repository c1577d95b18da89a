"""Writes for accounts: sign-up, invitations, memberships, visitors. Each runs in one
transaction, validates, writes, records the audit log and queues e-mail on commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlencode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed, require_perm
from exhibition.core.notifications import queue_secret_email, register_builder, render_email

from . import admission
from .models import ApiToken, EventStaff, Invitation, Membership, Organisation, TradeVisitor, User
from .roles import forget_roles

INVITATION_SALT = "exhibition.accounts.invitation"
MAX_TOKENS = 20


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


def sign_up(
    *, email: str, password: str, full_name: str = "", language: str = "en", next_url: str = ""
) -> User | None:
    """Create an account whose address still has to be proved, and send the confirmation link.

    Never reveals whether the address already has an account: if it does, its owner gets an
    e-mail saying so (with the way to reset the password) and the caller sees the same answer.
    ``next_url``, a path of this site, is where the confirmation link leads once the address is
    proved (the page the person was on when asked to sign in).
    Returns the new user, or None when the address was taken."""
    email = _clean_email(email)
    _check_password(password, User(email=email, full_name=full_name))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        with transaction.atomic():
            queue_secret_email(
                to=existing.email,
                kind="account_exists",
                builder="accounts.account_exists",
                payload={"user": existing.pk},
                subject=_subject("account_exists", existing),
            )
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name.strip(), language=language
            )
            audit.record(actor=user, action="user.signed_up", obj=user)
            send_confirmation(user=user, next_url=next_url)
    except IntegrityError:  # the same address signed up at the same moment
        return None
    return user


# --- proving an address ------------------------------------------------------------------------

CONFIRM_SALT = "exhibition.accounts.confirm-email"


def _subject(template: str, user: User) -> str:
    return render_email(template, {"user": user}, to=user.email)[0]


def confirmation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=CONFIRM_SALT, compress=True)


def local_path(url: str | None) -> str:
    """``url`` if it is a path of this site (``/milipol-paris/register/``), else "": no host,
    no scheme, nothing a link in an e-mail could send elsewhere."""
    url = (url or "").strip()
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url[:500]
    return ""


def confirmation_url(user: User, next_url: str = "") -> str:
    url: str = settings.SITE_URL + reverse(
        "accounts:verify_email", kwargs={"token": confirmation_token(user)}
    )
    if local_path(next_url):
        url += "?" + urlencode({"next": local_path(next_url)})
    return url


def send_confirmation(*, user: User, next_url: str = "") -> None:
    """Queue the confirmation link. The link is built when the message is sent: the outbox
    keeps only the user's id (and the path the link leads to afterwards)."""
    if user.email_verified:
        return
    payload: dict[str, Any] = {"user": user.pk}
    if local_path(next_url):
        payload["next"] = local_path(next_url)
    queue_secret_email(
        to=user.email,
        kind="confirm_email",
        builder="accounts.confirm_email",
        payload=payload,
        subject=_subject("confirm_email", user),
    )


def resend_confirmation(*, email: str) -> None:
    """Send a new link to an unconfirmed account; say nothing either way."""
    user = User.objects.filter(
        email__iexact=email.strip(), is_active=True, email_verified_at__isnull=True
    ).first()
    if user is not None:
        with transaction.atomic():
            send_confirmation(user=user)


def user_for_confirmation(token: str) -> User:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            _("This confirmation link has expired. Sign in to get a new one."), code="expired"
        ) from None
    except signing.BadSignature:
        raise DomainError(_("This confirmation link is not valid."), code="invalid") from None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        raise DomainError(_("This confirmation link is not valid."), code="invalid")
    return user


def confirm_email(*, user: User, password: str) -> User:
    """The link proves the mailbox; the password proves the account. Both are needed, so an
    account someone opened in another person's name cannot be confirmed by its victim
    clicking a link they did not ask for."""
    if not user.check_password(password):
        raise DomainError(_("This is not the password of this account."), field="password")
    with transaction.atomic():
        if user.email_verified_at is None:
            User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
            user.email_verified_at = timezone.now()
            audit.record(actor=user, action="user.email_confirmed", obj=user)
    forget_roles(user)
    return user


def _mark_verified(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        User.objects.filter(pk=user.pk).update(email_verified_at=user.email_verified_at)
        forget_roles(user)


@register_builder("accounts.confirm_email")
def _build_confirmation(payload: dict[str, Any]) -> tuple[str, str] | None:
    user = User.objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or user.email_verified:
        return None
    return render_email(
        "confirm_email",
        {
            "user": user,
            "url": confirmation_url(user, payload.get("next", "")),
            "days": settings.EMAIL_CONFIRMATION_MAX_AGE // 86400,
        },
        to=user.email,
    )


@register_builder("accounts.account_exists")
def _build_account_exists(payload: dict[str, Any]) -> tuple[str, str] | None:
    user = User.objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None:
        return None
    return render_email(
        "account_exists",
        {
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
        },
        to=user.email,
    )


# --- password reset -------------------------------------------------------------------------------


def send_password_reset(*, user: User) -> None:
    """Queue the reset link for an active account (the link is made at send time)."""
    queue_secret_email(
        to=user.email,
        kind="password_reset",
        builder="accounts.password_reset",
        payload={"user": user.pk},
        subject=_subject("password_reset", user),
    )


@register_builder("accounts.password_reset")
def _build_password_reset(payload: dict[str, Any]) -> tuple[str, str] | None:
    user = User.objects.filter(pk=payload.get("user"), is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = settings.SITE_URL + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )
    return render_email("password_reset", {"user": user, "url": url}, to=user.email)


def update_profile(*, user: User, full_name: str, language: str) -> User:
    """The person's own name and preferred language (the language of the e-mails they get)."""
    full_name = (full_name or "").strip()
    if not full_name:
        raise DomainError(_("Enter your name."), field="full_name")
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose a language."), field="language")
    with transaction.atomic():
        changed = {
            field: value
            for field, value in (("full_name", full_name), ("language", language))
            if getattr(user, field) != value
        }
        if changed:
            User.objects.filter(pk=user.pk).update(**changed)
            for field, value in changed.items():
                setattr(user, field, value)
            audit.record(actor=user, action="user.profile_changed", obj=user, fields=sorted(changed))
    return user


def password_changed(*, user: User, via_email: bool = False) -> int:
    """After any password change: every API token dies; a reset through the e-mailed link
    also proves the address. Returns the number of tokens revoked."""
    with transaction.atomic():
        if via_email:
            _mark_verified(user)
        revoked = revoke_all_tokens(user=user, reason="password changed")
        audit.record(actor=user, action="user.password_changed", obj=user, tokens_revoked=revoked)
    return revoked


def deactivate_user(*, user: User, actor: User | None, reason: str = "") -> User:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        revoke_all_tokens(user=user, reason="account deactivated")
        audit.record(actor=actor, action="user.deactivated", obj=user, reason=reason)
    return user


# --- API tokens -------------------------------------------------------------------------------------


def create_api_token(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new named token; the token itself is returned once and only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the token after the device or script that will use it."), field="name")
    if len(name) > 80:
        raise DomainError(_("Keep the name under 80 characters."), field="name")
    days = settings.API_TOKEN_TTL_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise DomainError(_("A token lasts from 1 to 366 days."), field="days")
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS:
        raise ConflictError(
            _("You have %(n)s tokens already: revoke one you no longer use first.") % {"n": MAX_TOKENS}
        )
    with transaction.atomic():
        token, secret = ApiToken.objects.create(
            user=user, expiry=timedelta(days=days), name=name, password_hash=user.get_session_auth_hash()
        )
        audit.record(actor=user, action="api_token.created", obj=user, name=name, key=token.token_key)
    return token, secret


def revoke_api_token(*, token: ApiToken, actor: User) -> None:
    if token.user_id != actor.pk:
        raise NotAllowed(_("This is not your token."))
    with transaction.atomic():
        audit.record(actor=actor, action="api_token.revoked", obj=actor, name=token.name, key=token.token_key)
        token.delete()


def revoke_all_tokens(*, user: User, reason: str) -> int:
    # knox (ApiToken's base) ships no types: the manager is Any to mypy
    deleted: tuple[int, dict[str, int]] = ApiToken.objects.filter(user=user).delete()
    return deleted[0]


def delete_expired_tokens() -> int:
    deleted: tuple[int, dict[str, int]] = ApiToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted[0]


# --- invitations ------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=INVITATION_SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    url: str = settings.SITE_URL + reverse(
        "accounts:invitation", kwargs={"token": invitation_token(invitation)}
    )
    return url


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


def invite(
    *,
    event: Any,
    actor: User,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    purpose: str = "",
) -> Invitation:
    email = _clean_email(email)
    if role not in Invitation.Role.values:
        raise DomainError(_("Choose a valid role."), field="role")
    if role in Invitation.ORGANISATION_ROLES:
        kind, _membership_role = Invitation.ORGANISATION_ROLES[role]
        if organisation is None:
            raise DomainError(_("Choose the organisation to join."), field="organisation")
        if organisation.event_id != event.pk or organisation.kind != kind:
            raise DomainError(_("This role does not fit that organisation."), field="organisation")
        require_perm(
            actor,
            "accounts.manage_members",
            organisation,
            _("You may not invite people to this organisation."),
        )
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise DomainError(_("This person is already a member."), field="email")
    else:
        organisation = None
        require_perm(
            actor, "events.invite_organiser", event, _("Only an organiser admin may invite organisers.")
        )
        if EventStaff.objects.filter(event=event, user__email__iexact=email).exists():
            raise DomainError(_("This person is already an organiser of this event."), field="email")
    waiting = (
        Invitation.objects.filter(
            event=event, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )
    if waiting is not None and waiting.created_at > timezone.now() - timedelta(
        seconds=settings.INVITATION_MAX_AGE
    ):
        raise ConflictError(
            _("%(email)s already has an invitation waiting, as %(role)s: revoke it below to send another.")
            % {"email": email, "role": waiting.get_role_display()},
            field="email",
        )
    with transaction.atomic():
        invitation = Invitation.objects.create(
            event=event, email=email, role=role, organisation=organisation, invited_by=actor, purpose=purpose
        )
        audit.record(
            actor=actor, action="invitation.sent", obj=invitation, event=event, role=role, email=email
        )
        queue_secret_email(
            to=email,
            kind="invitation",
            builder="accounts.invitation",
            event=event,
            # someone with no account yet reads it in the language the inviter is using
            payload={"invitation": invitation.pk, "language": translation.get_language()},
            subject=render_email(
                "invitation",
                _invitation_context(invitation),
                event=event,
                to=email,
                language=translation.get_language(),
            )[0],
        )
    return invitation


def _invitation_context(invitation: Invitation) -> dict[str, Any]:
    return {
        "invitation": invitation,
        "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
        # the label itself (lazy), so that it reads in the language the e-mail is rendered in
        "role": Invitation.Role(invitation.role).label,
        "organisation": invitation.organisation.name if invitation.organisation else "",
        "days": settings.INVITATION_MAX_AGE // 86400,
    }


@register_builder("accounts.invitation")
def _build_invitation(payload: dict[str, Any]) -> tuple[str, str] | None:
    invitation_id = payload.get("invitation")
    if invitation_id is None:
        return None
    invitation = (
        Invitation.objects.select_related("event", "organisation", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    context = {**_invitation_context(invitation), "url": invitation_url(invitation)}
    return render_email(
        "invitation", context, event=invitation.event, to=invitation.email, language=payload.get("language")
    )


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
        staff_role = (
            EventStaff.Role.ADMIN if role == Invitation.Role.ORGANISER_ADMIN else EventStaff.Role.STAFF
        )
        EventStaff.objects.update_or_create(event=event, user=user, defaults={"role": staff_role})
    forget_roles(user)


def accept_invitation(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> User:
    """Accept as the signed-in ``user`` (whose e-mail must match), or create the account."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("event", "organisation")
            .get(pk=invitation.pk)
        )
        if not invitation.is_open:
            raise ConflictError(_("This invitation has already been used. Sign in instead."))
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise DomainError(_("You already have an account: sign in to accept."), field="email")
            probe = User(email=invitation.email, full_name=full_name)
            _check_password(password, probe)
            # The invitation reached this address: that proves it.
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                full_name=full_name.strip(),
                email_verified_at=timezone.now(),
            )
        elif user.email.lower() != invitation.email.lower():
            raise NotAllowed(_("This invitation was sent to another e-mail address."))
        else:
            _mark_verified(user)
        grant_role(
            event=invitation.event, user=user, role=invitation.role, organisation=invitation.organisation
        )
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
    if not user.email_verified:
        raise NotAllowed(
            _("Confirm your e-mail address first: open the link we sent you."), code="unverified"
        )
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


def vet_visitor(*, visitor: TradeVisitor, actor: User, approve: bool, reason: str = "") -> TradeVisitor:
    """Approve or reject; rejecting an approved visitor withdraws their admission at once."""
    return admission.set_visitor_status(visitor=visitor, actor=actor, approve=approve, reason=reason)


MAX_BULK_VETTING = 100  # a page of the vetting list and then some


def vet_visitors(*, event: Any, actor: User, ids: list[int], approve: bool, reason: str = "") -> int:
    """The same decision for several of the event's visitors at once, all or none (each told by
    e-mail as when vetted one by one); ids of other events' visitors are refused. Returns how many."""
    ids = sorted(set(ids))
    if not ids:
        raise DomainError(_("Tick at least one visitor."), field="ids")
    if len(ids) > MAX_BULK_VETTING:
        raise DomainError(_("Vet at most %(n)d visitors at once.") % {"n": MAX_BULK_VETTING}, field="ids")
    with transaction.atomic():
        visitors = list(TradeVisitor.objects.filter(event=event, pk__in=ids).order_by("pk"))
        if len(visitors) != len(ids):
            raise DomainError(_("Some of these visitors are not registered for this show."), field="ids")
        for visitor in visitors:
            admission.set_visitor_status(visitor=visitor, actor=actor, approve=approve, reason=reason)
    return len(visitors)
