"""Building the demo show: its dates, its people and companies, and the other apps' parts
(each app adds its own through ``demo.py``)."""

from __future__ import annotations

import importlib
import importlib.util
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_countries import countries as all_countries

from exhibition.accounts.models import EventStaff, Membership, Organisation, TradeVisitor, User
from exhibition.delegations.models import Delegation, DelegationMember

from ..models import Event, Hall, Sector
from ..services import create_event
from .words import (
    AGENCIES,
    DELEGATION_COUNTRIES,
    EXHIBITOR_COUNTRIES,
    FIRST,
    JOBS,
    LAST,
    RANKS,
    SECTORS,
    SUFFIXES,
    WORDS_A,
    WORDS_B,
)

# The show lies ahead of the day the demo is seeded, so no year in its slug or name.
DEMO_SLUG = "milipol-paris"
DEMO_NAME = "Milipol Paris"
OTHER_SLUG = "milipol-qatar"
DAYS_AHEAD = 35  # the show opens on the first Tuesday at least this many days after seeding
DEMO_PASSWORD = "demo-password"  # noqa: S105 -- the demo's published password: only seed_demo uses it, and prints it
DEMO_LOGINS = {
    "organiser": "organiser@demo.test",
    "exhibitor": "exhibitor@demo.test",
    "delegation": "delegation@demo.test",
    "visitor": "visitor@demo.test",
}


@dataclass
class DemoShow:
    event: Event
    other_event: Event
    users: dict[str, User]
    companies: list[Organisation]
    delegations: list[Organisation]
    visitors: int
    rng: random.Random
    extra: dict[str, Any] = field(default_factory=dict)
    today: date | None = None  # the day the demo is seeded (the show's local date)
    first_day: date | None = None  # the show's first day
    say: Callable[[str], None] = print


# Later domains extend the demo, in this order, each with ``exhibition.<app>.demo.extend(show)``.
DEMO_EXTENSION_APPS = ["floorplans", "exhibitors", "booking", "delegations", "meetings", "accreditation"]


def _extensions() -> list[Callable[[DemoShow], None]]:
    out = []
    for app in DEMO_EXTENSION_APPS:
        name = f"exhibition.{app}.demo"
        if importlib.util.find_spec(name) is not None:
            out.append(importlib.import_module(name).extend)
    return out


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    codes, weights = zip(*items, strict=True)
    return rng.choices(codes, weights=weights, k=1)[0]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def show_dates(today: date) -> date:
    """The first day of the demo show: a Tuesday, 35 to 41 days after ``today``."""
    first = today + timedelta(days=DAYS_AHEAD)
    return first + timedelta(days=(1 - first.weekday()) % 7)


def reset_demo() -> None:
    Event.objects.filter(
        slug__in=[DEMO_SLUG, OTHER_SLUG, "milipol-paris-2025", "milipol-qatar-2026"]
    ).delete()
    User.objects.filter(email__endswith="@demo.test").delete()


@transaction.atomic
def build_demo(*, seed: int = 2025, stdout: Any = None) -> DemoShow:
    rng = random.Random(seed)  # noqa: S311 -- seeded for repeatable demo data, not for security
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    reset_demo()
    now = timezone.now()

    today = timezone.localdate(now, timezone=ZoneInfo("Europe/Paris"))
    first_day = show_dates(today)
    event = create_event(
        slug=DEMO_SLUG,
        name=DEMO_NAME,
        venue="Paris Nord Villepinte",
        city="Villepinte",
        country="FR",
        tz="Europe/Paris",
        first_day=first_day,
        days=4,
        opens=time(9, 30),
        closes=time(18, 0),
        last_closes=time(17, 0),
    )
    other = create_event(
        slug=OTHER_SLUG,
        name="Milipol Qatar",
        venue="Doha Exhibition and Convention Center",
        city="Doha",
        country="QA",
        tz="Asia/Qatar",
        first_day=first_day + timedelta(days=7 * 45),
        days=3,
        opens=time(10, 0),
        closes=time(18, 0),
        last_closes=time(16, 0),
        currency="QAR",
    )
    # Paris Nord Villepinte-like halls (site coordinates in metres, side by side).
    halls = [
        ("4", "Hall 4", 150, 120),
        ("5A", "Hall 5A", 170, 130),
        ("5B", "Hall 5B", 170, 130),
        ("6", "Hall 6", 230, 150),
    ]
    x = 0.0
    for pos, (code, name, w, d) in enumerate(halls):
        Hall.objects.create(
            event=event, code=code, name=name, width=w, depth=d, origin_x=x, origin_y=0, position=pos
        )
        x += w + 20
    Hall.objects.create(event=other, code="1", name="Hall 1", width=120, depth=90)
    sectors = Sector.objects.bulk_create(
        Sector(event=event, code=c, name_en=en, name_fr=fr, colour=col) for c, en, fr, col in SECTORS
    )
    Sector.objects.bulk_create(
        Sector(event=other, code=c, name_en=en, name_fr=fr, colour=col) for c, en, fr, col in SECTORS
    )
    say(f"Events {event.name} and {other.name}: {len(sectors)} sectors (halls and stands follow)")

    demo_hash = make_password(DEMO_PASSWORD)
    users = {
        role: User(
            email=email,
            full_name=name,
            password=demo_hash,
            is_staff=(role == "organiser"),
            is_superuser=(role == "organiser"),
            email_verified_at=now,
        )
        for (role, email), name in zip(
            DEMO_LOGINS.items(),
            ["Olivia Organiser", "Ethan Exhibitor", "Diane Delegate", "Victor Visitor"],
            strict=True,
        )
    }
    User.objects.bulk_create(users.values())
    EventStaff.objects.create(event=event, user=users["organiser"], role=EventStaff.Role.ADMIN)
    EventStaff.objects.create(event=other, user=users["organiser"], role=EventStaff.Role.ADMIN)

    # --- exhibiting companies ---------------------------------------------------------
    names: set[str] = set()
    companies: list[Organisation] = []
    company_sectors: list[list[Sector]] = []
    while len(companies) < 1080:
        main = rng.choice(sectors)
        name = f"{rng.choice(WORDS_A)} {rng.choice(WORDS_B[main.code])} {rng.choice(SUFFIXES)}"
        if name in names:
            continue
        names.add(name)
        companies.append(
            Organisation(
                event=event,
                kind=Organisation.Kind.COMPANY,
                name=name,
                country=_weighted(rng, EXHIBITOR_COUNTRIES),
                website=f"https://www.{name.split()[0].lower()}{name.split()[1].lower()}{len(companies)}.example",
            )
        )
        extra = rng.sample(sectors, k=rng.choice([0, 0, 1, 1, 2]))
        company_sectors.append([main] + [s for s in extra if s != main])
    companies = Organisation.objects.bulk_create(companies)
    Through = Organisation.sectors.through
    Through.objects.bulk_create(
        Through(organisation_id=c.pk, sector_id=s.pk)
        for c, ss in zip(companies, company_sectors, strict=True)
        for s in ss
    )
    Membership.objects.create(organisation=companies[0], user=users["exhibitor"], role=Membership.Role.ADMIN)
    say(f"{len(companies)} exhibiting companies from {len({c.country.code for c in companies})} countries")

    # --- official delegations ----------------------------------------------------------
    delegations: list[Organisation] = []
    details: list[tuple[str, str]] = []
    for i in range(160):
        country = DELEGATION_COUNTRIES[i % len(DELEGATION_COUNTRIES)]
        agency, level = AGENCIES[(i // len(DELEGATION_COUNTRIES) + i) % len(AGENCIES)]
        official = f"{all_countries.name(country)} – {agency}"
        delegations.append(
            Organisation(
                event=event,
                kind=Organisation.Kind.DELEGATION,
                name=official,
                country=country,
                admitted_at=now,
                admission_note="Registered by the organiser",
            )
        )
        details.append((official, level))
    delegations = Organisation.objects.bulk_create(delegations)
    dels = Delegation.objects.bulk_create(
        Delegation(
            organisation=o,
            official_name=name,
            protocol_level=level,
            languages=rng.choice(["en", "fr", "en, fr", "ar, fr", "es, en"]),
            interpreter_needed=rng.random() < 0.3,
            liaison_officer=users["organiser"],
        )
        for o, (name, level) in zip(delegations, details, strict=True)
    )
    members = []
    for d in dels:
        members.extend(
            DelegationMember(
                delegation=d,
                name=_person(rng),
                title=rng.choice(RANKS) if j == 0 else rng.choice(RANKS[3:]),
                organisation=d.official_name.split(" – ")[-1],
                role="Head of delegation"
                if j == 0
                else rng.choice(
                    [
                        "Deputy head",
                        "Technical expert",
                        "Procurement officer",
                        "Aide-de-camp",
                        "Interpreter",
                    ]
                ),
                language=rng.choice(["en", "fr"]),
                is_head=(j == 0),
            )
            for j in range(rng.randint(3, 8))
        )
    DelegationMember.objects.bulk_create(members)
    Membership.objects.create(
        organisation=delegations[0], user=users["delegation"], role=Membership.Role.LEAD
    )
    say(
        f"{len(delegations)} delegations from {len({d.country.code for d in delegations})} countries, {len(members)} members"
    )

    # --- trade visitors ------------------------------------------------------------------
    visitor_users = [
        User(
            email=f"visitor{i:04d}@demo.test",
            full_name=_person(rng),
            password=make_password(None),
            email_verified_at=now,
        )
        for i in range(1, 3200)
    ]
    visitor_users = User.objects.bulk_create(visitor_users)
    all_visitors = [users["visitor"], *visitor_users]
    statuses = (
        [TradeVisitor.Status.APPROVED] * 17
        + [TradeVisitor.Status.PENDING] * 2
        + [TradeVisitor.Status.REJECTED]
    )
    visitors = TradeVisitor.objects.bulk_create(
        TradeVisitor(
            event=event,
            user=u,
            organisation_name=f"{rng.choice(WORDS_A)} {rng.choice(['Police', 'Security', 'Consulting', 'Airport', 'Energy', 'Bank', 'Logistics', 'City Council'])}",
            job_title=rng.choice(JOBS),
            country=_weighted(rng, EXHIBITOR_COUNTRIES),
            status=TradeVisitor.Status.APPROVED if u is users["visitor"] else rng.choice(statuses),
            looking_for=rng.choice(
                [
                    "",
                    "Body-worn cameras",
                    "Counter-drone systems for events",
                    "SOC services",
                    "Armoured vehicles",
                    "Forensic lab equipment",
                    "Crowd management training",
                ]
            ),
        )
        for u in all_visitors
    )
    VT = TradeVisitor.sectors.through
    VT.objects.bulk_create(
        VT(tradevisitor_id=v.pk, sector_id=s.pk)
        for v in visitors
        for s in rng.sample(sectors, k=rng.randint(1, 3))
    )
    say(f"{len(visitors)} trade visitors")

    show = DemoShow(
        event=event,
        other_event=other,
        users=users,
        companies=companies,
        delegations=delegations,
        visitors=len(visitors),
        rng=rng,
        say=say,
        today=today,
        first_day=first_day,
    )
    for extend in _extensions():
        extend(show)
    return show
