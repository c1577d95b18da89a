"""Reads for delegations: access-checked fetches, lists with their joins done, programmes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import ngettext

from exhibition.accounts.models import Membership, Organisation, User
from exhibition.core.countries import countries_by_name
from exhibition.events.models import Event, Hall, Sector, ShowDay
from exhibition.events.selectors import Todo, summary_provider, todo_provider
from exhibition.exhibitors.models import ProfileContact
from exhibition.floorplans.models import Stand

from .clock import at_minutes, minutes_of_time
from .models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    DelegationMember,
    Exclusion,
    HostingWindow,
    HostWish,
    Interest,
    PlanningRun,
    Programme,
    PublishedVisit,
    Visit,
    VisitRequest,
)
from .places import place_coordinates, place_names, travel_table

_M = TypeVar("_M", bound=Model)


def delegations_for_event(event: Event) -> QuerySet[Delegation]:
    return (
        Delegation.objects.filter(organisation__event=event)
        .select_related("organisation", "liaison_officer", "programme")
        .annotate(member_count=Count("members", distinct=True), visit_count=Count("visits", distinct=True))
        .order_by("official_name")
    )


def delegation_countries(event: Event) -> list[tuple[str, str]]:
    """The countries of the show's delegations as (code, name), by name in the reader's language:
    the delegation list's country filter."""
    return countries_by_name(
        Delegation.objects.filter(organisation__event=event)
        .order_by()
        .values_list("organisation__country", flat=True)
        .distinct()
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


def delegation_for(
    user: User | AnonymousUser, event: Event, pk: int, perm: str = "delegations.view_delegation"
) -> Delegation:
    """The delegation if ``user`` may see it (404 for another event, 403 without the right)."""
    delegation = delegation_in_event(event, pk)
    # django-stubs types has_perm's object as a user; django-rules checks any model instance
    if not user.has_perm(perm, delegation):  # type: ignore[arg-type]
        raise PermissionDenied
    return delegation


def delegations_of_member(event: Event, user: User) -> QuerySet[Delegation]:
    """The event's delegations (as :func:`delegations_for_event`) that ``user`` is a member of."""
    return delegations_for_event(event).filter(organisation__memberships__user=user)


def _one(qs: QuerySet[_M], pk: Any) -> _M:
    """The row ``pk`` of ``qs``, else 404 (also for no id at all)."""
    obj = qs.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise Http404
    return obj


# --- one delegation's parts (404 for another delegation's) ------------------------------------------


def member_of_delegation(delegation: Delegation, pk: Any) -> DelegationMember:
    return _one(DelegationMember.objects.filter(delegation=delegation), pk)


def interest_of_delegation(delegation: Delegation, pk: Any) -> Interest:
    return _one(Interest.objects.filter(delegation=delegation), pk)


def days_of_delegation(delegation: Delegation) -> QuerySet[DelegationDay]:
    return DelegationDay.objects.filter(delegation=delegation).order_by("date")


def day_of_delegation(delegation: Delegation, pk: Any) -> DelegationDay:
    return _one(DelegationDay.objects.filter(delegation=delegation), pk)


def exclusion_of_delegation(delegation: Delegation, pk: Any) -> Exclusion:
    return _one(Exclusion.objects.filter(delegation=delegation), pk)


def candidate_of_delegation(delegation: Delegation, pk: Any) -> CandidateVisit:
    return _one(CandidateVisit.objects.filter(delegation=delegation), pk)


def exclusions_of_delegation(delegation: Delegation) -> QuerySet[Exclusion]:
    """The pairings the delegation must never be planned with, in the order they were added."""
    return Exclusion.objects.filter(delegation=delegation).select_related("company").order_by("id")


def wish_for_delegation(delegation: Delegation, pk: Any) -> HostWish:
    return _one(HostWish.objects.filter(delegation=delegation), pk)


def visits_of_delegation(delegation: Delegation) -> QuerySet[Visit]:
    """The working programme's visits in time order, with stand and exhibitor."""
    return Visit.objects.filter(delegation=delegation).select_related("stand__exhibitor").order_by("start")


def visit_of_delegation(delegation: Delegation, pk: Any) -> Visit | None:
    """One visit of the working programme (None if the delegation has no such visit)."""
    if pk is None or pk == "":
        return None
    return (
        Visit.objects.filter(pk=pk, delegation=delegation)
        .select_related("stand__exhibitor", "delegation__organisation__event")
        .first()
    )


def visit_in_delegation(delegation: Delegation, pk: Any) -> Visit:
    """As :func:`visit_of_delegation`, 404 when there is none."""
    visit = visit_of_delegation(delegation, pk)
    if visit is None:
        raise Http404
    return visit


def published_visits_of(delegation: Delegation) -> QuerySet[PublishedVisit]:
    """The published programme's visits in time order, with stand, hall and exhibitor."""
    return (
        PublishedVisit.objects.filter(delegation=delegation)
        .select_related("stand__hall", "stand__exhibitor")
        .order_by("start")
    )


def programme_of(delegation: Delegation) -> Programme:
    """The delegation's programme; before anything was planned or published, an unsaved empty
    one (a read never creates the row: planning and publishing do)."""
    return Programme.objects.filter(delegation=delegation).first() or Programme(delegation=delegation)


# --- the show's places and companies, as the delegation screens need them ---------------------------


def stand_numbered(event: Event, number: str) -> Stand | None:
    """The event's stand of that number, with its exhibitor (None if there is none)."""
    return Stand.objects.filter(event=event, number=number).select_related("exhibitor").first()


def stands_of_company(company: Organisation) -> QuerySet[Stand]:
    """The company's stands by number."""
    return Stand.objects.filter(exhibitor=company).order_by("number")


def sector_coded(event: Event, code: str) -> Sector | None:
    return Sector.objects.filter(event=event, code=code).first()


def organisation_in_event(event: Event, pk: Any) -> Organisation | None:
    return Organisation.objects.filter(event=event, pk=pk).first()


def company_in_event(event: Event, pk: Any) -> Organisation | None:
    """The event's company (exhibitor organisation) ``pk``; None for a delegation or another event's."""
    return Organisation.objects.filter(pk=pk, event=event, kind=Organisation.Kind.COMPANY).first()


def halls_of_event(event: Event) -> QuerySet[Hall]:
    return Hall.objects.filter(event=event).order_by("position", "code")


def is_show_day(event: Event, day: date) -> bool:
    return ShowDay.objects.filter(event=event, date=day).exists()


def show_days_of_event(event: Event) -> QuerySet[ShowDay]:
    return ShowDay.objects.filter(event=event).order_by("date")


def planning_run_in_event(event: Event, pk: Any) -> PlanningRun:
    """The event's planning run (404 for another event's)."""
    return _one(PlanningRun.objects.filter(event=event).select_related("event"), pk)


# --- hosting (exhibitors) ----------------------------------------------------------------------------


def hosting_windows_for_event(event: Event, company_ids: Any = None) -> QuerySet[HostingWindow]:
    """The event's hosting windows (only these companies' unless ``company_ids`` is None), by
    company, day and time, with the stand."""
    qs = (
        HostingWindow.objects.filter(event=event)
        .select_related("stand")
        .order_by("organisation_id", "date", "start")
    )
    if company_ids is not None:
        qs = qs.filter(organisation_id__in=company_ids)
    return qs


def hosting_window_in_event(event: Event, pk: Any) -> HostingWindow:
    """The event's hosting window with its company (404 for another event's); the caller checks."""
    return _one(HostingWindow.objects.filter(event=event).select_related("organisation", "event"), pk)


def hosting_window_of_company(company: Organisation, pk: Any) -> HostingWindow:
    return _one(HostingWindow.objects.filter(organisation=company), pk)


def wish_of_company(company: Organisation, pk: Any) -> HostWish:
    return _one(HostWish.objects.filter(company=company), pk)


def wishes_for_event(event: Event, company_ids: Any = None) -> QuerySet[HostWish]:
    """The event's wishes to host a delegation (only these companies' unless ``company_ids`` is
    None), by company and delegation, with both."""
    qs = (
        HostWish.objects.filter(company__event=event)
        .select_related("company", "delegation")
        .order_by("company__name", "delegation__official_name", "id")
    )
    if company_ids is not None:
        qs = qs.filter(company_id__in=list(company_ids))
    return qs


def wish_in_event(event: Event, pk: Any) -> HostWish:
    """The event's wish with its company (404 for another event's); the caller checks."""
    return _one(HostWish.objects.filter(company__event=event).select_related("company__event"), pk)


def delegations_to_host(event: Event) -> QuerySet[Delegation]:
    """The delegations an exhibitor may wish to host: the event's, by name (the hosting page's
    choice)."""
    return Delegation.objects.filter(organisation__event=event).order_by("official_name", "id")


def hosting_stands(event: Event, company_ids: Any = None) -> QuerySet[Stand]:
    """The event's stands that have an exhibitor (only these companies' unless ``company_ids``
    is None), by number, with hall, exhibitor and hosting capacity."""
    qs = (
        Stand.objects.filter(event=event, exhibitor__isnull=False)
        .select_related("hall", "exhibitor", "hosting")
        .order_by("number")
    )
    if company_ids is not None:
        qs = qs.filter(exhibitor_id__in=list(company_ids))
    return qs


def requests_of_delegation(delegation: Delegation) -> QuerySet[VisitRequest]:
    return VisitRequest.objects.filter(delegation=delegation).select_related("delegation", "company")


def requests_to_companies(event: Event, company_ids: Any | None) -> QuerySet[VisitRequest]:
    """Visit requests to these companies of the event (every company's for None: the organiser)."""
    qs = VisitRequest.objects.filter(company__event=event).select_related("delegation", "company")
    return qs if company_ids is None else qs.filter(company_id__in=list(company_ids))


def request_in_event(event: Event, pk: Any) -> VisitRequest:
    return _one(VisitRequest.objects.filter(company__event=event).select_related("delegation", "company"), pk)


def request_to_company(company: Organisation, pk: Any) -> VisitRequest:
    """A visit request to the company, with company and delegation (404 for another's)."""
    return _one(
        VisitRequest.objects.filter(company=company).select_related("company", "delegation__organisation"), pk
    )


def own_delegations(user: User, event: Event) -> QuerySet[Delegation]:
    """The admitted delegations the user belongs to."""
    return Delegation.objects.filter(
        organisation__event=event,
        organisation__memberships__user=user,
        organisation__admitted_at__isnull=False,
    ).select_related("organisation")


def delegation_detail(delegation: Delegation) -> dict[str, Any]:
    days = list(delegation.days.all())
    names = place_names(
        delegation.organisation.event, {c for d in days for c in (d.start_point, d.end_point)}
    )
    for d in days:
        # read by the delegation page beside each day's start and end points
        d.start_name = names.get(d.start_point, "")  # type: ignore[attr-defined]
        d.end_name = names.get(d.end_point, "")  # type: ignore[attr-defined]
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


@dataclass(frozen=True)
class Appointment:
    """Something in the delegation's diary that an app above this one keeps (a B2B meeting),
    as that app tells it through :func:`appointments_provider`."""

    start: datetime  # aware
    end: datetime
    counterpart: str  # whom the delegation meets ("Aegis Arms GmbH")
    where: str = ""  # the place as people call it ("Table 12")
    place: str = ""  # its code on the plan (a stand number, a feature code), for the walk and route
    contact: str = ""  # who receives the delegation there, by name
    uid: str = ""  # stable identity and its version (for a calendar)
    sequence: int = 0


AppointmentProvider = Callable[[Delegation], Iterable[Appointment]]
_appointment_providers: list[AppointmentProvider] = []


def appointments_provider(func: AppointmentProvider) -> AppointmentProvider:
    """Apps above this one register what they put in a delegation's diary (meetings registers
    its scheduled B2B meetings), from their ``AppConfig.ready()``."""
    if func not in _appointment_providers:
        _appointment_providers.append(func)
    return func


def appointments_of(delegation: Delegation) -> list[Appointment]:
    """The delegation's appointments beside its stand visits, in time order."""
    found = [a for provider in _appointment_providers for a in provider(delegation)]
    return sorted(found, key=lambda a: (a.start, a.counterpart))


@dataclass(frozen=True)
class HostContact:
    """Who receives the delegation at a stand: a name, and an e-mail address only when the
    company shows it in its public profile."""

    name: str
    email: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass
class ProgrammeItem:
    """One line of a day's programme: a stand visit, the lunch break (``visit`` is None) or
    an appointment kept by another app (``appointment``)."""

    visit: Any = None
    walk_minutes: float | None = None
    walk_from: str = ""  # place code (for the route link)
    walk_from_name: str = ""
    start: Any = None  # aware datetimes
    end: Any = None
    place_name: str = ""
    kind: str = "visit"
    appointment: Appointment | None = None
    place: str = ""  # place code of where it happens (for the route link)

    @property
    def is_lunch(self) -> bool:
        return self.kind == "lunch"

    @property
    def is_appointment(self) -> bool:
        return self.kind == "appointment"


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
        return [i for i in self.items if i.kind == "visit"]

    @property
    def lunch(self) -> ProgrammeItem | None:
        return next((i for i in self.items if i.is_lunch), None)


def programme_days(
    delegation: Delegation, *, published: bool, appointments: bool = False
) -> list[ProgrammeDay]:
    """The programme per day, in order, with the walk to each stand (and back to the end point),
    the lunch break where the planner put it, and every place by its name.

    ``published``: what the delegation sees (PublishedVisit); else the working programme (Visit).
    ``appointments``: with the delegation's appointments other apps keep (its B2B meetings), in
    time order among the visits.
    """
    event = delegation.organisation.event
    rows: QuerySet[PublishedVisit] | QuerySet[Visit] = (
        PublishedVisit.objects.filter(delegation=delegation)
        if published
        else Visit.objects.filter(delegation=delegation)
    )
    visits: list[PublishedVisit | Visit] = list(
        rows.select_related("stand__hall", "stand__exhibitor", "stand__pavilion")
        .prefetch_related(
            Prefetch(
                "stand__exhibitor__memberships",
                queryset=Membership.objects.filter(role="admin").select_related("user"),
                to_attr="admins",
            ),
            Prefetch(
                "stand__exhibitor__exhibitor_profile__contacts",
                queryset=ProfileContact.objects.filter(is_public=True).exclude(email=""),
                to_attr="public_contacts",
            ),
        )
        .order_by("start")
    )
    others = appointments_of(delegation) if appointments else []
    windows = {d.date: d for d in delegation.days.all()}
    by_day: dict[date, list[Any]] = defaultdict(list)
    for v in visits:
        by_day[v.date].append(v)
    for a in others:
        by_day[a.start.astimezone(event.tz).date()].append(a)
    for entries in by_day.values():
        entries.sort(key=lambda e: e.start)
    days = sorted(set(windows) | set(by_day))
    wanted = {a.place for a in others if a.place}
    # an appointment's place counts for the walks only when it is on the plan
    on_plan = set(place_coordinates(event, wanted)) if wanted else set()
    places = (
        {v.stand.number for v in visits}
        | on_plan
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
        prev: str | None = window.start_point if window else None
        for e in by_day.get(d, []):
            here: str = ""
            if isinstance(e, Appointment):
                here = e.place if e.place in on_plan else ""
                item = ProgrammeItem(
                    kind="appointment",
                    appointment=e,
                    start=e.start,
                    end=e.end,
                    place_name=e.where or names.get(e.place, e.place),
                    place=here,
                )
            else:
                here = e.stand.number
                item = ProgrammeItem(
                    visit=e, start=e.start, end=e.end, place_name=names.get(here, ""), place=here
                )
            if here and prev:
                item.walk_minutes = travel.get(prev, {}).get(here)
                item.walk_from, item.walk_from_name = prev, names.get(prev, "")
            pd.items.append(item)
            prev = here or None  # after a place off the plan, the next walk is not known
        if window and prev:
            pd.walk_back = travel.get(prev, {}).get(window.end_point)
        if window and window.lunch_start and window.lunch_end and published and pd.visits:
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


def host_contact(stand: Stand) -> HostContact | None:
    """Who receives the delegation at the stand: the company's first admin, by name; their
    e-mail address only when the company lists it among its public contacts."""
    admins = getattr(stand.exhibitor, "admins", None) if stand.exhibitor else None
    if not admins:
        return None
    u = admins[0].user
    profile = getattr(stand.exhibitor, "exhibitor_profile", None)
    public = {c.email.lower() for c in getattr(profile, "public_contacts", [])} if profile else set()
    return HostContact(name=u.get_full_name(), email=u.email if u.email.lower() in public else "")


def programme_of_delegations(delegation_org_ids: list[int]) -> Programme | None:
    """The programme of the first of these delegations (by organisation id), if it has one."""
    if not delegation_org_ids:
        return None
    programme = (
        Programme.objects.select_related("delegation__organisation__event")
        .filter(delegation__organisation_id__in=delegation_org_ids)
        .order_by("delegation__organisation_id")
        .first()
    )
    if programme is None:  # nothing planned yet: the first delegation's (empty) programme
        delegation = (
            Delegation.objects.select_related("organisation__event")
            .filter(organisation_id__in=delegation_org_ids)
            .order_by("organisation_id")
            .first()
        )
        programme = Programme(delegation=delegation) if delegation else None
    return programme


def companies_of_user(user: User, event: Event) -> QuerySet[Organisation]:
    return Organisation.objects.filter(event=event, kind=Organisation.Kind.COMPANY, memberships__user=user)


def hosting_overview(company: Organisation) -> dict[str, Any]:
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


def visits_for_hall(event: Event, hall: Hall, day: date) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(delegation__organisation__event=event, stand__hall=hall, date=day)
        .select_related("delegation", "stand__exhibitor")
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
