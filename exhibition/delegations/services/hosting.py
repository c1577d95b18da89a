"""The exhibitor's side: visit requests and answers, the stand's hosting capacity and
windows, and the delegations a company wishes to host."""

from __future__ import annotations

from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.notifications import queue_email
from exhibition.events.models import ShowDay
from exhibition.floorplans.models import Stand

from ..models import (
    Delegation,
    HostingWindow,
    HostWish,
    StandHosting,
    VisitRequest,
)
from .candidates import propose_candidates
from .delegations import event_of
from .problem import excluded_pairs, is_excluded

# --- exhibitor side ---------------------------------------------------------------------------


def request_visit(
    *, delegation: Delegation, actor: User, company: Organisation, message: str = ""
) -> VisitRequest:
    require_perm(actor, "delegations.request_visit", delegation)
    event = event_of(delegation)
    if (
        company.event_id != event.pk
        or company.kind != Organisation.Kind.COMPANY
        or company.admitted_at is None
    ):
        raise DomainError(_("Choose an exhibitor of this show."), field="company")
    if is_excluded(excluded_pairs(event), delegation.pk, company.pk, company.country.code):
        raise DomainError(_("A visit to this company cannot be arranged."), field="company")
    try:
        with transaction.atomic():
            req = VisitRequest.objects.create(delegation=delegation, company=company, message=message)
            audit.record(actor=actor, action="delegation.visit_requested", obj=req, event=event)
            for user in User.objects.filter(memberships__organisation=company, memberships__role="admin"):
                queue_email(
                    to=user.email,
                    kind="delegation_request",
                    template="delegations_request",
                    event=event,
                    language=user.language,
                    context={
                        "delegation": delegation.official_name,
                        "company": company.name,
                        "message": message,
                    },
                )
    except IntegrityError:
        raise DomainError(_("This company has already been asked."), field="company") from None
    return req


def answer_request(*, request: VisitRequest, actor: User, accept: bool) -> VisitRequest:
    require_perm(actor, "delegations.answer_request", request)
    with transaction.atomic():
        req = VisitRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != VisitRequest.Status.PENDING:
            raise ConflictError(_("This request has already been answered."))
        req.status = VisitRequest.Status.ACCEPTED if accept else VisitRequest.Status.DECLINED
        req.answered_by = actor
        req.save(update_fields=["status", "answered_by", "updated_at"])
        audit.record(
            actor=actor,
            action="delegation.request_answered",
            obj=req,
            event=req.company.event,
            status=req.status,
        )
        if accept:
            propose_candidates(delegation=req.delegation, check=False)
    return req


def set_capacity(*, stand: Stand, actor: User, capacity: int) -> StandHosting:
    if stand.exhibitor is None:
        raise DomainError(_("This stand has no exhibitor."), field="stand")
    require_perm(actor, "delegations.change_hosting", stand.exhibitor)
    if not 1 <= int(capacity) <= 20:
        raise DomainError(_("A stand receives between 1 and 20 delegations at once."), field="capacity")
    with transaction.atomic():
        row, _c = StandHosting.objects.update_or_create(stand=stand, defaults={"capacity": int(capacity)})
        audit.record(
            actor=actor,
            action="delegation.capacity_set",
            obj=stand,
            event=stand.exhibitor.event,
            capacity=int(capacity),
        )
    return row


def add_hosting_window(
    *, company: Organisation, actor: User, day: date, start: time, end: time, stand: Stand | None = None
) -> HostingWindow:
    require_perm(actor, "delegations.change_hosting", company)
    show_day = ShowDay.objects.filter(event_id=company.event_id, date=day).first()
    if show_day is None:
        raise DomainError(_("This is not a day of the show."), field="date")
    if end <= start:
        raise DomainError(_("The end must be after the start."), field="end")
    if stand is not None and stand.exhibitor_id != company.pk:
        raise DomainError(_("Choose one of your stands."), field="stand")
    with transaction.atomic():
        w = HostingWindow.objects.create(
            event_id=company.event_id, organisation=company, stand=stand, date=day, start=start, end=end
        )
        audit.record(actor=actor, action="delegation.hosting_window_added", obj=w, event=company.event)
    return w


def remove_hosting_window(*, window: HostingWindow, actor: User) -> None:
    require_perm(actor, "delegations.change_hosting", window.organisation)
    with transaction.atomic():
        audit.record(actor=actor, action="delegation.hosting_window_removed", obj=window, event=window.event)
        window.delete()


def add_wish(*, company: Organisation, actor: User, delegation: Delegation, note: str = "") -> HostWish:
    require_perm(actor, "delegations.change_hosting", company)
    if delegation.organisation.event_id != company.event_id:
        raise DomainError(_("Choose a delegation of this show."), field="delegation")
    try:
        with transaction.atomic():
            wish = HostWish.objects.create(company=company, delegation=delegation, note=note)
            audit.record(actor=actor, action="delegation.wish_added", obj=wish, event=company.event)
    except IntegrityError:
        raise DomainError(_("This delegation is already on your list."), field="delegation") from None
    return wish


def remove_wish(*, wish: HostWish, actor: User) -> None:
    require_perm(actor, "delegations.change_hosting", wish.company)
    with transaction.atomic():
        audit.record(actor=actor, action="delegation.wish_removed", obj=wish, event=wish.company.event)
        wish.delete()
