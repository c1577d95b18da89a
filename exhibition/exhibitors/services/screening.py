"""Screening applicants against restricted-party lists and embargoed countries, and re-screening
the whole show when a list changes."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from exhibition.accounts import admission
from exhibition.accounts.models import User
from exhibition.core import audit, csvio
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.events.models import Event

from .. import matching, tasks  # exhibitors.tasks imports services: its tasks are read at call time
from ..models import (
    Application,
    ExhibitorSettings,
    RestrictedParty,
    ScreeningHit,
    ScreeningRun,
)
from ..selectors import settings_for
from .common import ImportFailed, S

# --- screening --------------------------------------------------------------------------------


def _listed(event: Event) -> list[matching.ListedName]:
    return matching.prepare(RestrictedParty.objects.filter(event=event).values_list("id", "name", "aliases"))


def candidates_of(application: Application) -> list[tuple[str, str]]:
    out = [(ScreeningHit.Field.LEGAL_NAME, application.legal_name)]
    if application.trading_name:
        out.append((ScreeningHit.Field.TRADING_NAME, application.trading_name))
    out += [(ScreeningHit.Field.CONTACT, c.get("name", "")) for c in application.contacts or []]
    out += [(ScreeningHit.Field.CO_EXHIBITOR, c.get("name", "")) for c in application.co_exhibitors or []]
    return [(f, v) for f, v in out if v]


def screen_application(
    *,
    application: Application,
    listed: list[matching.ListedName] | None = None,
    conf: ExhibitorSettings | None = None,
) -> int:
    """Match one application against the list and embargoes; keeps earlier decisions on hits
    that still match, drops open hits that no longer do. Returns the number of open hits."""
    conf = conf or settings_for(application.event_id)
    listed = _listed(application.event) if listed is None else listed
    # (listed party or None for an embargo, field, value, what matched) -> (score, field)
    found: dict[tuple[int | None, str, str, str], tuple[float, str]] = {}
    for field, value in candidates_of(application):
        for m in matching.best_matches(value, listed, conf.match_threshold):
            key = (m.party_id, field, value[:200], m.matched[:200])
            found[key] = (max(m.score, found.get(key, (0, ""))[0]), field)
    embargoed = set(conf.embargoed_countries or [])
    countries_seen = [(ScreeningHit.Field.COUNTRY, str(application.country))]
    countries_seen += [
        (ScreeningHit.Field.CO_EXHIBITOR, c.get("country", "")) for c in application.co_exhibitors or []
    ]
    for field, code in countries_seen:
        if code and code in embargoed:
            label = _("Embargoed country: %(name)s") % {"name": countries.name(code)}
            found[(None, field, code, label[:200])] = (1.0, field)
    existing = {h.key: h for h in application.hits.all()}
    with transaction.atomic():
        stale = [h.pk for k, h in existing.items() if k not in found and h.status == ScreeningHit.Status.OPEN]
        if stale:
            ScreeningHit.objects.filter(pk__in=stale).delete()
        new = [
            ScreeningHit(
                application=application, party_id=k[0], field=k[1], candidate=k[2], matched=k[3], score=v[0]
            )
            for k, v in found.items()
            if k not in existing
        ]
        ScreeningHit.objects.bulk_create(new)
        for k, h in existing.items():
            if k in found and abs(h.score - found[k][0]) > 1e-6:
                ScreeningHit.objects.filter(pk=h.pk).update(score=found[k][0])
        summary = _screening_summary(application)
        Application.objects.filter(pk=application.pk).update(
            screening=summary, screened_version=conf.list_version
        )
        application.screening = summary
        application.screened_version = conf.list_version
    return ScreeningHit.objects.filter(application=application, status=ScreeningHit.Status.OPEN).count()


def _screening_summary(application: Application) -> str:
    statuses = set(ScreeningHit.objects.filter(application=application).values_list("status", flat=True))
    if ScreeningHit.Status.OPEN in statuses:
        return Application.Screening.HITS
    if ScreeningHit.Status.CONFIRMED in statuses:
        return Application.Screening.CONFIRMED
    if statuses:
        return Application.Screening.RESOLVED
    return Application.Screening.CLEAR


def resolve_hit(*, hit: ScreeningHit, actor: User, decision: str, reason: str) -> ScreeningHit:
    """The organiser clears a false positive or confirms a true match, with a reason."""
    require_perm(actor, "exhibitors.resolve_hit", hit)
    if decision not in ("clear", "confirm"):
        raise DomainError(_("Choose clear or confirm."), field="decision")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for your decision."), field="reason")
    with transaction.atomic():
        hit = ScreeningHit.objects.select_for_update().select_related("application__event").get(pk=hit.pk)
        if hit.status != ScreeningHit.Status.OPEN:
            raise ConflictError(_("This hit has already been resolved."))
        hit.status = ScreeningHit.Status.CLEARED if decision == "clear" else ScreeningHit.Status.CONFIRMED
        hit.reason = reason
        hit.resolved_by = actor
        hit.resolved_at = timezone.now()
        hit.save()
        app = hit.application
        Application.objects.filter(pk=app.pk).update(screening=_screening_summary(app))
        audit.record(
            actor=actor,
            action=f"screening.hit_{hit.status}",
            obj=hit,
            event=app.event,
            application=app.pk,
            reason=reason,
            candidate=hit.candidate,
            matched=hit.matched,
        )
        if hit.status == ScreeningHit.Status.CONFIRMED:
            # A confirmed restricted-party match ends the company's admission at once.
            admission.revoke_organisation(
                organisation=app.organisation, actor=actor, reason=_("Restricted-party match confirmed")
            )
    return hit


def _bump_list_version(event: Event) -> ExhibitorSettings:
    conf, _created = ExhibitorSettings.objects.select_for_update().get_or_create(event=event)
    conf.list_version += 1
    conf.save(update_fields=["list_version"])
    return conf


PARTY_COLUMNS = ("name", "aliases", "country", "source")


def import_restricted_parties(*, event: Event, actor: User, text: bytes | str) -> int:
    """Replace the event's restricted-party list from CSV (name, aliases, country, source);
    all or nothing: any bad row refuses the whole file. Re-screens in the background."""
    require_perm(actor, "exhibitors.manage_screening", event)
    parsed = csvio.read_csv(text, columns=PARTY_COLUMNS, required=("name",))
    rows, errors = [], []
    for i, row in parsed:
        name = row.get("name", "")
        code = row.get("country", "").upper()
        if not name:
            errors.append((i, _("The name is missing.")))
            continue
        if code and code not in dict(countries):
            errors.append((i, _("Unknown country code %(code)s.") % {"code": code}))
            continue
        aliases = [a.strip() for a in row.get("aliases", "").replace(";", "|").split("|") if a.strip()]
        if len(name) > 200 or any(len(a) > 200 for a in aliases):
            errors.append((i, _("A name or alias is longer than 200 characters.")))
            continue
        rows.append(
            RestrictedParty(
                event=event, name=name, aliases=aliases, country=code, source=row.get("source", "")[:120]
            )
        )
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        RestrictedParty.objects.filter(event=event).delete()
        RestrictedParty.objects.bulk_create(rows)
        _bump_list_version(event)
        audit.record(actor=actor, action="screening.list_imported", obj=event, event=event, rows=len(rows))
        start_rescreen(event=event, actor=actor)
    return len(rows)


def set_embargoed_countries(*, event: Event, actor: User, codes: list[str]) -> ExhibitorSettings:
    require_perm(actor, "exhibitors.manage_screening", event)
    clean = sorted({c.strip().upper() for c in codes if c.strip()})
    bad = [c for c in clean if c not in dict(countries)]
    if bad:
        raise DomainError(_("Unknown country code %(code)s.") % {"code": bad[0]}, field="countries")
    with transaction.atomic():
        conf = _bump_list_version(event)
        conf.embargoed_countries = clean
        conf.save(update_fields=["embargoed_countries"])
        audit.record(
            actor=actor, action="screening.embargoes_changed", obj=conf, event=event, countries=clean
        )
        start_rescreen(event=event, actor=actor)
    return conf


def start_rescreen(*, event: Event, actor: User | None) -> ScreeningRun:
    """Queue a background re-screen of every application (after commit); progress on the run."""
    if actor is not None:
        require_perm(actor, "exhibitors.manage_screening", event)
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            event=event, started_by=actor, list_version=settings_for(event).list_version
        )
        transaction.on_commit(lambda: _enqueue(tasks.rescreen_event, run_id=run.pk))
    return run


def _enqueue(task: Any, **kwargs: Any) -> None:
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception:  # broker down: the run stays queued; the organiser may restart it
        logging.getLogger(__name__).warning("Could not queue %s %s", task.name, kwargs, exc_info=True)


def stale_screening_runs() -> list[int]:
    """Runs still queued two minutes on: their task never reached a worker."""
    since = timezone.now() - timedelta(minutes=2)
    return list(
        ScreeningRun.objects.filter(status=ScreeningRun.Status.QUEUED, created_at__lt=since).values_list(
            "pk", flat=True
        )
    )


def run_rescreen(*, run_id: int) -> ScreeningRun | None:
    """Screen every non-draft application of the run's event; idempotent (a finished run is left)."""
    run = ScreeningRun.objects.filter(pk=run_id).select_related("event").first()
    if run is None or run.status == ScreeningRun.Status.DONE:
        return run
    event = run.event
    conf = settings_for(event)
    listed = _listed(event)
    ids = list(
        Application.objects.filter(event=event)
        .exclude(state__in=[S.DRAFT, S.WITHDRAWN])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    ScreeningRun.objects.filter(pk=run.pk).update(status=ScreeningRun.Status.RUNNING, total=len(ids), done=0)
    open_hits = 0
    for n, pk in enumerate(ids, start=1):
        app = Application.objects.filter(pk=pk).prefetch_related("hits").first()
        if app is not None:
            open_hits += screen_application(application=app, listed=listed, conf=conf)
        if n % 25 == 0 or n == len(ids):
            ScreeningRun.objects.filter(pk=run.pk).update(done=n, hits=open_hits)
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRun.Status.DONE, done=len(ids), hits=open_hits, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
