"""Factories for delegations: a small show (one hall, an entrance, a lounge, four exhibitors
with stands), delegations with a day on site, and helpers for visits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from exhibition.accounts.models import Membership, Organisation, User
from exhibition.delegations.models import CandidateVisit, Delegation, DelegationDay
from exhibition.events.models import Event, Hall
from exhibition.floorplans.models import Door, Feature, Stand
from tests import factories
from tests.factories.floorplans import make_door, make_feature, make_stand, sell

DAY = date(2025, 11, 18)


def make_official_delegation(event: Event, name: str | None = None, country: str = "BR", **kw) -> Delegation:
    org = factories.make_delegation(event, name=name, country=country)
    return Delegation.objects.create(organisation=org, official_name=org.name, **kw)


def give_day(
    delegation: Delegation,
    day: date = DAY,
    start: time = time(10, 0),
    end: time = time(16, 0),
    point: str = "ENTRANCE-5A",
) -> DelegationDay:
    return DelegationDay.objects.create(
        delegation=delegation, date=day, start=start, end=end, start_point=point, end_point=point
    )


def candidate(
    delegation: Delegation, stand: Stand, score: float = 10, duration: int = 20, required: bool = False
):
    return CandidateVisit.objects.create(
        delegation=delegation, stand=stand, score=score, duration=duration, required=required
    )


@dataclass
class Show:
    event: Event
    hall: Hall
    entrance: Door
    lounge: Feature
    companies: list[Organisation]
    stands: list[Stand]
    delegation: Delegation
    other: Delegation
    head: User
    member: User
    other_head: User
    exhibitor: User  # admin of companies[0]
    exhibitor2: User  # admin of companies[1]
    extra: dict = field(default_factory=dict)


def make_show(event: Event) -> Show:
    hall = factories.make_hall(event, "5A")
    entrance = make_door(event, "ENTRANCE-5A", hall, None, x=50, y=0, width=4)
    lounge = make_feature(
        event, hall, "5A-LOUNGE", x=80, y=60, width=10, depth=10, kind=Feature.Kind.LOUNGE, name="VIP lounge"
    )
    companies, stands = [], []
    for i, (name, country) in enumerate(
        [("Aegis Systems", "FR"), ("Bastion Optics", "DE"), ("Cobalt Drones", "IL"), ("Delta Cyber", "US")]
    ):
        company = factories.make_company(event, name, country=country)
        stand = sell(make_stand(event, hall, f"5A-{101 + i}", x=10 + 20 * i, y=20, width=6, depth=6), company)
        companies.append(company)
        stands.append(stand)
    delegation = make_official_delegation(event, "Brazil – National Police", "BR")
    other = make_official_delegation(event, "Kenya – Civil Protection", "KE")
    head = factories.make_member(delegation.organisation, Membership.Role.LEAD, email="head@br.test")
    member = factories.make_member(delegation.organisation, Membership.Role.MEMBER, email="member@br.test")
    other_head = factories.make_member(other.organisation, Membership.Role.LEAD, email="head@ke.test")
    exhibitor = factories.make_member(companies[0], Membership.Role.ADMIN, email="admin@aegis.test")
    exhibitor2 = factories.make_member(companies[1], Membership.Role.ADMIN, email="admin@bastion.test")
    give_day(delegation)
    give_day(other)
    return Show(
        event=event,
        hall=hall,
        entrance=entrance,
        lounge=lounge,
        companies=companies,
        stands=stands,
        delegation=delegation,
        other=other,
        head=head,
        member=member,
        other_head=other_head,
        exhibitor=exhibitor,
        exhibitor2=exhibitor2,
    )
