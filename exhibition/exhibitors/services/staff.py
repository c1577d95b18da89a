"""An exhibitor's staff: inviting colleagues and requesting badges within the stand's quota."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Organisation, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm

from ..models import BadgeRequest
from ..selectors import badge_quota_for

# --- staff and badges -----------------------------------------------------------------------------


def invite_colleague(*, organisation: Organisation, actor: User, email: str) -> Invitation:
    require_perm(
        actor, "exhibitors.invite_staff", organisation, _("Only the company admin invites colleagues.")
    )
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
    require_perm(actor, "exhibitors.request_badge", organisation)
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
    require_perm(actor, "exhibitors.request_badge", badge.organisation)
    with transaction.atomic():
        audit.record(actor=actor, action="badge.cancelled", obj=badge, event=badge.event)
        badge.delete()
