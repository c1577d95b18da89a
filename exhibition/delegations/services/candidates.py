"""The stands a delegation may visit: proposed from its interests (named companies and
sectors), edited by hand, and the exclusions that keep a pair apart."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation, User
from exhibition.core import audit
from exhibition.core.errors import DomainError, require_perm
from exhibition.floorplans.models import Stand

from ..models import (
    CandidateVisit,
    Delegation,
    Exclusion,
    VisitRequest,
)
from .delegations import MAX_SECTOR_CANDIDATES, event_of
from .problem import excluded_pairs, is_excluded

# --- candidates -------------------------------------------------------------------------------


def named_score(priority: int) -> float:
    return 8.0 + 3.0 * priority  # 11..23: always above any sector match


def sector_score(priorities: list[int]) -> float:
    best = max(priorities)
    return round(min(best + 0.5 * (len(priorities) - 1), 7.5), 2)  # 1..7.5


def tiebreak(delegation_id: int, stand_id: int) -> str:
    return hashlib.sha1(f"{delegation_id}:{stand_id}".encode(), usedforsecurity=False).hexdigest()


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
    if check and actor is not None:
        require_perm(actor, "delegations.manage_programme", delegation)
    event = event_of(delegation)
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
        if org is None:  # never: the query keeps stands with an admitted exhibitor
            continue
        if is_excluded(pairs, delegation.pk, org.pk, org.country.code):
            continue
        if org.pk in accepted:
            wanted[stand.pk] = (named_score(5) + 2, CandidateVisit.Source.REQUEST)
        elif org.pk in named:
            wanted[stand.pk] = (named_score(named[org.pk]), CandidateVisit.Source.EXHIBITOR)
        elif org.pk in org_sectors:
            sector_rows.append((sector_score([sectors[s] for s in org_sectors[org.pk]]), stand.pk))
    sector_rows.sort(key=lambda r: (-r[0], tiebreak(delegation.pk, r[1])))
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
    require_perm(actor, "delegations.manage_programme", candidate.delegation)
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
            event=event_of(candidate.delegation),
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
    stand: Stand,
    score: float = 10.0,
    duration: int = 20,
    required: bool = False,
) -> CandidateVisit:
    require_perm(actor, "delegations.manage_programme", delegation)
    event = event_of(delegation)
    if stand.event_id != event.pk or stand.exhibitor is None or stand.exhibitor.admitted_at is None:
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
    require_perm(actor, "delegations.manage_programme", delegation)
    event = event_of(delegation)
    if (company is None) == (not country):
        raise DomainError(_("Choose either a company or a country."), field="company")
    if company is not None and (company.event_id != event.pk or company.kind != Organisation.Kind.COMPANY):
        raise DomainError(_("Choose an exhibitor of this show."), field="company")
    with transaction.atomic():
        exclusion = Exclusion.objects.create(
            delegation=delegation, company=company, country=country or "", reason=reason
        )
        match: dict[str, Any] = (
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
    require_perm(actor, "delegations.manage_programme", exclusion.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="delegation.exclusion_removed",
            obj=exclusion.delegation,
            event=event_of(exclusion.delegation),
            exclusion=str(exclusion),
        )
        exclusion.delete()
