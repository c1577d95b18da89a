"""Applications: the user's own, the review queue with its filters and tabs, and the
screening lists and hits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext as _

from exhibition.accounts.models import Organisation
from exhibition.accounts.roles import roles_for
from exhibition.core.models import AuditLogEntry
from exhibition.events.models import Event

from ..models import (
    Application,
    ApplicationDocument,
    ExhibitorImport,
    RestrictedParty,
    ScreeningHit,
    ScreeningRun,
)

# --- applications ---------------------------------------------------------------------------


def application_of_user(event: Event, user: Any) -> Application | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Application.objects.filter(event=event, organisation__memberships__user=user)
        .select_related("organisation")
        .first()
    )


def application_detail(event: Event, pk: int) -> Application:
    return (
        Application.objects.select_related("organisation", "pavilion", "created_by", "event")
        .prefetch_related(
            "sectors",
            "preferred_halls",
            "documents",
            Prefetch("hits", queryset=ScreeningHit.objects.select_related("party", "resolved_by")),
        )
        .get(event=event, pk=pk)
    )


@dataclass
class QueueFilters:
    state: str = ""
    country: str = ""
    sector: str = ""
    screening: str = ""
    q: str = ""


# The queue's order: what awaits a decision first, then the waiting list, then the decided.
PENDING_STATES = (Application.State.SUBMITTED, Application.State.UNDER_REVIEW)
QUEUE_ORDER = (
    *PENDING_STATES,
    Application.State.WAITLISTED,
    Application.State.APPROVED,
    Application.State.REJECTED,
    Application.State.WITHDRAWN,
)
PENDING = "pending"  # the queue's filter for "awaiting a decision" (submitted or under review)


def applications_for_review(event: Event, filters: QueueFilters | None = None) -> QuerySet[Application]:
    """The review queue: awaiting a decision first, oldest submission first within each state."""
    f = filters or QueueFilters()
    qs = Application.objects.filter(event=event)
    if f.state == PENDING:
        qs = qs.filter(state__in=PENDING_STATES)
    elif f.state:
        qs = qs.filter(state=f.state)
    else:
        qs = qs.exclude(state=Application.State.DRAFT)
    if f.country:
        qs = qs.filter(country=f.country.upper())
    if f.sector:
        qs = qs.filter(sectors__code=f.sector)
    if f.screening:
        qs = qs.filter(screening=f.screening)
    if f.q:
        qs = qs.filter(Q(legal_name__icontains=f.q) | Q(trading_name__icontains=f.q))
    return (
        qs.select_related("organisation")
        .prefetch_related("sectors")
        .annotate(open_hits=Count("hits", filter=Q(hits__status=ScreeningHit.Status.OPEN), distinct=True))
        .annotate(
            queue_rank=Case(
                When(state__in=PENDING_STATES, then=Value(0)),
                *[When(state=st, then=Value(i)) for i, st in enumerate(QUEUE_ORDER)],
                default=Value(len(QUEUE_ORDER)),
                output_field=IntegerField(),
            )
        )
        .order_by("queue_rank", F("submitted_at").asc(nulls_last=True), "legal_name", "pk")
    )


def applications_for_user(event: Event, user: Any) -> QuerySet[Application]:
    """What the API lists: everything for organisers, the user's own companies otherwise
    (admitted or not: an applicant follows its own application)."""
    roles = roles_for(user, event)
    qs = Application.objects.filter(event=event)
    if not roles.is_organiser:
        qs = qs.filter(organisation_id__in=[*roles.memberships, *roles.applications])
    return (
        qs.select_related("organisation", "pavilion")
        .prefetch_related("sectors", "preferred_halls")
        .order_by("pk")
    )


def state_counts(event: Event) -> dict[str, int]:
    rows = dict(
        Application.objects.filter(event=event).values_list("state").annotate(n=Count("id")).order_by()
    )
    return {s: rows.get(s, 0) for s in Application.State.values}


def queue_tabs(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """The queue's state filters with their counts, in queue order: (filter, label, count)."""
    tabs = [(PENDING, _("Awaiting a decision"), sum(counts.get(s, 0) for s in PENDING_STATES))]
    tabs += [
        (s, str(Application.State(s).label), counts.get(s, 0)) for s in QUEUE_ORDER if s not in PENDING_STATES
    ]
    tabs.append(("", _("All submitted"), sum(n for s, n in counts.items() if s != Application.State.DRAFT)))
    if counts.get(Application.State.DRAFT):  # imported from last year, or started: not yet submitted
        tabs.append((Application.State.DRAFT, _("Not yet submitted"), counts[Application.State.DRAFT]))
    return tabs


# --- screening ------------------------------------------------------------------------------


def restricted_parties(event: Event) -> QuerySet[RestrictedParty]:
    return RestrictedParty.objects.filter(event=event).order_by("name")


def latest_run(event: Event) -> ScreeningRun | None:
    return ScreeningRun.objects.filter(event=event).order_by("-created_at", "-id").first()


def import_progress_key(job_id: int) -> str:
    """Rows written so far by a running exhibitor import: in the shared cache, because they are
    written in one transaction that nobody else sees until it commits."""
    return f"exhibitors:import:{job_id}:done"


def _with_progress(job: ExhibitorImport) -> ExhibitorImport:
    """``job.done``: rows written so far (all of them once imported)."""
    if job.status == ExhibitorImport.Status.DONE:
        job.done = job.total
    elif job.status == ExhibitorImport.Status.RUNNING:
        job.done = min(int(cache.get(import_progress_key(job.pk)) or 0), job.total)
    else:
        job.done = 0
    return job


def exhibitor_import(event: Event, pk: int) -> ExhibitorImport:
    """One of the event's exhibitor imports with its progress (404 otherwise), without its CSV."""
    job = ExhibitorImport.objects.filter(event=event, pk=pk).defer("csv").select_related("started_by").first()
    if job is None:
        raise Http404
    return _with_progress(job)


def recent_imports(event: Event, limit: int = 10) -> list[ExhibitorImport]:
    jobs = ExhibitorImport.objects.filter(event=event).defer("csv").select_related("started_by")[:limit]
    return [_with_progress(job) for job in jobs]


def open_hits(event: Event) -> QuerySet[ScreeningHit]:
    return (
        ScreeningHit.objects.filter(application__event=event, status=ScreeningHit.Status.OPEN)
        .select_related("application", "party")
        .order_by("-score", "pk")
    )


def application_in(event: Event, pk: Any) -> Application | None:
    """The event's application ``pk``, or None (the caller checks who may see it)."""
    return Application.objects.filter(event=event, pk=pk).first()


def application_of_company(organisation: Organisation) -> Application | None:
    """The company's application, or None before it starts one."""
    return Application.objects.filter(organisation=organisation).first()


def applications_listed_for(
    event: Event,
    user: Any,
    *,
    state: str = "",
    screening: str = "",
    country: str = "",
    sector: str = "",
    with_screening: bool = False,
) -> QuerySet[Application]:
    """The applications the user may list (``applications_for_user``), narrowed by the API's
    filters; ``with_screening`` prefetches the hits and documents a reviewer is shown."""
    qs = applications_for_user(event, user)
    if state:
        qs = qs.filter(state=state)
    if screening:
        qs = qs.filter(screening=screening)
    if country:
        qs = qs.filter(country=country.upper())
    if sector:
        qs = qs.filter(sectors__code=sector).distinct()
    if with_screening:
        qs = qs.prefetch_related("hits__party", "documents")
    return qs


def document_in(event: Event, pk: Any) -> ApplicationDocument:
    """An application document of the event, with its application and event (404 otherwise)."""
    doc = (
        ApplicationDocument.objects.select_related("application__event")
        .filter(pk=pk, application__event=event)
        .first()
    )
    if doc is None:
        raise Http404
    return doc


def application_history(application: Application) -> QuerySet[AuditLogEntry]:
    """The application's last 50 audit entries, newest first, with their actors."""
    return (
        AuditLogEntry.objects.filter(object_type="exhibitors.application", object_id=str(application.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")[:50]
    )


def hit_in(event: Event, pk: Any) -> ScreeningHit:
    """A screening hit of the event, with its application and event (404 otherwise)."""
    hit = (
        ScreeningHit.objects.select_related("application__event")
        .filter(pk=pk, application__event=event)
        .first()
    )
    if hit is None:
        raise Http404
    return hit
