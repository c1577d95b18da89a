"""The organiser's reads: rounds, places and their blockings, hosts, settings, figures and
the dashboard's summary, to-dos and chart."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.models import User
from exhibition.core.charts import Series, bar_chart
from exhibition.events.selectors import Todo, chart_provider, summary_provider, todo_provider

from ..models import (
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    MeetingSettings,
    Participant,
    Place,
    PlaceBlocking,
    Round,
)

# --- organiser --------------------------------------------------------------------------------


def rounds_for_event(event: Any) -> QuerySet[Round]:
    return (
        Round.objects.filter(event=event)
        .annotate(n_requests=Count("requests"))
        .order_by("-created_at", "-id")
    )


def places_for_event(event: Any) -> QuerySet[Place]:
    return Place.objects.filter(event=event).select_related("stand").order_by("kind", "name")


def places_with_blockings(event: Any) -> QuerySet[Place]:
    return places_for_event(event).prefetch_related(
        Prefetch("blockings", queryset=PlaceBlocking.objects.order_by("start", "id"))
    )


def place_for(event: Any, pk: int) -> Place:
    place = Place.objects.filter(event=event, pk=pk).select_related("event").first()
    if place is None:
        raise Http404
    return place


def blockings_of(place: Place) -> QuerySet[PlaceBlocking]:
    return place.blockings.order_by("start", "id")


def blocking_for(event: Any, pk: int | None, place: Place | None = None) -> PlaceBlocking:
    """A blocking of one of the event's places (of ``place``, if given); 404 otherwise."""
    if pk is None:
        raise Http404
    qs = PlaceBlocking.objects.filter(place__event=event, pk=pk)
    if place is not None:
        qs = qs.filter(place=place)
    blocking = qs.select_related("place__event").first()
    if blocking is None:
        raise Http404
    return blocking


def meetings_at_place(place: Place, start: datetime, end: datetime) -> QuerySet[Meeting]:
    """Scheduled meetings at the place overlapping the time."""
    return Meeting.objects.filter(place=place, status=Meeting.Status.SCHEDULED, start__lt=end, end__gt=start)


def settings_form_instance(event: Any) -> MeetingSettings:
    """The event's settings as a fresh object for a form (not the cached one the booking paths read)."""
    return MeetingSettings.objects.filter(event=event).first() or MeetingSettings(event=event)


def hosts_of(participant: Participant) -> QuerySet[ExhibitorHost]:
    return participant.hosts.filter(is_active=True).select_related("user").order_by("id")


def team_of(participant: Participant) -> QuerySet[ExhibitorHost]:
    """The active hosts with ``upcoming``: their scheduled meetings not over yet."""
    now = timezone.now()
    return hosts_of(participant).annotate(
        upcoming=Count(
            "meetings",
            filter=Q(meetings__status=Meeting.Status.SCHEDULED, meetings__end__gt=now),
            distinct=True,
        )
        + Count(
            "sender_meetings",
            filter=Q(sender_meetings__status=Meeting.Status.SCHEDULED, sender_meetings__end__gt=now),
            distinct=True,
        )
    )


def company_member(participant: Participant, user_id: int) -> User | None:
    """The member of the participant's organisation with this id, if there is one."""
    return User.objects.filter(pk=user_id, memberships__organisation_id=participant.organisation_id).first()


def host_candidates(participant: Participant) -> QuerySet[User]:
    """Members of the exhibiting company who do not take meetings yet."""
    return (
        User.objects.filter(memberships__organisation_id=participant.organisation_id)
        .exclude(pk__in=participant.hosts.filter(is_active=True).values("user_id"))
        .order_by("full_name", "email")
    )


def meeting_statistics(event: Any) -> dict[str, Any]:
    """Requests sent / accepted, meetings scheduled / held / no-show per day, participant type,
    hall and sector (of the exhibitor side or, failing that, the recipient)."""
    tz = event.tz
    days = [d.date for d in event.days.all().order_by("date")]
    by_day: dict[str, Counter[str]] = {d.isoformat(): Counter() for d in days}
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    by_hall: dict[str, Counter[str]] = defaultdict(Counter)
    by_sector: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for created, status, skind in MeetingRequest.objects.filter(event=event).values_list(
        "created_at", "status", "sender__kind"
    ):
        d = created.astimezone(tz).date().isoformat()
        totals["sent"] += 1
        by_kind[skind]["sent"] += 1
        if d in by_day:
            by_day[d]["sent"] += 1
        if status == MeetingRequest.Status.ACCEPTED:
            totals["accepted"] += 1
            by_kind[skind]["accepted"] += 1
            if d in by_day:
                by_day[d]["accepted"] += 1
    sectors_of: dict[int, list[str]] = defaultdict(list)
    for pid, name in Participant.sectors.through.objects.filter(participant__event=event).values_list(
        "participant_id", "sector__name_en"
    ):
        sectors_of[pid].append(name)
    rows = (
        Meeting.objects.filter(event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list(
            "start",
            "status",
            "sender_id",
            "sender__kind",
            "recipient_id",
            "recipient__kind",
            "place__stand__hall__code",
            "recipient__stand__hall__code",
            "sender__stand__hall__code",
        )
    )
    for start, status, sid, skind, rid, rkind, place_hall, rhall, shall in rows:
        d = start.astimezone(tz).date().isoformat()
        keys = (
            ["scheduled"]
            + (["held"] if status == Meeting.Status.HELD else [])
            + (["no_show"] if status == Meeting.Status.NO_SHOW else [])
        )
        exh = (
            rid
            if rkind == Participant.Kind.EXHIBITOR
            else (sid if skind == Participant.Kind.EXHIBITOR else rid)
        )
        hall = place_hall or rhall or shall or _("Business centre")
        for k in keys:
            totals[k] += 1
            if d in by_day:
                by_day[d][k] += 1
            by_kind[skind][k] += 1
            by_hall[hall][k] += 1
            for s in sectors_of.get(exh, [])[:1]:
                by_sector[s][k] += 1
    measures = ["sent", "accepted", "scheduled", "held", "no_show"]

    def table(d: dict[str, Counter[str]]) -> list[dict[str, Any]]:
        return [{"label": k, **{m: v.get(m, 0) for m in measures}} for k, v in sorted(d.items())]

    return {
        "totals": {m: totals.get(m, 0) for m in measures},
        "by_day": table(by_day),
        "by_kind": table(by_kind),
        "by_hall": table(by_hall),
        "by_sector": table(by_sector),
        "measures": measures,
    }


@summary_provider
def _meetings_summary(event: Any) -> dict[str, Any]:
    states = dict(
        Meeting.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    requests = dict(
        MeetingRequest.objects.filter(event=event).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {
        "meetings": {
            "total": sum(states.values()),
            "by_status": {s: states.get(s, 0) for s in Meeting.Status.values},
            "requests": {s: requests.get(s, 0) for s in MeetingRequest.Status.values},
        }
    }


@todo_provider
def _meetings_todos(event: Any) -> list[Todo]:
    rounds = (
        Round.objects.filter(
            event=event, status__in=[Round.Status.OPEN, Round.Status.SCHEDULING, Round.Status.DRAFT]
        )
        .annotate(n=Count("requests"))
        .order_by("created_at", "pk")
    )
    out = []
    for rnd in rounds:
        url = reverse("meetings:round", kwargs={"event_slug": event.slug, "pk": rnd.pk})
        if rnd.status == Round.Status.DRAFT:
            n = (rnd.draft_stats or {}).get("scheduled") or 0
            out.append(
                Todo(
                    key=f"round-{rnd.pk}",
                    order=61,
                    count=max(n, 1),
                    url=url,
                    label=_("%(round)s: draft ready to review and publish") % {"round": rnd.name},
                    detail=ngettext("%(n)s meeting placed", "%(n)s meetings placed", n) % {"n": n},
                )
            )
        elif rnd.status == Round.Status.SCHEDULING:
            out.append(
                Todo(
                    key=f"round-{rnd.pk}",
                    order=62,
                    count=1,
                    url=url,
                    label=_("%(round)s: the scheduler is working") % {"round": rnd.name},
                    detail=_("%(p)s %% done") % {"p": int(rnd.progress * 100)},
                )
            )
        else:
            out.append(
                Todo(
                    key=f"round-{rnd.pk}",
                    order=60,
                    count=max(rnd.n, 1),
                    url=url,
                    label=_("%(round)s: open for requests, to schedule") % {"round": rnd.name},
                    detail=ngettext("%(n)s request so far", "%(n)s requests so far", rnd.n) % {"n": rnd.n},
                )
            )
    return out


@chart_provider
def _meetings_per_day(event: Any) -> list[tuple[int, Any]]:
    """Meetings on each show day (scheduled, of which held), for the organiser's dashboard."""
    per_day: dict[date, dict[str, int | float]] = {d.date: {} for d in event.days.all().order_by("date")}
    # Counted per day (the show's time) by the database: a row per day, not per meeting.
    for day, scheduled, held in (
        Meeting.objects.filter(event=event)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by()
        .annotate(day=TruncDate("start", tzinfo=event.tz))
        .values("day")
        .annotate(n=Count("id"), held=Count("id", filter=Q(status=Meeting.Status.HELD)))
        .values_list("day", "n", "held")
    ):
        values = per_day.get(day)
        if values is None:
            continue
        values["scheduled"] = scheduled
        if held:
            values["held"] = held
    rows = [(formats.date_format(d, "l j F"), v) for d, v in per_day.items()]
    series = [Series("scheduled", _("Meetings scheduled")), Series("held", _("Meetings held"))]
    return [
        (
            30,
            bar_chart(
                id="chart-meetings-day",
                title=_("Business meetings per show day"),
                rows=rows,
                series=series,
                heading=_("Day"),
            ),
        )
    ]


def round_for(event: Any, pk: Any) -> Round:
    """The event's round ``pk`` (404 otherwise)."""
    rnd = Round.objects.filter(event=event, pk=pk).first()
    if rnd is None:
        raise Http404
    return rnd


def rounds_newest_first(event: Any) -> QuerySet[Round]:
    """The event's rounds, newest first (without the counts of ``rounds_for_event``)."""
    return Round.objects.filter(event=event).order_by("-created_at", "-id")


def request_counts(rnd: Round) -> list[tuple[str, int]]:
    """How many of the round's requests are in each status: ``(status, n)``, by status."""
    return list(rnd.requests.values_list("status").annotate(n=Count("id")).order_by("status"))


def round_request(rnd: Round, pk: int | None) -> MeetingRequest:
    """The round's request ``pk`` (404 otherwise, or when no id is given)."""
    req = MeetingRequest.objects.filter(round=rnd, pk=pk).first() if pk else None
    if req is None:
        raise Http404
    return req


def open_tables(event: Any) -> QuerySet[Place]:
    """The event's active places that are not stands (where a meeting may be put)."""
    return places_for_event(event).filter(is_active=True).exclude(kind="stand")


def host_of(participant: Participant, pk: Any) -> ExhibitorHost:
    """One of the participant's active hosts (404 otherwise)."""
    host = hosts_of(participant).filter(pk=pk).first()
    if host is None:
        raise Http404
    return host


def hall_names(event: Any) -> dict[str, str]:
    """The event's hall names by code."""
    return dict(event.halls.values_list("code", "name"))


def show_dates(event: Any) -> list[date]:
    """The dates of the show's days, in order."""
    return [d.date for d in event.days.all().order_by("date")]
