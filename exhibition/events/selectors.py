"""Reads for events: which events a user sees, and the organiser's summary figures."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from exhibition.accounts.models import EventStaff, Invitation, Membership, Organisation, TradeVisitor
from exhibition.accounts.selectors import visitors_of
from exhibition.core.charts import Series, bar_chart
from exhibition.core.countries import alphabetical, countries_by_name
from exhibition.core.ids import as_id

from .models import Event, Hall, Sector, ShowDay

SummaryProvider = Callable[[Event], dict[str, Any]]
_summary_providers: list[SummaryProvider] = []


@dataclass(frozen=True)
class Todo:
    """One line of the organiser's to-do list: what waits, how many, where to act.

    ``order`` sorts the list (screening before applications before stands ...); ``urgent``
    marks what blocks others or loses money (an open restricted-party match, a hold about
    to lapse); ``detail`` says more in a few words (the oldest waiting, the amount due)."""

    key: str
    order: int
    count: int
    label: str
    url: str
    detail: str = ""
    urgent: bool = False


TodoProvider = Callable[[Event], list[Todo]]
_todo_providers: list[TodoProvider] = []


def todo_provider(func: TodoProvider) -> TodoProvider:
    """Domains register what an organiser has to do about them (the landing page's list)."""
    _todo_providers.append(func)
    return func


ChartProvider = Callable[[Event], list[tuple[int, Any]]]
_chart_providers: list[ChartProvider] = []


def chart_provider(func: ChartProvider) -> ChartProvider:
    """Domains register the charts they add to the organiser's dashboard: [(order, core.charts.Chart)]."""
    _chart_providers.append(func)
    return func


def organiser_charts(event: Event) -> list[Any]:
    charts = [c for provider in _chart_providers for c in provider(event)]
    return [chart for _order, chart in sorted(charts, key=lambda c: c[0])]


def organiser_todos(event: Event) -> list[Todo]:
    """Everything waiting for the organiser, in the order to deal with it; nothing with a zero count."""
    todos = [t for provider in _todo_providers for t in provider(event) if t.count]
    return sorted(todos, key=lambda t: (t.order, t.key))


def summary_provider(func: SummaryProvider) -> SummaryProvider:
    """Domains register the figures they add to the event summary (stands, meetings, ...)."""
    _summary_providers.append(func)
    return func


def events_for_user(user: Any) -> QuerySet[Event]:
    """Public events plus every event the user has a role in."""
    q = Q(is_public=True)
    if getattr(user, "is_authenticated", False):
        # A subquery per role rather than joins: joining staff, memberships and visitors at once
        # multiplies their rows (0.9 s on the demo for an exhibitor).
        q |= (
            Q(pk__in=EventStaff.objects.filter(user=user).values("event"))
            | Q(pk__in=Membership.objects.filter(user=user).values("organisation__event"))
            | Q(pk__in=TradeVisitor.objects.filter(user=user).values("event"))
        )
    return Event.objects.filter(q).prefetch_related("days").order_by("name")


def event_by_slug(slug: str) -> Event:
    """The event a URL names, or a 404."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    return event


def event_with_days(slug: str) -> Event:
    return Event.objects.prefetch_related("days", "halls").get(slug=slug)


def event_with_details(event: Event) -> Event:
    """The event afresh, with its days, halls and sectors (the API's detail)."""
    return Event.objects.prefetch_related("days", "halls", "sectors").get(pk=event.pk)


# --- the landing and team pages ---------------------------------------------------------------------


def memberships_of_user(event: Event, user: Any) -> QuerySet[Membership]:
    """The user's memberships at the event, with their organisation and its sectors."""
    return (
        Membership.objects.filter(user=user, organisation__event=event)
        .select_related("organisation")
        .prefetch_related("organisation__sectors")
    )


def members_of_organisations(event: Event, organisations: Any) -> QuerySet[Membership]:
    """Every membership of these organisations (of the event), with its user."""
    return Membership.objects.filter(organisation__in=organisations).select_related("user")


def visitor_of_user(event: Event, user: Any) -> TradeVisitor | None:
    """The user's trade-visitor registration at the event, if any."""
    return TradeVisitor.objects.filter(event=event, user=user).first()


def organisations_of_event(event: Event) -> QuerySet[Organisation]:
    """Every organisation of the event, companies and delegations, by kind and name."""
    return Organisation.objects.filter(event=event).order_by("kind", "name")


def organisations_by_ids(event: Event, ids: Any) -> QuerySet[Organisation]:
    """These organisations (ids the caller took from the user's roles at the event)."""
    return Organisation.objects.filter(pk__in=ids)


def invitations_for_team(event: Event, organisations: Any = None) -> QuerySet[Invitation]:
    """The invitations of the event (``organisations`` None), else of these organisations;
    newest first, with the organisation and who invited."""
    if organisations is None:
        qs = Invitation.objects.filter(event=event)
    else:
        qs = Invitation.objects.filter(organisation__in=organisations)
    return qs.select_related("organisation", "invited_by").order_by("-created_at", "-id")


def invitation_in_event(event: Event, pk: Any) -> Invitation:
    """The event's invitation (404 for another event's); the caller checks the permission."""
    invitation = Invitation.objects.filter(event=event, pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def membership_in_event(event: Event, pk: Any) -> Membership:
    """A membership of an organisation of the event, with organisation and user (else 404)."""
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(organisation__event=event, pk=pk)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def organiser_in_event(event: Event, pk: Any) -> EventStaff:
    """One organiser (staff row) of the event, with the user (else 404)."""
    staff = EventStaff.objects.select_related("user").filter(event=event, pk=pk).first()
    if staff is None:
        raise Http404
    return staff


# --- vetting trade visitors ---------------------------------------------------------------------------


def visitors_for_vetting(
    event: Event, status: str = "", q: str = "", country: str = ""
) -> QuerySet[TradeVisitor]:
    """The vetting list: the event's trade visitors as ``accounts.selectors.visitors_of`` finds them."""
    return visitors_of(event, status, q, country)


def visitor_status_counts(event: Event) -> dict[str, int]:
    """How many of the event's trade visitors are in each status (every status, 0 included)."""
    rows = dict(
        TradeVisitor.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {s: rows.get(s, 0) for s in TradeVisitor.Status.values}


def visitor_countries(event: Event) -> list[tuple[str, str]]:
    """The countries the event's trade visitors come from, as (code, name) by name in the
    reader's language."""
    codes = set(
        TradeVisitor.objects.filter(event=event).order_by().values_list("country", flat=True).distinct()
    )
    return countries_by_name(codes)


def visitor_in_event(event: Event, pk: Any) -> TradeVisitor:
    """The event's trade visitor (404 for another event's or a bad id)."""
    visitor = TradeVisitor.objects.filter(event=event, pk=pk).first()
    if visitor is None:
        raise Http404
    return visitor


@summary_provider
def _accounts_summary(event: Event) -> dict[str, Any]:
    orgs = Organisation.objects.filter(event=event).aggregate(
        companies=Count("id", filter=Q(kind=Organisation.Kind.COMPANY)),
        delegations=Count("id", filter=Q(kind=Organisation.Kind.DELEGATION)),
    )
    visitors = dict(
        TradeVisitor.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "exhibitors": {"total": orgs["companies"]},
        "delegations": {"total": orgs["delegations"]},
        "visitors": {
            "total": sum(visitors.values()),
            "by_status": {s: visitors.get(s, 0) for s in TradeVisitor.Status.values},
        },
    }


def event_summary(event: Event) -> dict[str, Any]:
    out: dict[str, Any] = {"event": event.slug}
    for provider in _summary_providers:
        for key, value in provider(event).items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] |= value
            else:
                out[key] = value
    return out


@todo_provider
def _accounts_todos(event: Event) -> list[Todo]:
    pending = TradeVisitor.objects.filter(event=event, status=TradeVisitor.Status.PENDING).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    invitations = Invitation.objects.filter(
        event=event, accepted_at__isnull=True, revoked_at__isnull=True
    ).count()
    base = {"event_slug": event.slug}
    since = ""
    if pending["oldest"]:
        since = _("the first registered %(date)s") % {
            "date": formats.date_format(timezone.localtime(pending["oldest"]), "j F")
        }
    return [
        Todo(
            key="visitors",
            order=80,
            count=pending["n"],
            detail=since,
            label=ngettext("%(n)s visitor awaits vetting", "%(n)s visitors await vetting", pending["n"])
            % {"n": pending["n"]},
            url=reverse("events:manage_visitors", kwargs=base) + "?status=pending",
        ),
        Todo(
            key="invitations",
            order=90,
            count=invitations,
            label=ngettext(
                "%(n)s invitation not yet accepted", "%(n)s invitations not yet accepted", invitations
            )
            % {"n": invitations},
            url=reverse("events:invitations", kwargs=base),
        ),
    ]


@todo_provider
def _setup_todos(event: Event) -> list[Todo]:
    """A new show first needs its halls and sectors (nothing can be sold or chosen before), then
    to be made public."""
    url = reverse("events:setup", kwargs={"event_slug": event.slug})
    todos = []
    if not Hall.objects.filter(event=event).exists():
        todos.append(
            Todo(key="setup.halls", order=0, count=1, label=_("Add the show's halls"), url=f"{url}#halls")
        )
    if not Sector.objects.filter(event=event).exists():
        todos.append(
            Todo(
                key="setup.sectors", order=1, count=1, label=_("Add the show's sectors"), url=f"{url}#sectors"
            )
        )
    if not event.is_public:
        todos.append(
            Todo(
                key="setup.public",
                order=99,  # the last step, once the rest is ready
                count=1,
                label=_("The show is not public yet"),
                detail=_("make it public once its plan and exhibitors are ready"),
                url=f"{url}#details",
            )
        )
    return todos


TOP_COUNTRIES = 8


@chart_provider
def _visitors_by_country(event: Event) -> list[tuple[int, Any]]:
    by_country: dict[str, dict[str, int]] = {}
    for code, status, n in (
        TradeVisitor.objects.filter(event=event)
        .values_list("country", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_country.setdefault(code, {})[status] = n
    ranked = sorted(
        by_country.items(),
        key=lambda kv: (-sum(kv[1].values()), alphabetical(countries.name(kv[0]) or kv[0])),
    )
    rows = [(countries.name(code) or code, values) for code, values in ranked[:TOP_COUNTRIES]]
    rest: dict[str, int] = {}
    for _code, values in ranked[TOP_COUNTRIES:]:
        for k, v in values.items():
            rest[k] = rest.get(k, 0) + v
    if rest:
        rows.append((_("%(n)s other countries") % {"n": len(ranked) - TOP_COUNTRIES}, rest))
    series = [
        Series(TradeVisitor.Status.APPROVED, _("Approved")),
        Series(TradeVisitor.Status.PENDING, _("Awaiting vetting")),
    ]
    return [
        (
            40,
            bar_chart(
                id="chart-visitors",
                title=_("Trade visitors by country"),
                heading=_("Country"),
                rows=rows,
                series=series,
                last_is_rest=bool(rest),
            ),
        )
    ]


# --- the organiser's dashboard, read once and shared ----------------------------------------------------

#: How long the figures may be reused at most, when no write told them apart (a queryset
#: ``update()`` sends no signal; a hold's "expires within 48 hours" moves with the clock).
DASHBOARD_SECONDS = 30
_GENERATION_KEY = "dashboard:generation"


def organiser_dashboard(event: Event) -> tuple[dict[str, Any], list[Todo], list[Any]]:
    """The summary, the to-do list and the charts of an organiser's landing page.

    About forty counting queries over the event's tables: the same for every organiser of the
    event, so they are kept in the shared (fail-soft) cache under a generation number that any
    saved or deleted row of the show moves (``events.signals``), for at most
    ``DASHBOARD_SECONDS``. With the cache down they are simply counted again."""
    try:
        generation = cache.get(_GENERATION_KEY) or 0
    except Exception:  # noqa: BLE001 - a cache outage only costs the counting
        generation = None
    created = event.created_at.timestamp() if event.created_at else 0
    key = (
        f"dashboard:{event.pk}:{created:.6f}:{generation}:{translation.get_language()}:"
        f"{timezone.get_current_timezone_name()}"
    )
    if generation is not None:
        found: tuple[dict[str, Any], list[Todo], list[Any]] | None
        try:
            found = cache.get(key)
        except Exception:  # noqa: BLE001 -- a cache outage: compute the figures
            found = None
        if found is not None:
            return found
    figures = (event_summary(event), organiser_todos(event), organiser_charts(event))
    if generation is not None:
        with contextlib.suppress(Exception):  # a cache outage: the figures are computed on every visit
            cache.set(key, figures, DASHBOARD_SECONDS)
    return figures


def dashboard_changed() -> None:
    """Something the dashboard may count was written: the next organiser's visit counts afresh."""
    with contextlib.suppress(Exception):  # a cache outage: the figures expire on their own
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # no such key yet (or it expired)
            cache.set(_GENERATION_KEY, 1, None)


# --- the show's setup -------------------------------------------------------------------------------


_Part = TypeVar("_Part", ShowDay, Hall, Sector)


def _one_of_event(model: type[_Part], event: Event, pk: Any) -> _Part:
    """The show's own day, hall or sector a URL names, or a 404 (another show's id, or no id)."""
    ident = as_id(pk)
    found = model.objects.filter(event=event, pk=ident).first() if ident is not None else None
    if found is None:
        raise Http404(f"No such {model._meta.model_name}")
    return found


def show_days(event: Event) -> QuerySet[ShowDay]:
    return ShowDay.objects.filter(event=event).order_by("date")


def show_day_in_event(event: Event, pk: Any) -> ShowDay:
    return _one_of_event(ShowDay, event, pk)


def halls_of_event(event: Event) -> QuerySet[Hall]:
    return Hall.objects.filter(event=event).order_by("position", "code")


def hall_in_event(event: Event, pk: Any) -> Hall:
    return _one_of_event(Hall, event, pk)


def sectors_of_event(event: Event) -> QuerySet[Sector]:
    return Sector.objects.filter(event=event).order_by("name_en")


def sector_in_event(event: Event, pk: Any) -> Sector:
    return _one_of_event(Sector, event, pk)
