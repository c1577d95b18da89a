"""Reads for delegations: access-checked fetches, lists with their joins done, programmes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from exhibition.accounts.models import Membership, Organisation
from exhibition.events.models import Event
from exhibition.events.selectors import Todo, summary_provider, todo_provider

from .models import (
    CandidateVisit,
    Delegation,
    DelegationMember,
    HostingWindow,
    HostWish,
    Interest,
    PlanningRun,
    Programme,
    PublishedVisit,
    Visit,
    VisitRequest,
)


def delegations_for_event(event: Event) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(organisation__event=event)
        .select_related("organisation", "liaison_officer", "programme")
        .annotate(member_count=Count("members", distinct=True), visit_count=Count("visits", distinct=True))
        .order_by("official_name")
    )


def filter_delegations(
    qs: QuerySet[Delegation],
    *,
    q: str = "",
    country: str = "",
    level: str = "",
    liaison: int | None = None,
    state: str = "",
) -> QuerySet[Delegation]:
    if q:
        qs = qs.filter(
            Q(official_name__icontains=q) | Q(organisation__name__icontains=q) | Q(members__name__icontains=q)
        ).distinct()
    if country:
        qs = qs.filter(organisation__country=country.upper())
    if level:
        qs = qs.filter(protocol_level=level)
    if liaison:
        qs = qs.filter(liaison_officer_id=liaison)
    if state == "published":
        qs = qs.filter(programme__published_at__isnull=False)
    elif state == "unplanned":
        qs = qs.filter(visits__isnull=True)
    elif state == "draft":
        qs = qs.filter(visits__status=Visit.Status.DRAFT).distinct()
    return qs


def delegation_in_event(event: Event, pk: int) -> Delegation:
    """The event's delegation (404 for another event's); the caller checks the permission."""
    delegation = (
        Delegation.objects.filter(pk=pk, organisation__event=event)
        .select_related("organisation__event", "liaison_officer")
        .first()
    )
    if delegation is None:
        raise Http404
    return delegation


def delegation_for(user: Any, event: Event, pk: int, perm: str = "delegations.view_delegation") -> Delegation:
    """The delegation if ``user`` may see it (404 for another event, 403 without the right)."""
    delegation = delegation_in_event(event, pk)
    if not user.has_perm(perm, delegation):
        raise PermissionDenied
    return delegation


def own_delegations(user: Any, event: Event) -> QuerySet[Delegation]:
    """The admitted delegations the user belongs to."""
    return Delegation.objects.filter(
        organisation__event=event,
        organisation__memberships__user=user,
        organisation__admitted_at__isnull=False,
    ).select_related("organisation")


def delegation_detail(delegation: Delegation) -> dict[str, Any]:
    from .services.common import place_names

    days = list(delegation.days.all())
    names = place_names(
        delegation.organisation.event, {c for d in days for c in (d.start_point, d.end_point)}
    )
    for d in days:
        d.start_name, d.end_name = names.get(d.start_point, ""), names.get(d.end_point, "")
    return {
        "members": list(delegation.members.all()),
        "interests": list(delegation.interests.select_related("sector", "exhibitor")),
        "days": days,
        "candidates": list(delegation.candidates.select_related("stand__exhibitor", "stand__hall")),
        "exclusions": list(delegation.exclusions.select_related("company")),
        "wishes": list(delegation.host_wishes.select_related("company")),
        "requests": list(delegation.visit_requests.select_related("company")),
        "heads": list(
            Membership.objects.filter(organisation_id=delegation.organisation_id).select_related("user")
        ),
    }


@dataclass
class ProgrammeItem:
    """One line of a day's programme: a stand visit, or the lunch break (``visit`` is None)."""

    visit: Any = None
    walk_minutes: float | None = None
    walk_from: str = ""  # place code (for the route link)
    walk_from_name: str = ""
    start: Any = None  # aware datetimes
    end: Any = None
    place_name: str = ""
    kind: str = "visit"

    @property
    def is_lunch(self) -> bool:
        return self.kind == "lunch"


@dataclass
class ProgrammeDay:
    date: date
    window: Any
    items: list[ProgrammeItem] = field(default_factory=list)
    walk_back: float | None = None
    start_name: str = ""
    end_name: str = ""

    @property
    def visits(self) -> list[ProgrammeItem]:
        return [i for i in self.items if not i.is_lunch]

    @property
    def lunch(self) -> ProgrammeItem | None:
        return next((i for i in self.items if i.is_lunch), None)


def programme_days(delegation: Delegation, *, published: bool) -> list[ProgrammeDay]:
    """The programme per day, in order, with the walk to each stand (and back to the end point),
    the lunch break where the planner put it, and every place by its name.

    ``published``: what the delegation sees (PublishedVisit); else the working programme (Visit).
    """
    from .services.common import at_minutes, minutes_of_time, place_names, travel_table

    event = delegation.organisation.event
    model = PublishedVisit if published else Visit
    visits = list(
        model.objects.filter(delegation=delegation)
        .select_related("stand__hall", "stand__exhibitor", "stand__pavilion")
        .prefetch_related(
            Prefetch(
                "stand__exhibitor__memberships",
                queryset=Membership.objects.filter(role="admin").select_related("user"),
                to_attr="admins",
            )
        )
        .order_by("start")
    )
    windows = {d.date: d for d in delegation.days.all()}
    by_day: dict[date, list] = defaultdict(list)
    for v in visits:
        by_day[v.date].append(v)
    days = sorted(set(windows) | set(by_day))
    places = (
        {v.stand.number for v in visits}
        | {w.start_point for w in windows.values()}
        | {w.end_point for w in windows.values()}
    )
    travel, _kind = travel_table(event, sorted(places)) if places else ({}, "")
    names = place_names(event, places | {w.lunch_place for w in windows.values()})
    out = []
    for d in days:
        window = windows.get(d)
        pd = ProgrammeDay(
            date=d,
            window=window,
            start_name=names.get(window.start_point, "") if window else "",
            end_name=names.get(window.end_point, "") if window else "",
        )
        prev = window.start_point if window else None
        for v in by_day.get(d, []):
            walk = travel.get(prev, {}).get(v.stand.number) if prev else None
            pd.items.append(
                ProgrammeItem(
                    visit=v,
                    walk_minutes=walk,
                    walk_from=prev or "",
                    walk_from_name=names.get(prev or "", ""),
                    start=v.start,
                    end=v.end,
                    place_name=names.get(v.stand.number, ""),
                )
            )
            prev = v.stand.number
        if window and prev:
            pd.walk_back = travel.get(prev, {}).get(window.end_point)
        if window and window.lunch_start and window.lunch_end and published and pd.items:
            lunch = ProgrammeItem(
                kind="lunch",
                start=at_minutes(event, d, minutes_of_time(window.lunch_start)),
                end=at_minutes(event, d, minutes_of_time(window.lunch_end)),
                place_name=names.get(window.lunch_place, ""),
            )
            if not any(i.start < lunch.end and lunch.start < i.end for i in pd.items):
                pd.items.append(lunch)
                pd.items.sort(key=lambda i: i.start)
        out.append(pd)
    return out


def host_contact(stand) -> str:
    """Who receives the delegation at the stand: the company's first admin."""
    admins = getattr(stand.exhibitor, "admins", None) if stand.exhibitor else None
    if admins:
        u = admins[0].user
        return f"{u.get_full_name()} <{u.email}>"
    return ""


def programme_of_delegations(delegation_org_ids: list[int]) -> Programme | None:
    """The programme of the first of these delegations (by organisation id), if it has one."""
    if not delegation_org_ids:
        return None
    return (
        Programme.objects.select_related("delegation__organisation__event")
        .filter(delegation__organisation_id__in=delegation_org_ids)
        .order_by("delegation__organisation_id")
        .first()
    )


def companies_of_user(user: Any, event: Event) -> QuerySet[Organisation]:
    return Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY, memberships__user=user)


def hosting_overview(company: Organisation) -> dict[str, Any]:
    from exhibition.floorplans.models import Stand

    stands = list(
        Stand.objects.filter(exhibitor=company).select_related("hall", "hosting").order_by("number")
    )
    return {
        "stands": stands,
        "visits": list(
            PublishedVisit.objects.filter(stand__exhibitor=company)
            .select_related("delegation__organisation", "stand")
            .order_by("start")
        ),
        "windows": list(HostingWindow.objects.filter(organisation=company).select_related("stand")),
        "requests": list(
            VisitRequest.objects.filter(company=company).select_related("delegation__organisation")
        ),
        "wishes": list(HostWish.objects.filter(company=company).select_related("delegation")),
    }


def visits_for_hall(event: Event, hall, day: date) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(delegation__organisation__event=event, stand__hall=hall, date=day)
        .select_related("delegation", "stand")
        .order_by("stand__number", "start")
    )


def latest_run(event: Event, delegation: Delegation | None = None) -> PlanningRun | None:
    qs = PlanningRun.objects.filter(event=event)
    if delegation is not None:
        qs = qs.filter(Q(delegation=delegation) | Q(delegation__isnull=True))
    return qs.order_by("-created_at", "-id").first()


def interests_for(delegation: Delegation) -> QuerySet[Interest]:
    return delegation.interests.select_related("sector", "exhibitor")


def members_for(delegation: Delegation) -> QuerySet[DelegationMember]:
    return delegation.members.all()


def candidates_for(delegation: Delegation) -> QuerySet[CandidateVisit]:
    return delegation.candidates.select_related("stand__exhibitor")


@summary_provider
def delegation_summary(event: Event) -> dict[str, Any]:
    visits = Visit.objects.filter(delegation__organisation__event=event).aggregate(
        planned=Count("id"), draft=Count("id", filter=Q(status=Visit.Status.DRAFT))
    )
    published = PublishedVisit.objects.filter(delegation__organisation__event=event).count()
    programmes = Programme.objects.filter(
        delegation__organisation__event=event, published_at__isnull=False
    ).count()
    with_days = Delegation.objects.filter(organisation__event=event, days__isnull=False).distinct().count()
    return {
        "delegations": {
            "on_site": with_days,
            "programmes_published": programmes,
            "visits_planned": visits["planned"],
            "visits_draft": visits["draft"],
            "visits_published": published,
        }
    }


@todo_provider
def _delegations_todos(event: Event) -> list[Todo]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    on_site = Delegation.objects.filter(organisation__event=event, days__isnull=False)
    to_plan = on_site.filter(visits__isnull=True).distinct().count()
    unpublished = (
        Delegation.objects.filter(organisation__event=event, visits__status=Visit.Status.DRAFT)
        .distinct()
        .count()
    )
    url = reverse("delegations:list", kwargs={"event_slug": event.slug})
    return [
        Todo(
            key="delegations_to_plan",
            order=50,
            count=to_plan,
            label=ngettext(
                "%(n)s delegation on site without a programme",
                "%(n)s delegations on site without a programme",
                to_plan,
            )
            % {"n": to_plan},
            url=url,
        ),
        Todo(
            key="programmes_to_publish",
            order=55,
            count=unpublished,
            label=ngettext(
                "%(n)s programme with visits not yet published",
                "%(n)s programmes with visits not yet published",
                unpublished,
            )
            % {"n": unpublished},
            url=url,
        ),
    ]
