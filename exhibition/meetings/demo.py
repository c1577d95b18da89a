"""Demo show extension: meeting participants (exhibitors with a host each, the approved
visitors, delegations), tables, a few thousand realistic requests, a published
matchmaking round with its meetings, and meetings for the demo logins.

Bulk-inserted in the shape the services produce (one Booking row per person, staff
member and table), so that the seed stays fast; the demo logins' own objects too."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from exhibition.accounts.models import Membership, TradeVisitor, User
from exhibition.delegations.models import DelegationDay, PublishedVisit
from exhibition.delegations.places import place_names
from exhibition.floorplans.models import Stand

from .models import (
    AgendaItem,
    Booking,
    BookingResource,
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    MeetingSettings,
    Participant,
    Place,
    Round,
)
from .services.booking import all_slots

OFFERS = {
    "cyber": "SOC services, threat intelligence, encryption and secure messaging",
    "drones": "Counter-drone systems for events and sites, surveillance drones",
    "forensics": "Forensic lab equipment, DNA and fingerprint analysis",
    "vehicles": "Armoured vehicles, patrol vehicles and fleet management",
    "protection": "Body armour, helmets, protective equipment, body-worn cameras",
    "surveillance": "CCTV, body-worn cameras, video analytics and radar",
    "crisis": "Crisis management software, crowd management and alerting",
    "training": "Crowd management training, simulators and shooting ranges",
    "communications": "Tactical radio, command and control rooms",
    "border": "Border surveillance radar, perimeter protection for critical sites",
    "identity": "Biometric identity, access control and document checks",
    "weapons": "Less-lethal launchers, ammunition and holsters",
}
SEEKS = {
    "cyber": "SOC services for our ministry",
    "drones": "Counter-drone systems for events",
    "forensics": "Forensic lab equipment",
    "vehicles": "Armoured vehicles",
    "protection": "Body armour and helmets",
    "surveillance": "Body-worn cameras and video analytics",
    "crisis": "Crowd management and crisis management software",
    "training": "Crowd management training",
    "communications": "Tactical radio",
    "border": "Border surveillance radar",
    "identity": "Biometric access control",
    "weapons": "Less-lethal equipment",
}


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain executemany for the high-volume link rows (no per-object ORM overhead)."""
    if not rows:
        return
    cols = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 -- quoted table and column names from the model, values as parameters
    adapt = connection.ops.adapt_datetimefield_value
    rows = [tuple(adapt(v) if isinstance(v, datetime) else v for v in row) for row in rows]
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])


def extend(show) -> None:
    event, rng, users = show.event, show.rng, show.users
    t0 = time.monotonic()
    MeetingSettings.objects.create(event=event)
    now = timezone.now()
    S = Participant.sectors.through

    # --- exhibitors, each with a host -------------------------------------------------
    org_sectors = defaultdict(list)
    sector_name = {}
    for oid, sid, code, name in (
        show.companies[0]
        .sectors.through.objects.filter(organisation__event=event)
        .values_list("organisation_id", "sector_id", "sector__code", "sector__name_en")
    ):
        org_sectors[oid].append((sid, code))
        sector_name[sid] = name
    stands = dict(
        Stand.objects.filter(event=event, exhibitor__isnull=False)
        .order_by("number")
        .values_list("exhibitor_id", "id")
    )
    stand_numbers = dict(Stand.objects.filter(pk__in=list(stands.values())).values_list("id", "number"))
    exhibitors = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                kind=Participant.Kind.EXHIBITOR,
                organisation=c,
                name=c.name,
                country=str(c.country),
                stand_id=stands.get(c.pk),
                instant_booking=(i == 0 or rng.random() < 0.3),
                headline=(
                    f"{sector_name[org_sectors[c.pk][0][0]]} solutions from {c.country.name}"
                    if org_sectors[c.pk]
                    else f"Security solutions from {c.country.name}"
                ),
                offer=". ".join(OFFERS[code] for _s, code in org_sectors[c.pk][:2]),
                created_at=now,
            )
            for i, c in enumerate(show.companies)
        ]
    )
    _insert(
        S,
        ["participant", "sector"],
        [(p.pk, sid) for p in exhibitors for sid, _c in org_sectors[p.organisation_id]],
    )
    pw = make_password(None)
    host_users = User.objects.bulk_create(
        [
            User(email=f"host{i:04d}@demo.test", full_name=f"Host {i:04d}", password=pw)
            for i in range(1, len(exhibitors))
        ]
    )
    _insert(
        Membership,
        ["organisation", "user", "role", "created_at"],
        [
            (p.organisation_id, u.pk, Membership.Role.STAFF, now)
            for p, u in zip(exhibitors[1:], host_users, strict=True)
        ],
    )
    hosts = ExhibitorHost.objects.bulk_create(
        [ExhibitorHost(participant=exhibitors[0], user=users["exhibitor"])]
        + [ExhibitorHost(participant=p, user=u) for p, u in zip(exhibitors[1:], host_users, strict=True)]
    )
    host_of = {h.participant_id: h for h in hosts}
    places = Place.objects.bulk_create(
        [
            Place(
                event=event,
                kind=Place.Kind.STAND,
                name=f"Stand {stand_numbers[p.stand_id]}",
                stand_id=p.stand_id,
                walking_id=stand_numbers[p.stand_id],
                capacity=6,
            )
            for p in exhibitors
            if p.stand_id
        ]
        + [
            Place(event=event, kind=Place.Kind.TABLE, name=f"Business centre table {i:02d}", capacity=4)
            for i in range(1, 41)
        ]
    )
    place_of_stand = {p.stand_id: p for p in places if p.stand_id}

    # --- approved visitors and delegations ---------------------------------------------
    vrows = list(
        TradeVisitor.objects.filter(event=event, status=TradeVisitor.Status.APPROVED)
        .select_related("user")
        .order_by("id")
    )
    vsectors = defaultdict(list)
    for vid, sid, code in TradeVisitor.sectors.through.objects.filter(tradevisitor__event=event).values_list(
        "tradevisitor_id", "sector_id", "sector__code"
    ):
        vsectors[vid].append((sid, code))
    visitors = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                kind=Participant.Kind.VISITOR,
                visitor=v,
                user=v.user,
                name=v.user.full_name or v.user.email,
                headline=f"{v.job_title}, {v.organisation_name}",
                seek=v.looking_for or ". ".join(SEEKS[c] for _s, c in vsectors[v.pk][:2]),
                country=str(v.country),
                opted_in=rng.random() < 0.9,
                created_at=now,
            )
            for v in vrows
        ]
    )
    _insert(
        S, ["participant", "sector"], [(p.pk, sid) for p in visitors for sid, _c in vsectors[p.visitor_id]]
    )
    delegations = Participant.objects.bulk_create(
        [
            Participant(
                event=event,
                kind=Participant.Kind.DELEGATION,
                organisation=o,
                name=o.name,
                country=str(o.country),
                seek=SEEKS[rng.choice(list(SEEKS))],
                created_at=now,
            )
            for o in show.delegations
        ]
    )
    sectors_by_code = {c: sid for sid_codes in org_sectors.values() for sid, c in sid_codes}
    _insert(
        S,
        ["participant", "sector"],
        [(d.pk, sectors_by_code[c]) for d in delegations for c in rng.sample(sorted(sectors_by_code), k=2)],
    )
    visitor_me = next(p for p in visitors if p.user_id == users["visitor"].pk)
    delegation_me = next(p for p in delegations if p.organisation_id == show.delegations[0].pk)

    # --- requests: visitors and delegations ask exhibitors of their sectors ----------------
    by_sector = defaultdict(list)
    for p in exhibitors:
        for sid, _c in org_sectors[p.organisation_id]:
            by_sector[sid].append(p)
    rnd = Round.objects.create(
        event=event,
        name="Pre-show matchmaking",
        status=Round.Status.PUBLISHED,
        time_limit=60,
        progress=1.0,
        published_at=now - timedelta(days=10),
    )
    reqs: list[MeetingRequest] = []
    pairs = set()
    statuses = (
        [MeetingRequest.Status.ACCEPTED] * 9
        + [MeetingRequest.Status.REQUESTED] * 5
        + [MeetingRequest.Status.DECLINED] * 2
        + [MeetingRequest.Status.EXPIRED, MeetingRequest.Status.PROPOSED, MeetingRequest.Status.CANCELLED]
    )
    askers = rng.sample(visitors, k=1400) + delegations
    for sender in askers:
        if sender.kind == Participant.Kind.VISITOR:
            sids = [sid for sid, _c in vsectors.get(sender.visitor_id, [])]
        else:
            sids = [sectors_by_code[c] for c in rng.sample(sorted(sectors_by_code), k=2)]
        pool = [p for sid in sids for p in by_sector.get(sid, [])]
        for recipient in rng.sample(
            pool, k=min(len(pool), rng.randint(1, 4 if sender.kind == "visitor" else 8))
        ):
            if (sender.pk, recipient.pk) in pairs or recipient.pk == exhibitors[0].pk:
                continue
            pairs.add((sender.pk, recipient.pk))
            status = rng.choice(statuses)
            reqs.append(
                MeetingRequest(
                    event=event,
                    sender=sender,
                    recipient=recipient,
                    sent_by_id=sender.user_id,
                    message=rng.choice(
                        [
                            "",
                            "We are evaluating suppliers for 2026.",
                            "Could we see a demonstration?",
                            "Interested in a pilot.",
                        ]
                    ),
                    priority=rng.randint(1, 5),
                    status=status,
                    round=rnd if status == MeetingRequest.Status.ACCEPTED else None,
                    expires_at=now + timedelta(hours=72),
                    responded_at=now if status not in MeetingRequest.OPEN else None,
                    proposed_by=recipient if status == MeetingRequest.Status.PROPOSED else None,
                    created_at=now - timedelta(days=rng.randint(1, 30)),
                )
            )
    # The demo exhibitor's company has received requests waiting for an answer.
    reqs.extend(
        MeetingRequest(
            event=event,
            sender=v,
            recipient=exhibitors[0],
            sent_by_id=v.user_id,
            message="We would like to meet your team at the show.",
            priority=3,
            expires_at=now + timedelta(hours=72),
            created_at=now - timedelta(hours=5),
        )
        for v in visitors[5:11]
    )
    # ... and has accepted others: meetings in its agenda.
    for v in visitors[11:15]:
        pairs.add((v.pk, exhibitors[0].pk))
        reqs.append(
            MeetingRequest(
                event=event,
                sender=v,
                recipient=exhibitors[0],
                sent_by_id=v.user_id,
                message="Could we see a demonstration?",
                priority=5,
                status=MeetingRequest.Status.ACCEPTED,
                round=rnd,
                responded_at=now - timedelta(days=3),
                expires_at=now + timedelta(hours=72),
                created_at=now - timedelta(days=6),
            )
        )
    # The demo visitor: two accepted requests (meetings below) and one still open.
    mine = [p for p in exhibitors[1:40] if (visitor_me.pk, p.pk) not in pairs][:3]
    for i, p in enumerate(mine):
        pairs.add((visitor_me.pk, p.pk))
        reqs.append(
            MeetingRequest(
                event=event,
                sender=visitor_me,
                recipient=p,
                sent_by=users["visitor"],
                priority=4,
                status=MeetingRequest.Status.ACCEPTED if i < 2 else MeetingRequest.Status.REQUESTED,
                round=rnd if i < 2 else None,
                message="Looking forward to meeting you.",
                expires_at=now + timedelta(hours=72),
                created_at=now - timedelta(days=2),
            )
        )
    reqs = MeetingRequest.objects.bulk_create(reqs)
    slot_starts = dict(enumerate(all_slots(event)))
    for r in reqs:
        if r.status == MeetingRequest.Status.PROPOSED:
            r.proposed_start = slot_starts[rng.randrange(len(slot_starts))][0]
    MeetingRequest.objects.bulk_update([r for r in reqs if r.proposed_start], ["proposed_start"])

    # --- published delegation visits block the delegations' time (same rows as block_time) ----
    busy: dict[str, set[int]] = defaultdict(set)
    deleg_of = {d.organisation_id: d for d in delegations}
    visits = list(
        PublishedVisit.objects.filter(delegation__organisation__event=event).values_list(
            "uid", "delegation__organisation_id", "stand__number", "start", "end"
        )
    )
    # ... and so do their lunch breaks, on the days their published programme has visits
    visit_days = {(org, s.astimezone(event.tz).date()) for _uid, org, _n, s, _e in visits}
    lunches = list(
        DelegationDay.objects.filter(
            delegation__organisation__event=event, lunch_start__isnull=False, lunch_end__isnull=False
        ).values_list("pk", "delegation__organisation_id", "date", "lunch_start", "lunch_end", "lunch_place")
    )
    lunch_names = place_names(event, {row[5] for row in lunches})
    _insert(
        AgendaItem,
        [
            "event",
            "participant",
            "kind",
            "title",
            "place_label",
            "walking_id",
            "start",
            "end",
            "source",
            "created_at",
            "updated_at",
        ],
        [
            (
                event.pk,
                deleg_of[org].pk,
                AgendaItem.Kind.DELEGATION_VISIT,
                f"Delegation visit: stand {number}",
                number,
                number,
                s,
                e,
                f"delegations.visit:{uid}",
                now,
                now,
            )
            for uid, org, number, s, e in visits
            if org in deleg_of
        ]
        + [
            (
                event.pk,
                deleg_of[org].pk,
                AgendaItem.Kind.EVENT,
                "Lunch break",
                lunch_names.get(place, "")[:100],
                place,
                event.local(day, a),
                event.local(day, b),
                f"delegations.lunch:{pk}",
                now,
                now,
            )
            for pk, org, day, a, b, place in lunches
            if org in deleg_of and (org, day) in visit_days and a < b
        ],
    )
    # ... and the visited exhibitor's first host receives the delegation then
    exhibitor_of_stand = {stand_numbers[p.stand_id]: p for p in exhibitors if p.stand_id}
    delegation_name = {d.organisation_id: d.name for d in delegations}
    hosted, taken = [], defaultdict(list)
    for uid, org, number, s, e in sorted(visits, key=lambda v: v[3]):
        if number not in exhibitor_of_stand:
            continue
        host = host_of[exhibitor_of_stand[number].pk]
        if any(a < e and s < b for a, b in taken[host.pk]):
            continue  # a stand hosting two delegations at once: the host is with the first
        taken[host.pk].append((s, e))
        hosted.append(
            (
                event.pk,
                host.pk,
                AgendaItem.Kind.DELEGATION_VISIT,
                f"Delegation visit: {delegation_name.get(org, '')}"[:200],
                f"Stand {number}",
                number,
                s,
                e,
                f"delegations.hosting:{uid}",
                now,
                now,
            )
        )
    _insert(
        AgendaItem,
        [
            "event",
            "host",
            "kind",
            "title",
            "place_label",
            "walking_id",
            "start",
            "end",
            "source",
            "created_at",
            "updated_at",
        ],
        hosted,
    )
    items = list(
        AgendaItem.objects.filter(event=event)
        .select_related("host")
        .only("id", "participant_id", "host__user_id", "start", "end")
    )

    def owner(it) -> str:
        return f"p:{it.participant_id}" if it.participant_id else f"u:{it.host.user_id}"

    _insert(
        Booking,
        ["event", "resource", "start", "end", "agenda_item"],
        [(event.pk, owner(it), it.start, it.end, it.pk) for it in items],
    )
    for it in items:
        for i, (s, e) in slot_starts.items():
            if s < it.end and it.start < e:
                busy[owner(it)].add(i)

    # --- the published round: greedy slots, meetings at the exhibitor's stand ----------------
    count: dict[int, int] = defaultdict(int)
    meetings, keysets = [], []
    accepted = sorted(
        (r for r in reqs if r.status == MeetingRequest.Status.ACCEPTED), key=lambda r: -r.priority
    )
    # A second round is open during the show: one accepted request in seven waits for it.
    rnd2 = Round.objects.create(
        event=event, name="Show-days matchmaking", status=Round.Status.OPEN, time_limit=30
    )
    later = [r for i, r in enumerate(accepted) if i % 7 == 3 and r.sender_id != visitor_me.pk]
    for r in later:
        r.round = rnd2
    MeetingRequest.objects.bulk_update(later, ["round"], batch_size=1000)
    later_ids = {r.pk for r in later}
    accepted = [r for r in accepted if r.pk not in later_ids]
    slot_ids = list(slot_starts)
    for r in accepted:
        exh = r.recipient
        host = host_of[exh.pk]
        keys = [f"p:{r.sender_id}", f"u:{host.user_id}"]
        if count[r.sender_id] >= 12 or count[exh.pk] >= 24:
            continue
        offset = rng.randrange(len(slot_ids))
        for k in range(len(slot_ids)):
            i = slot_ids[(offset + k) % len(slot_ids)]
            if all(i not in busy[key] for key in keys):
                break
        else:
            continue
        for key in keys:
            busy[key].add(i)
        count[r.sender_id] += 1
        count[exh.pk] += 1
        start, end = slot_starts[i]
        status = Meeting.Status.SCHEDULED  # the show lies ahead: nothing has been held yet
        meetings.append(
            Meeting(
                event=event,
                request=r,
                round=rnd,
                sender_id=r.sender_id,
                recipient=exh,
                host=host,
                start=start,
                end=end,
                place=place_of_stand.get(exh.stand_id),
                status=status,
                sender_rating=rng.randint(3, 5) if status == Meeting.Status.HELD else None,
                created_at=now,
            )
        )
        keysets.append(keys)
    meetings = Meeting.objects.bulk_create(meetings)
    _insert(
        Booking,
        ["event", "resource", "start", "end", "meeting"],
        [
            (event.pk, k, m.start, m.end, m.pk)
            for m, keys in zip(meetings, keysets, strict=True)
            for k in keys
        ],
    )
    _insert(BookingResource, ["event", "key"], [(event.pk, k) for k in sorted(busy)])
    rnd.draft_stats = {
        "meetings": len(accepted),
        "scheduled": len(meetings),
        "published": len(meetings),
        "skipped": 0,
    }
    rnd.save(update_fields=["draft_stats"])
    show.extra["meetings"] = {"visitor": visitor_me, "delegation": delegation_me, "exhibitor": exhibitors[0]}
    show.say(
        f"Meetings ({time.monotonic() - t0:.1f} s): {len(items)} delegation visits as busy blocks, {len(exhibitors) + len(visitors) + len(delegations)} participants, {len(reqs)} requests, "
        f"{len(meetings)} meetings in the published round"
    )
