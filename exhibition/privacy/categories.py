"""The personal data the domain apps hold, registered with exhibition.core.privacy.

Kept whatever the rules say: invoices and payments (a legal obligation: ten years in France)
and the audit log (its personal fields are redacted, the entries stay).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibition.accounts.models import CalendarFeed, Membership, TradeVisitor, User
from exhibition.accounts.services import revoke_all_tokens
from exhibition.core.models import AuditLogEntry, OutboxMessage
from exhibition.core.privacy import (
    Category,
    PersonData,
    redact_audit,
    register_category,
    register_person_data,
)
from exhibition.delegations.models import DelegationMember
from exhibition.exhibitors.models import ApplicationDocument, BadgeRequest, ExhibitorImport, ScreeningHit
from exhibition.meetings.models import Meeting, MeetingRequest, Participant

SHREDDED = "[shredded]"


# --- retention categories (per event) -----------------------------------------------------------


def _visitors(event):
    return TradeVisitor.objects.filter(event=event).exclude(job_title=SHREDDED).select_related("user")


def _shred_visitors(rows) -> int:
    ids = [v.pk for v in rows]
    TradeVisitor.objects.filter(pk__in=ids).update(
        organisation_name=SHREDDED, job_title=SHREDDED, looking_for=""
    )
    TradeVisitor.sectors.through.objects.filter(tradevisitor_id__in=ids).delete()
    Participant.objects.filter(visitor_id__in=ids).update(
        name=_anonymous_name(), headline="", offer="", seek="", updated_at=timezone.now()
    )
    redact_audit("accounts.tradevisitor", ids)
    return len(ids)


def _anonymous_name() -> str:
    return str(_("Former visitor"))


register_category(
    Category(
        key="visitor_registrations",
        label=_("Visitor registrations"),
        help_text=_("Trade visitors' organisation, job title and interests, and their meeting profile."),
        default_days=90,
        action="anonymise",
        rows=_visitors,
        export=lambda v: {
            "id": v.pk,
            "email": v.user.email,
            "name": v.user.full_name,
            "organisation": v.organisation_name,
            "job_title": v.job_title,
            "looking_for": v.looking_for,
            "status": v.status,
            "registered": v.created_at.isoformat(),
        },
        shred=_shred_visitors,
        audit_object_types=("accounts.tradevisitor",),
    )
)


def _members(event):
    return (
        DelegationMember.objects.filter(delegation__organisation__event=event)
        .exclude(name=SHREDDED)
        .select_related("delegation__organisation")
    )


def _shred_members(rows) -> int:
    ids = [m.pk for m in rows]
    DelegationMember.objects.filter(pk__in=ids).update(
        name=SHREDDED, title="", organisation="", role="", email=""
    )
    redact_audit("delegations.delegationmember", ids)
    return len(ids)


register_category(
    Category(
        key="delegation_members",
        label=_("Delegation member details"),
        help_text=_("Names, ranks, organisations and e-mail addresses of delegation members."),
        default_days=90,
        action="anonymise",
        rows=_members,
        export=lambda m: {
            "id": m.pk,
            "delegation": m.delegation.organisation.name,
            "name": m.name,
            "title": m.title,
            "organisation": m.organisation,
            "role": m.role,
            "email": m.email,
            "head": m.is_head,
        },
        shred=_shred_members,
        audit_object_types=("delegations.delegationmember",),
    )
)


def _documents(event):
    return ApplicationDocument.objects.filter(application__event=event).select_related("application")


def _shred_documents(rows) -> int:
    for doc in rows:
        doc.file.delete(save=False)  # the file first: a row without a file is harmless, the reverse is not
    ids = [d.pk for d in rows]
    ApplicationDocument.objects.filter(pk__in=ids).delete()
    redact_audit("exhibitors.applicationdocument", ids)
    return len(ids)


register_category(
    Category(
        key="uploaded_documents",
        label=_("Uploaded documents"),
        help_text=_("Files that companies attached to their applications (registrations, certificates)."),
        default_days=180,
        action="delete",
        rows=_documents,
        export=lambda d: {
            "id": d.pk,
            "application": d.application_id,
            "company": d.application.legal_name,
            "kind": d.kind,
            "file": d.original_name,
            "size": d.size,
            "uploaded": d.uploaded_at.isoformat(),
        },
        shred=_shred_documents,
        audit_object_types=("exhibitors.applicationdocument",),
    )
)


def _hits(event):
    return ScreeningHit.objects.filter(application__event=event).select_related("application")


def _shred_hits(rows) -> int:
    ids = [h.pk for h in rows]
    ScreeningHit.objects.filter(pk__in=ids).delete()
    redact_audit("exhibitors.screeninghit", ids)
    return len(ids)


register_category(
    Category(
        key="screening_evidence",
        label=_("Screening evidence"),
        help_text=_("Matches of applicants against restricted-party lists, and how they were resolved."),
        default_days=365,
        action="delete",
        rows=_hits,
        export=lambda h: {
            "id": h.pk,
            "application": h.application_id,
            "company": h.application.legal_name,
            "field": h.field,
            "applicant_value": h.candidate,
            "listed_value": h.matched,
            "score": h.score,
            "status": h.status,
            "reason": h.reason,
        },
        shred=_shred_hits,
        audit_object_types=("exhibitors.screeninghit",),
    )
)


def _imports(event):
    return ExhibitorImport.objects.filter(event=event)


def _shred_imports(rows) -> int:
    return ExhibitorImport.objects.filter(pk__in=[job.pk for job in rows]).delete()[0]


register_category(
    Category(
        key="exhibitor_imports",
        label=_("Exhibitor imports"),
        help_text=_(
            "Files of last year's exhibitors imported by the organisers, and the rows they refused, "
            "which may name a contact's e-mail address. The file itself is dropped once imported."
        ),
        default_days=30,
        action="delete",
        rows=_imports,
        export=lambda job: {
            "id": job.pk,
            "file": job.filename,
            "rows": job.total,
            "status": job.status,
            "imported": job.imported,
            "started": job.created_at.isoformat(),
            "errors": [{"row": row, "detail": message} for row, message in job.errors],
        },
        shred=_shred_imports,
    )
)


def _outbox(event):
    return (
        OutboxMessage.objects.filter(event=event)
        .exclude(status=OutboxMessage.Status.PENDING)
        .exclude(body="")
    )


def _shred_outbox(rows) -> int:
    ids = [m.pk for m in rows]
    OutboxMessage.objects.filter(pk__in=ids).update(recipient="", subject=SHREDDED, body="", last_error="")
    return len(ids)


register_category(
    Category(
        key="outbox_bodies",
        label=_("Sent e-mails"),
        help_text=_("Recipients, subjects and texts of the e-mails the platform sent."),
        default_days=30,
        action="anonymise",
        rows=_outbox,
        export=lambda m: {
            "id": m.pk,
            "kind": m.kind,
            "recipient": m.recipient,
            "subject": m.subject,
            "status": m.status,
            "sent": m.sent_at.isoformat() if m.sent_at else None,
        },
        shred=_shred_outbox,
    )
)


def _no_rows(event):
    return AuditLogEntry.objects.none()


register_category(
    Category(
        key="ip_addresses",
        label=_("IP addresses in logs"),
        help_text=_(
            "The platform stores no IP address in its database and writes none to its logs; "
            "this period is what your log system must keep its own access logs for at most."
        ),
        default_days=30,
        action="delete",
        rows=_no_rows,
        export=lambda row: {},
        shred=lambda rows: 0,
    )
)


# --- one person's data (download and erasure) -------------------------------------------------------


def _account(user) -> list[dict]:
    return [
        {
            "email": user.email,
            "name": user.full_name,
            "language": user.language,
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
    ]


def _erase_account(user) -> int:
    revoke_all_tokens(user=user, reason="account erased")
    CalendarFeed.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@erased.invalid",
        full_name="",
        is_active=False,
        password="!erased",  # noqa: S106 -- "!" starts Django's unusable password: no sign-in matches it
    )
    redact_audit("accounts.user", [user.pk])
    return 1


register_person_data(
    PersonData(key="account", label=_("Account"), collect=_account, erase=_erase_account, order=1000)
)


def _import_mentions(user) -> list[tuple[ExhibitorImport, list]]:
    """Exhibitor imports whose refused rows name the person's e-mail address (a contact already
    invited, or the contact of two rows)."""
    email = user.email.lower()
    found = []
    for job in ExhibitorImport.objects.exclude(errors=[]).select_related("event"):
        rows = [[row, message] for row, message in job.errors if email in str(message).lower()]
        if rows:
            found.append((job, rows))
    return found


def _imports_naming(user) -> list[dict]:
    return [
        {"event": job.event.name, "file": job.filename, "row": row, "detail": message}
        for job, rows in _import_mentions(user)
        for row, message in rows
    ]


def _erase_import_mentions(user) -> int:
    email = user.email.lower()
    n = 0
    for job, rows in _import_mentions(user):
        job.errors = [
            [row, str(message).replace(email, "[erased]")] if [row, message] in rows else [row, message]
            for row, message in job.errors
        ]
        job.save(update_fields=["errors"])
        n += len(rows)
    return n


register_person_data(
    PersonData(
        key="exhibitor_import_rows",
        label=_("Rows of exhibitor imports that name you"),
        collect=_imports_naming,
        erase=_erase_import_mentions,
        order=90,
    )
)


def _memberships(user) -> list[dict]:
    return [
        {"event": m.organisation.event.name, "organisation": m.organisation.name, "role": m.role}
        for m in Membership.objects.filter(user=user).select_related("organisation__event")
    ]


register_person_data(
    PersonData(key="memberships", label=_("Companies and delegations"), collect=_memberships, order=10)
)


def _registrations(user) -> list[dict]:
    return [
        {
            "event": v.event.name,
            "organisation": v.organisation_name,
            "job_title": v.job_title,
            "looking_for": v.looking_for,
            "status": v.status,
            "registered": v.created_at.isoformat(),
        }
        for v in TradeVisitor.objects.filter(user=user).select_related("event")
    ]


def _erase_registrations(user) -> int:
    return _shred_visitors(list(TradeVisitor.objects.filter(user=user)))


register_person_data(
    PersonData(
        key="visitor_registrations",
        label=_("Visitor registrations"),
        collect=_registrations,
        erase=_erase_registrations,
        order=20,
    )
)


def _meetings(user) -> list[dict]:
    participants = list(Participant.objects.filter(user=user).select_related("event"))
    rows = []
    for p in participants:
        mine = Q(sender=p) | Q(recipient=p)
        rows.append(
            {
                "event": p.event.name,
                "profile": {"name": p.name, "headline": p.headline, "offer": p.offer, "seek": p.seek},
                "requests": [
                    {
                        "from": r.sender.name,
                        "to": r.recipient.name,
                        "status": r.status,
                        "message": r.message,
                        "sent": r.created_at.isoformat(),
                    }
                    for r in MeetingRequest.objects.filter(mine).select_related("sender", "recipient")
                ],
                "meetings": [
                    {
                        "with": (m.recipient if m.sender_id == p.pk else m.sender).name,
                        "start": m.start.isoformat(),
                        "end": m.end.isoformat(),
                        "status": m.status,
                    }
                    for m in Meeting.objects.filter(mine).select_related("sender", "recipient")
                ],
            }
        )
    return rows


def _erase_meetings(user) -> int:
    participants = Participant.objects.filter(user=user)
    ids = list(participants.values_list("pk", flat=True))
    MeetingRequest.objects.filter(Q(sender_id__in=ids) | Q(recipient_id__in=ids)).update(
        message="", preferred_times="", response=""
    )
    redact_audit("meetings.participant", ids)
    return participants.update(
        name=_anonymous_name(), headline="", offer="", seek="", opted_in=False, updated_at=timezone.now()
    )


register_person_data(
    PersonData(key="meetings", label=_("Meetings"), collect=_meetings, erase=_erase_meetings, order=30)
)


def _by_email(user) -> list[dict]:
    return [
        {
            "kind": "delegation member",
            "delegation": m.delegation.organisation.name,
            "name": m.name,
            "title": m.title,
            "role": m.role,
        }
        for m in DelegationMember.objects.filter(email__iexact=user.email).select_related(
            "delegation__organisation"
        )
    ] + [
        {"kind": "badge", "company": b.organisation.name, "name": b.name, "role": b.role}
        for b in BadgeRequest.objects.filter(email__iexact=user.email).select_related("organisation")
    ]


def _erase_by_email(user) -> int:
    members = list(DelegationMember.objects.filter(email__iexact=user.email))
    n = _shred_members(members)
    n += BadgeRequest.objects.filter(email__iexact=user.email).update(email="")
    return n


register_person_data(
    PersonData(
        key="listed_by_others",
        label=_("Where others listed you"),
        collect=_by_email,
        erase=_erase_by_email,
        order=40,
    )
)


def _emails(user) -> list[dict]:
    return [
        {
            "subject": m.subject,
            "sent": m.sent_at.isoformat() if m.sent_at else None,
            "status": m.status,
            "body": m.body,
        }
        for m in OutboxMessage.objects.filter(recipient__iexact=user.email).order_by("id")
    ]


def _erase_emails(user) -> int:
    return (
        OutboxMessage.objects.filter(recipient__iexact=user.email)
        .exclude(status=OutboxMessage.Status.PENDING)
        .update(recipient="", subject=SHREDDED, body="", last_error="")
    )


register_person_data(
    PersonData(key="emails", label=_("E-mails sent to you"), collect=_emails, erase=_erase_emails, order=50)
)


def _actions(user) -> list[dict]:
    return [
        {"when": e.created_at.isoformat(), "action": e.action, "object": e.object_repr}
        for e in AuditLogEntry.objects.filter(actor=user).order_by("created_at")[:5000]
    ]


# Nothing to erase here: the entries stay (the audit log is evidence); their actor is the erased,
# anonymous account, and entries about the person's own records are redacted by the sources above.
register_person_data(
    PersonData(key="actions", label=_("What you did on the platform"), collect=_actions, order=60)
)
