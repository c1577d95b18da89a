"""Writes for delegations: details, days on site, members, interests, candidates, exclusions,
invitations of the head of delegation, visit requests and exhibitors' hosting."""

from __future__ import annotations

import hashlib
from datetime import date, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exhibition.accounts import admission
from exhibition.accounts import services as account_services
from exhibition.accounts.models import Invitation, Organisation, User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.notifications import queue_email
from exhibition.events.models import Sector, ShowDay

from ..models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    DelegationMember,
    Exclusion,
    HostingWindow,
    HostWish,
    Interest,
    StandHosting,
    Visit,
    VisitRequest,
)
from .problem import excluded_pairs, is_excluded

MAX_SECTOR_CANDIDATES = 40


def _require(actor: User, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise NotAllowed(_("You may not do this."))


def _event(delegation: Delegation):
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
    _require(actor, "delegations.plan_programmes", event)
    official_name = " ".join((official_name or "").split())
    if not official_name:
        raise DomainError(_("Enter the official name."), field="official_name")
    if protocol_level not in Delegation.ProtocolLevel.values:
        raise DomainError(_("Choose a protocol level."), field="protocol_level")
    with transaction.atomic():
        org = account_services.create_organisation(
            event=event,
            actor=actor,
            kind=Organisation.Kind.DELEGATION,
            name=official_name[:200],
            country=country,
        )
        delegation = Delegation.objects.create(
            organisation=org,
            official_name=official_name[:250],
            protocol_level=protocol_level,
            languages=(languages or "").strip()[:100],
        )
        admission.admit_organisation(organisation=org, actor=actor, reason=_("Registered by the organiser"))
        audit.record(actor=actor, action="delegation.registered", obj=delegation, event=event)
        if head_email:
            invite_head(delegation=delegation, actor=actor, email=head_email)
    return delegation


def withdraw_delegation(*, delegation: Delegation, actor: User, reason: str) -> Delegation:
    """The delegation is no longer received: its members lose admission at once (requests and
    meetings cancelled, upcoming visits removed from its programme and the hosts told)."""
    _require(actor, "delegations.plan_programmes", _event(delegation))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason (it stays in the audit log)."), field="reason")
    admission.revoke_organisation(organisation=delegation.organisation, actor=actor, reason=reason)
    return delegation


def readmit_delegation(*, delegation: Delegation, actor: User) -> Delegation:
    """Receive a withdrawn delegation again. What was cancelled stays cancelled."""
    _require(actor, "delegations.plan_programmes", _event(delegation))
    admission.admit_organisation(
        organisation=delegation.organisation, actor=actor, reason=_("Received again")
    )
    return delegation


def update_delegation(*, delegation: Delegation, actor: User, **changes: Any) -> Delegation:
    _require(actor, "delegations.change_delegation", delegation)
    allowed = ORGANISER_FIELDS if actor.has_perm("delegations.manage_programme", delegation) else HEAD_FIELDS
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
    with transaction.atomic():
        for key, value in changes.items():
            setattr(delegation, key, value)
        delegation.save()
        audit.record(
            actor=actor,
            action="delegation.updated",
            obj=delegation,
            event=_event(delegation),
            fields=sorted(changes),
        )
    return delegation


def invite_head(*, delegation: Delegation, actor: User, email: str) -> Invitation:
    """Invite the head of delegation: an account with the ``delegation_lead`` role."""
    _require(actor, "delegations.manage_programme", delegation)
    return account_services.invite(
        event=_event(delegation),
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
    from exhibition.floorplans.models import Door, Feature

    _require(actor, "delegations.change_delegation", delegation)
    event = _event(delegation)
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
    _require(actor, "delegations.change_delegation", delegation)
    if Visit.objects.filter(delegation=delegation, date=day.date).exists():
        raise ConflictError(_("This day has visits in the programme: remove them first."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.day_removed",
            obj=delegation,
            event=_event(delegation),
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
    _require(actor, "delegations.change_delegation", delegation)
    if not name.strip():
        raise DomainError(_("Enter the member's name."), field="name")
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
            language=language or "en",
            is_head=is_head,
        )
        audit.record(
            actor=actor,
            action="delegation.member_added",
            obj=delegation,
            event=_event(delegation),
            member=member.name,
        )
    return member


def update_member(*, member: DelegationMember, actor: User, **changes: Any) -> DelegationMember:
    _require(actor, "delegations.change_delegation", member.delegation)
    allowed = {"name", "title", "organisation", "role", "email", "language", "is_head"}
    if set(changes) - allowed:
        raise DomainError(_("Unknown field."))
    if "name" in changes and not str(changes["name"]).strip():
        raise DomainError(_("Enter the member's name."), field="name")
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
            event=_event(member.delegation),
            member=member.name,
        )
    return member


def remove_member(*, member: DelegationMember, actor: User) -> None:
    _require(actor, "delegations.change_delegation", member.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.member_removed",
            obj=member.delegation,
            event=_event(member.delegation),
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
    _require(actor, "delegations.change_delegation", delegation)
    event = _event(delegation)
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
    _require(actor, "delegations.change_delegation", interest.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.interest_removed",
            obj=interest.delegation,
            event=_event(interest.delegation),
            interest=str(interest),
        )
        interest.delete()


# --- candidates -------------------------------------------------------------------------------


def _named_score(priority: int) -> float:
    return 8.0 + 3.0 * priority  # 11..23: always above any sector match


def _sector_score(priorities: list[int]) -> float:
    best = max(priorities)
    return round(min(best + 0.5 * (len(priorities) - 1), 7.5), 2)  # 1..7.5


def _tiebreak(delegation_id: int, stand_id: int) -> str:
    return hashlib.sha1(f"{delegation_id}:{stand_id}".encode()).hexdigest()


def propose_candidates(
    *,
    delegation: Delegation,
    actor: User | None = None,
    limit: int = MAX_SECTOR_CANDIDATES,
    check: bool = True,
) -> list[CandidateVisit]:
    """Derive candidate visits from interests and accepted requests.

    Named exhibitors score above sector matches; a sector match scores by the best matching
    priority (a little more when several sectors match). At most ``limit`` sector matches are
    kept, best first. Scores set by hand, manual candidates and candidates with a visit in
    the programme are kept; excluded pairings never appear.
    """
    from exhibition.floorplans.models import Stand

    if check and actor is not None:
        _require(actor, "delegations.manage_programme", delegation)
    event = _event(delegation)
    pairs = excluded_pairs(event)
    interests = list(delegation.interests.all())
    named = {i.exhibitor_id: i.priority for i in interests if i.exhibitor_id}
    sectors = {i.sector_id: i.priority for i in interests if i.sector_id}
    accepted = set(
        delegation.visit_requests.filter(status=VisitRequest.Status.ACCEPTED).values_list(
            "company_id", flat=True
        )
    )
    wanted: dict[int, tuple[float, str]] = {}
    # Only admitted exhibitors are visited.
    stands = Stand.objects.filter(event=event, exhibitor__admitted_at__isnull=False).select_related(
        "exhibitor"
    )
    org_sectors: dict[int, list[int]] = {}
    Through = Organisation.sectors.through
    for org_id, sector_id in Through.objects.filter(
        organisation__event=event, sector_id__in=sectors
    ).values_list("organisation_id", "sector_id"):
        org_sectors.setdefault(org_id, []).append(sector_id)
    sector_rows = []
    for stand in stands:
        org = stand.exhibitor
        if is_excluded(pairs, delegation.pk, org.pk, org.country.code):
            continue
        if org.pk in accepted:
            wanted[stand.pk] = (_named_score(5) + 2, CandidateVisit.Source.REQUEST)
        elif org.pk in named:
            wanted[stand.pk] = (_named_score(named[org.pk]), CandidateVisit.Source.EXHIBITOR)
        elif org.pk in org_sectors:
            sector_rows.append((_sector_score([sectors[s] for s in org_sectors[org.pk]]), stand.pk))
    sector_rows.sort(key=lambda r: (-r[0], _tiebreak(delegation.pk, r[1])))
    for score, stand_id in sector_rows[:limit]:
        wanted[stand_id] = (score, CandidateVisit.Source.SECTOR)
    with transaction.atomic():
        existing = {c.stand_id: c for c in delegation.candidates.all()}
        planned = set(delegation.visits.values_list("stand_id", flat=True))
        drop = [
            c.pk
            for s, c in existing.items()
            if s not in wanted
            and c.source != CandidateVisit.Source.MANUAL
            and not c.score_adjusted
            and not c.required
            and s not in planned
        ]
        CandidateVisit.objects.filter(pk__in=drop).delete()
        new, changed = [], []
        for stand_id, (score, source) in wanted.items():
            c = existing.get(stand_id)
            if c is None:
                new.append(
                    CandidateVisit(delegation=delegation, stand_id=stand_id, score=score, source=source)
                )
            elif not c.score_adjusted and (c.score != score or c.source != source):
                c.score, c.source = score, source
                changed.append(c)
        CandidateVisit.objects.bulk_create(new)
        CandidateVisit.objects.bulk_update(changed, ["score", "source"])
        if actor is not None:
            audit.record(
                actor=actor,
                action="delegation.candidates_proposed",
                obj=delegation,
                event=event,
                added=len(new),
                removed=len(drop),
            )
    return list(delegation.candidates.select_related("stand", "stand__exhibitor"))


def update_candidate(
    *,
    candidate: CandidateVisit,
    actor: User,
    score: float | None = None,
    duration: int | None = None,
    required: bool | None = None,
) -> CandidateVisit:
    _require(actor, "delegations.manage_programme", candidate.delegation)
    if score is not None and score <= 0:
        raise DomainError(_("The score must be positive."), field="score")
    if duration is not None and not 5 <= duration <= 240:
        raise DomainError(_("A visit lasts between 5 and 240 minutes."), field="duration")
    with transaction.atomic():
        if score is not None:
            candidate.score, candidate.score_adjusted = float(score), True
        if duration is not None:
            candidate.duration = duration
        if required is not None:
            candidate.required = required
        candidate.save()
        audit.record(
            actor=actor,
            action="delegation.candidate_updated",
            obj=candidate.delegation,
            event=_event(candidate.delegation),
            stand=candidate.stand.number,
            score=candidate.score,
            duration=candidate.duration,
            required=candidate.required,
        )
    return candidate


def add_candidate(
    *,
    delegation: Delegation,
    actor: User,
    stand,
    score: float = 10.0,
    duration: int = 20,
    required: bool = False,
) -> CandidateVisit:
    _require(actor, "delegations.manage_programme", delegation)
    event = _event(delegation)
    if stand.event_id != event.pk or stand.exhibitor_id is None or stand.exhibitor.admitted_at is None:
        raise DomainError(_("Choose a stand with an exhibitor."), field="stand")
    if is_excluded(excluded_pairs(event), delegation.pk, stand.exhibitor_id, stand.exhibitor.country.code):
        raise DomainError(
            _("This delegation may not visit %(company)s (exclusion).") % {"company": stand.exhibitor.name},
            field="stand",
        )
    with transaction.atomic():
        c, _created = CandidateVisit.objects.update_or_create(
            delegation=delegation,
            stand=stand,
            defaults={
                "score": score,
                "duration": duration,
                "required": required,
                "source": CandidateVisit.Source.MANUAL,
                "score_adjusted": True,
            },
        )
        audit.record(
            actor=actor, action="delegation.candidate_added", obj=delegation, event=event, stand=stand.number
        )
    return c


# --- exclusions -------------------------------------------------------------------------------


def add_exclusion(
    *,
    delegation: Delegation,
    actor: User,
    company: Organisation | None = None,
    country: str = "",
    reason: str = "",
) -> Exclusion:
    """Forbid a pairing; removes matching candidates and visits (drafts and published alike)."""
    _require(actor, "delegations.manage_programme", delegation)
    event = _event(delegation)
    if (company is None) == (not country):
        raise DomainError(_("Choose either a company or a country."), field="company")
    if company is not None and (company.event_id != event.pk or company.kind != Organisation.Kind.COMPANY):
        raise DomainError(_("Choose an exhibitor of this show."), field="company")
    with transaction.atomic():
        exclusion = Exclusion.objects.create(
            delegation=delegation, company=company, country=country or "", reason=reason
        )
        match = (
            {"stand__exhibitor": company} if company is not None else {"stand__exhibitor__country": country}
        )
        removed = list(delegation.visits.filter(**match).values_list("stand__number", flat=True))
        delegation.visits.filter(**match).delete()
        delegation.candidates.filter(**match).delete()
        audit.record(
            actor=actor,
            action="delegation.exclusion_added",
            obj=delegation,
            event=event,
            company=company.name if company else "",
            country=country,
            removed_visits=removed,
        )
    return exclusion


def remove_exclusion(*, exclusion: Exclusion, actor: User) -> None:
    _require(actor, "delegations.manage_programme", exclusion.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.exclusion_removed",
            obj=exclusion.delegation,
            event=_event(exclusion.delegation),
            exclusion=str(exclusion),
        )
        exclusion.delete()


# --- exhibitor side ---------------------------------------------------------------------------


def request_visit(
    *, delegation: Delegation, actor: User, company: Organisation, message: str = ""
) -> VisitRequest:
    _require(actor, "delegations.request_visit", delegation)
    event = _event(delegation)
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
    _require(actor, "delegations.answer_request", request)
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


def set_capacity(*, stand, actor: User, capacity: int) -> StandHosting:
    if stand.exhibitor is None:
        raise DomainError(_("This stand has no exhibitor."), field="stand")
    _require(actor, "delegations.change_hosting", stand.exhibitor)
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
    *, company: Organisation, actor: User, day: date, start: time, end: time, stand=None
) -> HostingWindow:
    _require(actor, "delegations.change_hosting", company)
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
    _require(actor, "delegations.change_hosting", window.organisation)
    with transaction.atomic():
        audit.record(actor=actor, action="delegation.hosting_window_removed", obj=window, event=window.event)
        window.delete()


def add_wish(*, company: Organisation, actor: User, delegation: Delegation, note: str = "") -> HostWish:
    _require(actor, "delegations.change_hosting", company)
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
    _require(actor, "delegations.change_hosting", wish.company)
    with transaction.atomic():
        audit.record(actor=actor, action="delegation.wish_removed", obj=wish, event=wish.company.event)
        wish.delete()
