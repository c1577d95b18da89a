"""Demo show extension: days on site, interests, hosting windows, candidate visits and a
planned, published programme for the demo delegations (bulk writes; the planner runs ~10 s)."""

from __future__ import annotations

import time as clock
from collections import defaultdict
from datetime import time

from django.utils import timezone

from exhibition.accounts.models import Organisation
from exhibition.events.models import Sector, ShowDay
from exhibition.floorplans.models import Door, Feature, Stand

from . import scheduling
from .models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    Exclusion,
    HostingWindow,
    HostWish,
    Interest,
    Programme,
    PublishedVisit,
    StandHosting,
    Visit,
    VisitRequest,
)
from .services.candidates import named_score, sector_score, tiebreak
from .services.delegations import MAX_SECTOR_CANDIDATES
from .services.problem import build_problem
from .services.programme import write_back

PLAN_SECONDS = 6.0


def extend(show) -> None:
    event, rng = show.event, show.rng
    days = list(ShowDay.objects.filter(event=event).order_by("date"))
    entrances = list(
        Door.objects.filter(event=event, hall_b__isnull=True).order_by("code").values_list("code", flat=True)
    )
    lounges = list(
        Feature.objects.filter(event=event, kind=Feature.Kind.LOUNGE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not days or not (entrances or lounges):
        show.say("delegations: no show days or entrances; programmes skipped")
        return
    starts = entrances + lounges[:2]
    sectors = list(Sector.objects.filter(event=event).order_by("code"))
    stands = list(
        Stand.objects.filter(event=event, exhibitor__isnull=False)
        .select_related("exhibitor")
        .order_by("number")
    )
    stand_of_org: dict[int, list[Stand]] = defaultdict(list)
    for s in stands:
        stand_of_org[s.exhibitor_id].append(s)
    exhibitors = sorted(stand_of_org)
    org_country = dict(Organisation.objects.filter(pk__in=exhibitors).values_list("pk", "country"))
    org_sectors: dict[int, set[int]] = defaultdict(set)
    for o, sec in Organisation.sectors.through.objects.filter(organisation_id__in=exhibitors).values_list(
        "organisation_id", "sector_id"
    ):
        org_sectors[o].add(sec)
    delegations = list(
        Delegation.objects.filter(organisation__in=show.delegations).order_by("organisation_id")
    )
    demo_company = show.companies[0].pk

    day_rows, interest_rows = [], []
    for i, d in enumerate(delegations):
        n = rng.choice([1, 1, 2, 2, 3])
        first = rng.randrange(0, len(days) - n + 1)
        for sd in days[first : first + n]:
            start = rng.choice([time(10, 0), time(10, 0), time(10, 30), time(11, 0)])
            end = rng.choice([time(15, 0), time(16, 0), time(16, 0), time(16, 30)])
            end = min(end, sd.closes_at)
            point = rng.choice(starts)
            day_rows.append(
                DelegationDay(
                    delegation=d,
                    date=sd.date,
                    start=start,
                    end=end,
                    start_point=point,
                    end_point=point if rng.random() < 0.7 else rng.choice(starts),
                )
            )
        interest_rows.extend(
            Interest(delegation=d, sector=sec, priority=rng.randint(2, 5))
            for sec in rng.sample(sectors, k=rng.randint(2, 3))
        )
        named = rng.sample(exhibitors, k=rng.randint(1, 3))
        if i == 0 and demo_company in stand_of_org and demo_company not in named:
            named.append(demo_company)
        interest_rows.extend(
            Interest(delegation=d, exhibitor_id=org, priority=5 if org == demo_company else rng.randint(3, 5))
            for org in named
        )
    DelegationDay.objects.bulk_create(day_rows)
    Interest.objects.bulk_create(interest_rows)

    # exhibitors: hosting windows (most host all day; some only afternoons or mornings), capacities
    windows = []
    for org in exhibitors:
        roll = rng.random()
        if roll < 0.6:
            continue  # no window given: hosts during opening hours
        for sd in days:
            if roll < 0.8:
                windows.append(
                    HostingWindow(
                        event=event, organisation_id=org, date=sd.date, start=time(13, 0), end=sd.closes_at
                    )
                )
            else:
                windows.append(
                    HostingWindow(
                        event=event, organisation_id=org, date=sd.date, start=time(9, 30), end=time(13, 0)
                    )
                )
    HostingWindow.objects.bulk_create(windows, batch_size=1000)
    StandHosting.objects.bulk_create(StandHosting(stand=s, capacity=2) for s in stands if s.area >= 36)
    # a few exclusions (embargo-style) and exhibitors' wishes and requests
    exclusions = [
        Exclusion(delegation=d, country="IL", reason="Export restriction") for d in delegations[5:9]
    ]
    exclusions += [
        Exclusion(delegation=delegations[10], company_id=exhibitors[3], reason="Conflict of interest")
    ]
    Exclusion.objects.bulk_create(exclusions)
    excluded = {(x.delegation_id, x.company_id) for x in exclusions if x.company_id}
    excluded_country = {(x.delegation_id, x.country) for x in exclusions if x.country}
    HostWish.objects.bulk_create(
        HostWish(company_id=demo_company, delegation=d, note="Counter-drone demo") for d in delegations[1:4]
    )
    VisitRequest.objects.bulk_create(
        [
            VisitRequest(
                delegation=delegations[1],
                company_id=demo_company,
                message="We would like a live demonstration.",
            )
        ]
    )

    # candidate visits, as propose_candidates derives them (in memory, bulk)
    by_del: dict[int, list[Interest]] = defaultdict(list)
    for it in interest_rows:
        by_del[it.delegation_id].append(it)
    cand_rows = []
    for d in delegations:
        named = {it.exhibitor_id: it.priority for it in by_del[d.pk] if it.exhibitor_id}
        secs = {it.sector_id: it.priority for it in by_del[d.pk] if it.sector_id}
        sector_rows = []
        for s in stands:
            org = s.exhibitor_id
            if (d.pk, org) in excluded or (d.pk, str(org_country[org])) in excluded_country:
                continue
            if org in named:
                cand_rows.append(
                    CandidateVisit(
                        delegation=d,
                        stand=s,
                        score=named_score(named[org]),
                        source=CandidateVisit.Source.EXHIBITOR,
                        required=(org == demo_company and d is delegations[0]),
                    )
                )
            else:
                hits = [secs[x] for x in org_sectors[org] if x in secs]
                if hits:
                    sector_rows.append((sector_score(hits), s))
        sector_rows.sort(key=lambda r: (-r[0], tiebreak(d.pk, r[1].pk)))
        cand_rows += [
            CandidateVisit(delegation=d, stand=s, score=sc, source=CandidateVisit.Source.SECTOR)
            for sc, s in sector_rows[:MAX_SECTOR_CANDIDATES]
        ]
    CandidateVisit.objects.bulk_create(cand_rows, batch_size=2000)
    Programme.objects.bulk_create(Programme(delegation=d) for d in delegations)
    show.say(
        f"delegations: {len(day_rows)} days on site, {len(interest_rows)} interests, {len(cand_rows)} candidate "
        f"visits, {len(windows)} hosting windows"
    )
    _plan_and_publish(show, delegations)


def _plan_and_publish(show, delegations) -> None:
    event = show.event
    t0 = clock.perf_counter()
    built = build_problem(event)
    problem = scheduling.read_problem(built.data)
    result = scheduling.plan(problem, time_limit=PLAN_SECONDS, seed=2025)
    check = scheduling.evaluate(problem, result)
    if check.errors:
        show.say(f"delegations: planner returned an invalid plan ({check.errors[:2]}); not saved")
        return
    write_back(event=event, plan=scheduling.plan_to_dict(result), delegation_ids=built.delegation_ids)
    # First publication, in bulk (publish_programme's shape, without e-mails to demo addresses)...
    now = timezone.now()
    visits = Visit.objects.filter(delegation_id__in=built.delegation_ids)
    PublishedVisit.objects.bulk_create(
        (
            PublishedVisit(
                uid=v.uid,
                delegation_id=v.delegation_id,
                date=v.date,
                stand_id=v.stand_id,
                start=v.start,
                end=v.end,
                sequence=0,
                published_at=now,
            )
            for v in visits
        ),
        batch_size=2000,
    )
    visits.update(status=Visit.Status.PUBLISHED)
    Programme.objects.filter(delegation_id__in=built.delegation_ids).update(
        published_at=now, published_version=1
    )
    # ... and the demo delegation's first visit pinned, as an organiser would keep it through re-plans.
    # (The meeting system mirrors the published visits and lunches as busy time in its own bulk step.)
    first = Visit.objects.filter(delegation=delegations[0]).order_by("start").first()
    if first is not None:
        first.pinned = True
        first.save(update_fields=["pinned"])
    show.say(
        f"delegations: planned and published {Visit.objects.filter(delegation__organisation__event=event).count()} "
        f"visits (score {check.score:.0f} of {problem.score_total:.0f}, travel {built.travel_kind}) in "
        f"{clock.perf_counter() - t0:.1f} s; {PublishedVisit.objects.filter(delegation=delegations[0]).count()} "
        f"for the demo delegation"
    )
