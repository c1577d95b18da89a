"""Issuing, reissuing and revoking badges; photos; printing and e-mailing them.

A badge is issued only to an admitted holder, and is printed, downloaded or e-mailed only
while its holder is still admitted (``holders.holder_admitted``). Losing admission revokes it
(``revoke_for_admission_loss``, registered with ``accounts.admission``), and the periodic
``reconcile_badges`` revokes what lost its holder any other way (a badge request cancelled, a
delegation member removed, an organiser removed)."""

from __future__ import annotations

from datetime import date
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.admission import AdmissionLoss
from exhibition.accounts.models import EventStaff, Membership, Organisation, TradeVisitor, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed, require_perm
from exhibition.core.models import AuditLogEntry
from exhibition.core.notifications import queue_secret_email
from exhibition.delegations.models import DelegationMember
from exhibition.events.models import Event
from exhibition.exhibitors import services as exhibitor_services
from exhibition.exhibitors.models import BadgeRequest

from .. import codes
from ..holders import admitted_q, holder_admitted
from ..models import AccessDay, Badge, BadgeCategory, SigningKey
from ..photos import process_photo
from .setup import is_set_up, signing_key

LIVE = ("pending", "valid")


def category(event: Event, code: str) -> BadgeCategory:
    cat = BadgeCategory.objects.filter(event=event, code=code).first()
    if cat is None:
        raise DomainError(_("Badges are not set up for this event yet."), code="not_set_up")
    return cat


def _window(event: Event) -> tuple[date, int]:
    """The days signed into new codes: every site day (at most 16). The category's own days are
    checked at the gate, so an organiser can widen or narrow them without reprinting."""
    days = list(AccessDay.objects.filter(event=event).order_by("date").values_list("date", flat=True))
    if not days:
        days = [d.date for d in event.days.order_by("date")]
    return codes.days_mask(days)


def _sign_fields(badge: Badge, key: SigningKey | None = None, window: tuple[date, int] | None = None) -> None:
    """Make a badge valid: sign it with the current key over the event's window of days."""
    badge.key = key or signing_key(badge.event)
    badge.valid_from, badge.valid_mask = window or _window(badge.event)
    badge.status = Badge.Status.VALID


def code_for(badge: Badge, private: Ed25519PrivateKey | None = None) -> str:
    """The badge's signed code (the same every time: Ed25519 signatures are deterministic)."""
    if (
        badge.status != Badge.Status.VALID
        or badge.key_id is None
        or badge.valid_from is None
        or (key := badge.key) is None
    ):
        raise DomainError(_("This badge has no code yet."), code="no_code")
    payload = codes.Payload(
        kid=key.kid,
        badge_id=badge.pk,
        category=badge.category.number,
        valid_from=badge.valid_from,
        mask=badge.valid_mask,
    )
    return codes.sign(payload, private or codes.load_private(key.private_key))


def _create(
    *, event: Event, cat: BadgeCategory, source: str, actor: User, photo: bytes | None = None, **holder: Any
) -> Badge:
    badge = Badge(
        event=event,
        category=cat,
        source=source,
        issued_at=timezone.now(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        **holder,
    )
    badge.name = " ".join((badge.name or "").split())[:150] or "?"
    if photo is not None:
        data, thumb = process_photo(photo)
        badge.photo.save("photo.jpg", ContentFile(data), save=False)
        badge.photo_thumb = thumb
    if not cat.requires_photo or badge.photo:
        _sign_fields(badge)
    try:
        with transaction.atomic():
            badge.save()
    except IntegrityError:
        raise ConflictError(_("This person already has a badge."), code="exists") from None
    audit.record(actor=actor, action="badge.issued", obj=badge, event=event, category=cat.code, source=source)
    return badge


def _live(qs: QuerySet[Badge]) -> Badge | None:
    return qs.filter(status__in=LIVE).first()


# --- issuing to each kind of holder ----------------------------------------------------------------


def issue_for_person(*, event: Event, user: User, actor: User) -> Badge:
    """The badge of an organiser or an approved trade visitor (their own, or by the organiser)."""
    with transaction.atomic():
        existing = _live(Badge.objects.filter(event=event, user=user, source__in=["organiser", "visitor"]))
        if existing is not None:
            return existing
        if EventStaff.objects.filter(event=event, user=user).exists():
            return _create(
                event=event,
                cat=category(event, "organiser"),
                source=Badge.Source.ORGANISER,
                actor=actor,
                user=user,
                name=user.get_full_name(),
                organisation_name=event.name,
                email=user.email,
                country=event.country,
            )
        visitor = TradeVisitor.objects.filter(
            event=event, user=user, status=TradeVisitor.Status.APPROVED
        ).first()
        if visitor is None or user.email_verified_at is None:
            raise NotAllowed(_("A badge is issued once your registration is approved."), code="not_admitted")
        return _create(
            event=event,
            cat=category(event, "visitor"),
            source=Badge.Source.VISITOR,
            actor=actor,
            user=user,
            visitor=visitor,
            name=user.get_full_name(),
            organisation_name=visitor.organisation_name,
            job_title=visitor.job_title,
            country=visitor.country,
            email=user.email,
        )


def _member_user(organisation: Organisation, email: str) -> User | None:
    if not email:
        return None
    m = (
        Membership.objects.filter(organisation=organisation, user__email__iexact=email)
        .select_related("user")
        .first()
    )
    return m.user if m else None


def issue_for_request(*, badge_request: BadgeRequest, actor: User) -> Badge:
    """An exhibitor's staff badge: one per badge request (the request holds the company's quota)."""
    org = badge_request.organisation
    with transaction.atomic():
        existing = _live(Badge.objects.filter(badge_request=badge_request))
        if existing is not None:
            return existing
        if org.admitted_at is None:
            raise NotAllowed(_("Badges are issued once the company is admitted."), code="not_admitted")
        return _create(
            event=org.event,
            cat=category(org.event, "exhibitor"),
            source=Badge.Source.EXHIBITOR,
            actor=actor,
            badge_request=badge_request,
            organisation=org,
            user=_member_user(org, badge_request.email),
            name=badge_request.name,
            organisation_name=org.name,
            job_title=badge_request.role,
            country=org.country,
            email=badge_request.email,
        )


def add_staff_badge(
    *, organisation: Organisation, actor: User, name: str, role: str = "", email: str = ""
) -> Badge:
    """Request a staff badge within the company's quota (exhibitors' service, under its lock)
    and issue it, in one transaction."""
    require_perm(
        actor,
        "accreditation.manage_organisation_badges",
        organisation,
        _("Only the company admin requests badges."),
    )
    with transaction.atomic():
        request = exhibitor_services.request_badge(
            organisation=organisation, actor=actor, name=name, role=role, email=email
        )
        return issue_for_request(badge_request=request, actor=actor)


def issue_requested_badges(*, organisation: Organisation, actor: User) -> int:
    """Issue now the badges the company requested on the exhibitor portal (the periodic
    ``issue_missing_badges`` would issue them later). Returns how many were issued."""
    require_perm(
        actor,
        "accreditation.manage_organisation_badges",
        organisation,
        _("Only the company admin requests badges."),
    )
    if not is_set_up(organisation.event):
        raise DomainError(_("Badges are not set up for this event yet."), code="not_set_up")
    awaiting = BadgeRequest.objects.filter(organisation=organisation).exclude(badges__status__in=LIVE)
    issued = 0
    with transaction.atomic():
        for request in awaiting.select_related("organisation__event").order_by("pk"):
            issue_for_request(badge_request=request, actor=actor)
            issued += 1
    return issued


def cancel_staff_badge(*, badge: Badge, actor: User) -> None:
    """The company no longer wants this badge: revoked, and its place in the quota freed."""
    if badge.source != Badge.Source.EXHIBITOR:
        raise NotAllowed(_("You may not cancel this badge."))
    require_perm(actor, "accreditation.view_badge", badge, _("You may not cancel this badge."))
    with transaction.atomic():
        request = badge.badge_request
        if badge.is_live:
            revoke_badge(badge=badge, actor=actor, reason=Badge.RevokeReason.HOLDER_REMOVED)
        if request is not None:
            exhibitor_services.cancel_badge(badge=request, actor=actor)


def issue_for_member(*, member: DelegationMember, actor: User, photo: bytes | None = None) -> Badge:
    """A delegation member's badge (a photo is required by default: pending until it is there)."""
    org = member.delegation.organisation
    with transaction.atomic():
        existing = _live(Badge.objects.filter(delegation_member=member))
        if existing is not None:
            if photo is not None:
                return set_photo(badge=existing, actor=actor, data=photo)
            return existing
        if org.admitted_at is None:
            raise NotAllowed(_("Badges are issued once the delegation is registered."), code="not_admitted")
        title = " ".join(x for x in (member.title, member.role) if x)
        return _create(
            event=org.event,
            cat=category(org.event, "delegation"),
            source=Badge.Source.DELEGATION,
            actor=actor,
            photo=photo,
            delegation_member=member,
            organisation=org,
            user=_member_user(org, member.email),
            name=member.name,
            organisation_name=member.organisation or member.delegation.official_name,
            job_title=title[:150],
            country=org.country,
            email=member.email,
        )


def issue_manual(
    *,
    event: Event,
    actor: User,
    category: BadgeCategory,
    name: str,
    organisation_name: str = "",
    job_title: str = "",
    country: str = "",
    email: str = "",
    organisation: Organisation | None = None,
    photo: bytes | None = None,
) -> Badge:
    """A badge the organiser issues by hand: contractors, press, anyone their own vetting admits."""
    require_perm(actor, "accreditation.manage", event, _("Only organisers issue badges by hand."))
    if category.event_id != event.pk or (organisation is not None and organisation.event_id != event.pk):
        raise DomainError(_("Choose from this event."), field="category")
    if not " ".join((name or "").split()):
        raise DomainError(_("Enter the name printed on the badge."), field="name")
    if organisation is not None and organisation.admitted_at is None:
        raise DomainError(_("This organisation is not admitted."), field="organisation")
    with transaction.atomic():
        return _create(
            event=event,
            cat=category,
            source=Badge.Source.MANUAL,
            actor=actor,
            photo=photo,
            organisation=organisation,
            name=name,
            organisation_name=organisation_name or (organisation.name if organisation else ""),
            job_title=job_title,
            country=country,
            email=(email or "").strip().lower(),
        )


def issue_missing_badges(*, event: Event, actor: User | None = None) -> int:
    """Issue a badge to every admitted holder who has none: organisers, approved visitors, the
    badge requests of admitted companies, the members of admitted delegations. In bulk (a
    show's 30,000 visitors take seconds). Returns how many were issued."""
    if not is_set_up(event):
        return 0
    cats = {c.code: c for c in BadgeCategory.objects.filter(event=event)}
    if not {"organiser", "visitor", "exhibitor", "delegation"} <= set(cats):
        raise DomainError(_("The organiser, exhibitor, visitor and delegation categories are needed."))
    now = timezone.now()
    issuer = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        key = signing_key(event)
        window = _window(event)
        live = Badge.objects.filter(event=event, status__in=LIVE)
        new: list[Badge] = []

        def add(cat: BadgeCategory, source: str, **holder: Any) -> None:
            b = Badge(event=event, category=cat, source=source, issued_at=now, issued_by=issuer, **holder)
            b.name = " ".join((b.name or "").split())[:150] or "?"
            if not cat.requires_photo:
                _sign_fields(b, key=key, window=window)
            new.append(b)

        have_users = set(live.filter(source__in=["organiser", "visitor"]).values_list("user_id", flat=True))
        for staff in EventStaff.objects.filter(event=event).select_related("user"):
            if staff.user_id not in have_users and staff.user.is_active:
                have_users.add(staff.user_id)
                add(
                    cats["organiser"],
                    Badge.Source.ORGANISER,
                    user=staff.user,
                    name=staff.user.get_full_name(),
                    organisation_name=event.name,
                    email=staff.user.email,
                    country=event.country,
                )
        for v in (
            TradeVisitor.objects.filter(
                event=event,
                status=TradeVisitor.Status.APPROVED,
                user__is_active=True,
                user__email_verified_at__isnull=False,
            )
            .exclude(user_id__in=have_users)
            .select_related("user")
        ):
            add(
                cats["visitor"],
                Badge.Source.VISITOR,
                user=v.user,
                visitor=v,
                name=v.user.get_full_name(),
                organisation_name=v.organisation_name,
                job_title=v.job_title,
                country=v.country,
                email=v.user.email,
            )
        have_requests = set(
            live.filter(badge_request__isnull=False).values_list("badge_request_id", flat=True)
        )
        members_by_email = {
            (m.organisation_id, m.user.email.lower()): m.user
            for m in Membership.objects.filter(
                organisation__event=event, organisation__admitted_at__isnull=False
            ).select_related("user")
        }
        for r in BadgeRequest.objects.filter(
            event=event, organisation__admitted_at__isnull=False
        ).select_related("organisation"):
            if r.pk in have_requests:
                continue
            add(
                cats["exhibitor"],
                Badge.Source.EXHIBITOR,
                badge_request=r,
                organisation=r.organisation,
                user=members_by_email.get((r.organisation_id, (r.email or "").lower())),
                name=r.name,
                organisation_name=r.organisation.name,
                job_title=r.role,
                country=r.organisation.country,
                email=r.email,
            )
        have_members = set(
            live.filter(delegation_member__isnull=False).values_list("delegation_member_id", flat=True)
        )
        for m in DelegationMember.objects.filter(
            delegation__organisation__event=event, delegation__organisation__admitted_at__isnull=False
        ).select_related("delegation__organisation"):
            if m.pk in have_members:
                continue
            org = m.delegation.organisation
            add(
                cats["delegation"],
                Badge.Source.DELEGATION,
                delegation_member=m,
                organisation=org,
                user=members_by_email.get((org.pk, (m.email or "").lower())),
                name=m.name,
                organisation_name=m.organisation or m.delegation.official_name,
                job_title=" ".join(x for x in (m.title, m.role) if x)[:150],
                country=org.country,
                email=m.email,
            )
        created = Badge.objects.bulk_create(new, batch_size=2000)
        AuditLogEntry.objects.bulk_create(
            [
                AuditLogEntry(
                    event=event,
                    actor=issuer,
                    action="badge.issued",
                    object_type="accreditation.badge",
                    object_id=str(b.pk),
                    object_repr=str(b)[:200],
                    data={"category": b.category.code, "source": b.source, "batch": True},
                )
                for b in created
            ],
            batch_size=2000,
        )
    return len(created)


# --- photos, reissue, revoke -----------------------------------------------------------------------


def _lock(badge: Badge) -> Badge:
    return (
        Badge.objects.select_for_update(of=("self",))
        .select_related("category", "event", "key")
        .get(pk=badge.pk)
    )


def set_photo(*, badge: Badge, actor: User, data: bytes) -> Badge:
    """Check and re-encode the photo; a badge that waited for it becomes valid."""
    jpeg, thumb = process_photo(data)
    with transaction.atomic():
        b = _lock(badge)
        if not b.is_live:
            raise ConflictError(_("This badge was revoked."), code="revoked")
        old = b.photo.name if b.photo else ""
        b.photo.save("photo.jpg", ContentFile(jpeg), save=False)
        b.photo_thumb = thumb
        if b.status == Badge.Status.PENDING:
            _sign_fields(b)
        b.save()
        audit.record(actor=actor, action="badge.photo_set", obj=b, event=b.event)
        if old:
            transaction.on_commit(lambda: b.photo.storage.delete(old))
    return b


def reissue_badge(*, badge: Badge, actor: User, category: BadgeCategory | None = None) -> Badge:
    """A lost badge (or a change of category): a new badge with a new code; the old code is revoked."""
    with transaction.atomic():
        old = _lock(badge)
        if not old.is_live:
            raise ConflictError(_("This badge was revoked: issue a new one instead."), code="revoked")
        if not holder_admitted(
            Badge.objects.select_related("category", "visitor", "organisation", "user").get(pk=old.pk)
        ):
            raise NotAllowed(_("The holder is no longer admitted."), code="not_admitted")
        cat = category or old.category
        if cat.event_id != old.event_id:
            raise DomainError(_("Choose from this event."), field="category")
        old.status, old.revoked_at, old.revoke_reason = (
            Badge.Status.REVOKED,
            timezone.now(),
            Badge.RevokeReason.REISSUED,
        )
        old.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        old.save(update_fields=["status", "revoked_at", "revoke_reason", "revoked_by", "updated_at"])
        new = Badge(
            event=old.event,
            category=cat,
            source=old.source,
            user=old.user,
            visitor=old.visitor,
            organisation=old.organisation,
            badge_request=old.badge_request,
            delegation_member=old.delegation_member,
            name=old.name,
            organisation_name=old.organisation_name,
            job_title=old.job_title,
            country=old.country,
            email=old.email,
            photo=old.photo.name if old.photo else "",
            photo_thumb=old.photo_thumb,
            leads_opt_out=old.leads_opt_out,
            replaces=old,
            issued_at=timezone.now(),
            issued_by=old.revoked_by,
        )
        if not cat.requires_photo or new.photo:
            _sign_fields(new)
        new.save()
        audit.record(
            actor=actor,
            action="badge.revoked",
            obj=old,
            event=old.event,
            reason="reissued",
            replaced_by=new.pk,
        )
        audit.record(actor=actor, action="badge.reissued", obj=new, event=new.event, replaces=old.pk)
    return new


def revoke_badge(
    *, badge: Badge, actor: User, reason: str = Badge.RevokeReason.ORGANISER, note: str = ""
) -> Badge:
    with transaction.atomic():
        b = _lock(badge)
        if not b.is_live:
            return b
        b.status, b.revoked_at, b.revoke_reason = Badge.Status.REVOKED, timezone.now(), reason
        b.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        b.save(update_fields=["status", "revoked_at", "revoke_reason", "revoked_by", "updated_at"])
        audit.record(
            actor=actor, action="badge.revoked", obj=b, event=b.event, reason=reason, note=note[:200]
        )
    return b


def _revoke_many(qs: QuerySet[Badge], *, actor: User | None, reason: str, event: Any, why: str = "") -> int:
    now = timezone.now()
    ids = list(qs.filter(status__in=LIVE).select_for_update(of=("self",)).values_list("pk", flat=True))
    if not ids:
        return 0
    issuer = actor if getattr(actor, "is_authenticated", False) else None
    Badge.objects.filter(pk__in=ids).update(
        status=Badge.Status.REVOKED, revoked_at=now, revoke_reason=reason, revoked_by=issuer, updated_at=now
    )
    AuditLogEntry.objects.bulk_create(
        [
            AuditLogEntry(
                event_id=getattr(event, "pk", event),
                actor=issuer,
                action="badge.revoked",
                object_type="accreditation.badge",
                object_id=str(pk),
                data={"reason": reason, "why": why[:200]},
            )
            for pk in ids
        ]
    )
    return len(ids)


def revoke_for_admission_loss(loss: AdmissionLoss) -> None:
    """Registered with accounts.admission: the badges that derived from the lost admission are
    revoked in the same transaction, so the gates refuse them the moment it commits."""
    qs = Badge.objects.filter(event=loss.event)
    if loss.visitor is not None:
        qs = qs.filter(Q(visitor=loss.visitor) | Q(user=loss.visitor.user, source=Badge.Source.VISITOR))
    elif loss.organisation is not None and loss.user is not None:
        qs = qs.filter(organisation=loss.organisation, user=loss.user)
    elif loss.organisation is not None:
        qs = qs.filter(organisation=loss.organisation)
    else:
        return
    _revoke_many(
        qs, actor=loss.actor, reason=Badge.RevokeReason.ADMISSION_LOST, event=loss.event, why=loss.reason
    )


def reconcile_badges(*, event: Event | None = None) -> int:
    """Revoke live badges whose holder is no longer admitted for any other reason (a badge
    request cancelled, a delegation member removed, an organiser removed). Run every minute; the
    gate refuses such badges in the meantime anyway (it checks admission on every scan)."""
    qs = Badge.objects.filter(status__in=LIVE)
    if event is not None:
        qs = qs.filter(event=event)
    total = 0
    with transaction.atomic():
        stale = qs.exclude(admitted_q())
        for event_id in set(stale.values_list("event_id", flat=True)):
            total += _revoke_many(
                stale.filter(event_id=event_id),
                actor=None,
                reason=Badge.RevokeReason.HOLDER_REMOVED,
                event=event_id,
                why="holder no longer admitted",
            )
    return total


def set_leads_opt_out(*, badge: Badge, actor: User, opt_out: bool) -> Badge:
    if badge.user_id != actor.pk:
        raise NotAllowed(_("Only the holder decides this."))
    with transaction.atomic():
        Badge.objects.filter(pk=badge.pk).update(leads_opt_out=opt_out)
        badge.leads_opt_out = opt_out
        audit.record(
            actor=actor,
            action="badge.leads_opt_out" if opt_out else "badge.leads_opt_in",
            obj=badge,
            event=badge.event,
        )
    return badge


# --- printing gate -----------------------------------------------------------------------------------


def check_printable(badge: Badge) -> None:
    """No badge is printed, downloaded or e-mailed unless it is valid and its holder admitted."""
    if badge.status == Badge.Status.REVOKED:
        raise ConflictError(_("This badge was revoked."), code="revoked")
    if badge.status == Badge.Status.PENDING:
        raise ConflictError(_("This badge needs a photo before it can be printed."), code="pending")
    if not holder_admitted(badge):
        raise NotAllowed(_("This badge cannot be printed: its holder is not admitted."), code="not_admitted")


def mark_printed(badges: list[Badge]) -> None:
    now = timezone.now()
    Badge.objects.filter(pk__in=[b.pk for b in badges]).update(
        printed_at=now, print_count=F("print_count") + 1
    )


def printable_badges(event: Event) -> QuerySet[Badge]:
    return (
        Badge.objects.filter(event=event, status=Badge.Status.VALID)
        .filter(admitted_q())
        .select_related("category", "key", "event")
    )


def send_badge(*, badge: Badge, actor: User) -> None:
    """E-mail the holder a link to their badge. The link is built when the message is sent
    (only the badge's id is stored), and the message is dropped if the badge is no longer
    printable by then."""
    check_printable(badge)
    if not badge.email:
        raise DomainError(_("This badge has no e-mail address."), field="email")
    with transaction.atomic():
        queue_secret_email(
            to=badge.email,
            kind="accreditation.badge",
            builder="accreditation.badge_link",
            payload={"badge": badge.pk},
            subject=_("Your badge for %(event)s") % {"event": badge.event.name},
            event=badge.event,
        )
        audit.record(actor=actor, action="badge.sent", obj=badge, event=badge.event, to=badge.email)
