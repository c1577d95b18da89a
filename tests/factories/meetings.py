"""Factories for meetings: participants with the fewest surprises."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from exhibition.accounts.models import TradeVisitor
from exhibition.meetings.models import ExhibitorHost, Participant, Place

from . import make_company, make_delegation, make_member, make_visitor


def exhibitor(event, name: str | None = None, *, hosts: int = 1, instant: bool = False, **kw) -> Participant:
    org = make_company(event, name)
    p = Participant.objects.create(
        event=event,
        kind=Participant.Kind.EXHIBITOR,
        organisation=org,
        name=org.name,
        instant_booking=instant,
        **kw,
    )
    for i in range(hosts):
        user = make_member(org, "admin" if i == 0 else "staff")
        ExhibitorHost.objects.create(participant=p, user=user)
    return p


def exhibitor_of(org, *, instant: bool = False) -> Participant:
    """The meeting participant of an existing company, its first member (or a new admin) hosting."""
    p = Participant.objects.create(
        event=org.event,
        kind=Participant.Kind.EXHIBITOR,
        organisation=org,
        name=org.name,
        instant_booking=instant,
    )
    first = org.memberships.order_by("id").first()
    user = first.user if first else make_member(org, "admin")
    ExhibitorHost.objects.create(participant=p, user=user)
    return p


def visitor(event, status: str = TradeVisitor.Status.APPROVED, **kw) -> Participant:
    tv = make_visitor(event, status=status, **{k: kw.pop(k) for k in ("email", "user") if k in kw})
    return Participant.objects.create(
        event=event, kind=Participant.Kind.VISITOR, visitor=tv, user=tv.user, name=tv.user.full_name, **kw
    )


def delegation(event, name: str | None = None, **kw) -> Participant:
    org = make_delegation(event, name)
    make_member(org, "lead")
    return Participant.objects.create(
        event=event, kind=Participant.Kind.DELEGATION, organisation=org, name=org.name, **kw
    )


def actor_of(participant: Participant):
    """A user who acts for the participant."""
    if participant.kind == Participant.Kind.VISITOR:
        return participant.user
    return participant.organisation.memberships.order_by("id").first().user


def table(event, name: str = "T1", **kw) -> Place:
    return Place.objects.create(event=event, kind=Place.Kind.TABLE, name=name, **kw)


def at(event, day: int, hhmm: str) -> datetime:
    """Aware datetime on show day ``day`` (1-based) at local HH:MM."""
    d = event.days.order_by("date")[day - 1].date
    h, m = map(int, hhmm.split(":"))

    return event.local(d, time(h, m))


def move_to_future(event, days_ahead: int = 30):
    """Shift the show days so that the show opens ``days_ahead`` days from today: its meetings are upcoming."""
    delta = timezone.localdate() + timedelta(days=days_ahead) - event.days.order_by("date").first().date
    for day in event.days.order_by("-date"):  # the latest first: (event, date) stays unique on the way
        day.date += delta
        day.save(update_fields=["date"])
    return event
