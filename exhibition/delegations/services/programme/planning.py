"""Planning runs (start, claim, execute, cancel, sweep), writing the planner's answer back,
the current plan, and the "running late" re-plan."""

from __future__ import annotations

import logging
import time as clock
from collections import defaultdict
from datetime import date, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.models import User
from exhibition.core import audit, background, heartbeat
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event

from ... import scheduling, tasks
from ...models import (
    Delegation,
    DelegationDay,
    PlanningRun,
    Programme,
    Visit,
)
from ...scheduling.rules import is_lunch, lunch_place, lunch_stand_id, up
from ..candidates import propose_candidates
from ..common import at_minutes, minutes_of, minutes_of_time, programme_rules
from ..problem import build_day_problem, build_problem, delegation_key, delegation_pk, stand_ids_by_number
from .publishing import publish_programme

logger = logging.getLogger(__name__)

# --- planning ---------------------------------------------------------------------------------


def start_planning(
    *,
    event: Event,
    actor: User,
    delegation: Delegation | None = None,
    time_limit: float = 20.0,
    seed: int = 0,
) -> PlanningRun:
    """Queue a planning run (one at a time per event); the task runs it after commit."""
    require_perm(actor, "delegations.plan_programmes", event)
    if not 0.5 <= float(time_limit) <= 600:
        raise DomainError(_("The time limit goes from 0.5 to 600 seconds."), field="time_limit")
    sweep_planning_runs(event=event)
    try:
        with transaction.atomic():
            run = PlanningRun.objects.create(
                event=event, delegation=delegation, time_limit=float(time_limit), seed=seed, created_by=actor
            )
            audit.record(
                actor=actor,
                action="planning.started",
                obj=run,
                event=event,
                delegation=delegation.pk if delegation else None,
                time_limit=float(time_limit),
            )
            background.dispatch(tasks.run_planning, run_id=run.pk)
    except IntegrityError:
        raise ConflictError(_("A planning run is already in progress for this show.")) from None
    return run


QUEUE_TIMEOUT = timedelta(minutes=15)
MAX_ATTEMPTS = 3


class RunStillBeating(Exception):
    """A redelivered task found its run still beating: another worker may be on it. Retry later."""


def sweep_planning_runs(*, event: Event | None = None) -> int:
    """Mark failed, with the reason, the runs whose worker stopped beating (killed, out of
    memory, host lost) and those that never started. Runs every minute (beat), and before a
    new run is started, so an organiser can start again at once."""
    now = timezone.now()
    qs = PlanningRun.objects.all() if event is None else PlanningRun.objects.filter(event=event)
    dead = qs.filter(status=PlanningRun.Status.RUNNING).filter(
        heartbeat.stale_q(older_than=heartbeat.dead_after())
    )
    n = dead.update(
        status=PlanningRun.Status.FAILED,
        finished_at=now,
        message=_(
            "The worker running this plan stopped (restarted or out of memory). Nothing was saved: start again."
        ),
    )
    n += qs.filter(status=PlanningRun.Status.QUEUED, created_at__lt=now - QUEUE_TIMEOUT).update(
        status=PlanningRun.Status.FAILED,
        finished_at=now,
        message=_("No planner worker took this run up within 15 minutes. Nothing was saved: start again."),
    )
    if n:
        logger.warning("Marked %s planning run(s) failed: their worker stopped", n)
    return n


def cancel_planning(*, run: PlanningRun, actor: User) -> PlanningRun:
    require_perm(actor, "delegations.plan_programmes", run.event)
    with transaction.atomic():
        updated = PlanningRun.objects.filter(pk=run.pk, status__in=PlanningRun.ACTIVE).update(
            cancel_requested=True
        )
        if not updated:
            raise ConflictError(_("This planning run has already finished."))
        # A run still waiting in the queue stops right away; so does one whose worker is gone.
        PlanningRun.objects.filter(pk=run.pk, status=PlanningRun.Status.QUEUED).update(
            status=PlanningRun.Status.CANCELLED,
            finished_at=timezone.now(),
            message=_("Cancelled before it started."),
        )
        PlanningRun.objects.filter(pk=run.pk, status=PlanningRun.Status.RUNNING).filter(
            heartbeat.stale_q()
        ).update(
            status=PlanningRun.Status.CANCELLED,
            finished_at=timezone.now(),
            message=_("Cancelled: its worker had stopped. Nothing was saved."),
        )
        audit.record(actor=actor, action="planning.cancelled", obj=run, event=run.event)
    run.refresh_from_db()
    return run


def claim_planning(run_id: int) -> PlanningRun | None:
    """Take the run up: a queued one, or a running one whose worker stopped beating (the task
    was redelivered after its worker died: start it again). None when there is nothing to do;
    :class:`RunStillBeating` when another worker may still be on it."""
    now = timezone.now()
    with transaction.atomic():
        run = PlanningRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in PlanningRun.ACTIVE:
            return None
        restarted = run.status == PlanningRun.Status.RUNNING
        if restarted and run.heartbeat_at and run.heartbeat_at > now - heartbeat.stale_after():
            raise RunStillBeating(run_id)
        if run.attempts >= MAX_ATTEMPTS:
            _finish(
                run,
                PlanningRun.Status.FAILED,
                _("The planner's worker stopped %(n)s times on this run; nothing was saved.")
                % {"n": run.attempts},
            )
            return None
        run.status, run.attempts, run.worker, run.heartbeat_at = (
            PlanningRun.Status.RUNNING,
            run.attempts + 1,
            heartbeat.worker_name(),
            now,
        )
        run.started_at = run.started_at or now
        run.message = (
            _("Started again: the previous worker stopped.") if restarted else _("Reading the problem")
        )
        run.save(update_fields=["status", "attempts", "worker", "heartbeat_at", "started_at", "message"])
        if restarted:
            logger.warning(
                "Planning run %s taken over after its worker stopped (attempt %s)", run_id, run.attempts
            )
    return PlanningRun.objects.select_related("event", "delegation__organisation").get(pk=run_id)


def execute_planning(*, run_id: int, threaded_heartbeat: bool = False) -> PlanningRun | None:
    """Run the planner for a queued run and write the result back as a draft programme.
    In a worker, a heartbeat thread tells the sweep it is alive all along."""
    run = claim_planning(run_id)
    if run is None:
        return PlanningRun.objects.filter(pk=run_id).first()
    with heartbeat.beating(PlanningRun, run_id, threaded=threaded_heartbeat):
        return _plan(run)


def _plan(run: PlanningRun) -> PlanningRun:
    run_id = run.pk
    event = run.event
    try:
        scope = (
            [run.delegation]
            if run.delegation
            else list(Delegation.objects.filter(organisation__event=event, days__isnull=False).distinct())
        )
        for d in scope:
            if not d.candidates.exists() and d.interests.exists():
                propose_candidates(delegation=d, check=False)
        built = build_problem(event, only=run.delegation)
        problem = scheduling.read_problem(built.data)
    except scheduling.ProblemError as exc:
        return _finish(
            run, PlanningRun.Status.FAILED, _("The problem cannot be planned: %(e)s") % {"e": exc.message}
        )

    last = {"write": 0.0, "check": 0.0, "stop": False}

    def progress(fraction: float, message: str = "") -> None:
        now = clock.monotonic()
        if now - last["write"] >= 0.5:
            last["write"] = now
            PlanningRun.objects.filter(pk=run_id).update(
                progress=round(min(max(fraction, 0.0), 0.99), 3), message=str(message)[:300]
            )

    def should_stop() -> bool:
        now = clock.monotonic()
        if now - last["check"] >= 0.5:
            last["check"] = now
            last["stop"] = bool(
                PlanningRun.objects.filter(pk=run_id).values_list("cancel_requested", flat=True).first()
            )
        return bool(last["stop"])

    try:
        result = scheduling.plan(
            problem,
            time_limit=run.time_limit,
            seed=run.seed,
            fixed=built.fixed or None,
            progress=progress,
            should_stop=should_stop,
        )
    except scheduling.ProblemError as exc:
        return _finish(
            run,
            PlanningRun.Status.FAILED,
            _("A pinned or published visit no longer fits: %(e)s") % {"e": exc.message},
        )
    except Exception:  # a planner crash must not leave the run "running" (it blocks the next)
        logger.exception("Planner crashed on run %s", run_id)
        return _finish(
            run,
            PlanningRun.Status.FAILED,
            _("The planner stopped with an internal error; nothing was saved."),
        )
    check = scheduling.evaluate(problem, result)
    if check.errors:
        logger.error("Planner returned an invalid plan for run %s: %s", run_id, check.errors[:5])
        return _finish(
            run, PlanningRun.Status.FAILED, _("The planner returned an invalid plan; nothing was saved.")
        )
    plan_dict = scheduling.plan_to_dict(result)
    scope_ids = [run.delegation.pk] if run.delegation else built.delegation_ids
    written = write_back(event=event, plan=plan_dict, delegation_ids=scope_ids)
    lunches = sum(1 for it in plan_dict["itineraries"] for v in it["visits"] if is_lunch(v["stand"]))
    stats = {
        "score": round(check.score, 2),
        "score_total": round(problem.score_total, 2),
        "visits": check.visits - lunches,
        "lunch_breaks": lunches,
        "walking_minutes": round(check.walking_minutes, 1),
        "required_missing": check.required_missing,
        "travel": built.travel_kind,
        "delegations": len(scope_ids),
        "written": written,
        **{k: v for k, v in (result.stats or {}).items() if isinstance(v, (int, float, str))},
    }
    cancelled = should_stop()
    status = PlanningRun.Status.CANCELLED if cancelled else PlanningRun.Status.DONE
    message = (
        _("Stopped early: the best plan found so far was saved.")
        if cancelled
        else ngettext("%(n)s visit planned.", "%(n)s visits planned.", written) % {"n": written}
    )
    return _finish(run, status, message, stats)


def _finish(run: PlanningRun, status: str, message: str, stats: dict[str, Any] | None = None) -> PlanningRun:
    """The run's end; a run the sweep already marked failed stays failed (its result is late)."""
    PlanningRun.objects.filter(pk=run.pk, status__in=PlanningRun.ACTIVE).update(
        status=status,
        message=message[:300],
        stats=stats or {},
        progress=1.0 if status == PlanningRun.Status.DONE else run.progress,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def write_back(*, event: Event, plan: dict[str, Any], delegation_ids: list[int]) -> int:
    """Replace the draft, unpinned visits of these delegations by the plan's; pinned and
    published visits stay as they are. Returns how many visits the programme holds now."""
    stand_ids = stand_ids_by_number(event)
    scope = set(delegation_ids)
    with transaction.atomic():
        list(
            Delegation.objects.select_for_update()
            .filter(pk__in=scope)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        kept = Visit.objects.filter(delegation_id__in=scope).filter(
            Q(pinned=True) | Q(status=Visit.Status.PUBLISHED)
        )
        kept_keys = set(kept.values_list("delegation_id", "stand_id"))
        Visit.objects.filter(delegation_id__in=scope, pinned=False, status=Visit.Status.DRAFT).delete()
        rows = []
        lunches: dict[tuple[int, date], tuple[float, float, str]] = {}
        for it in plan.get("itineraries", []):
            d_id = delegation_pk(it["delegation"])
            if d_id not in scope:
                continue
            day = date.fromisoformat(it["day"])
            for v in it["visits"]:
                if is_lunch(v["stand"]):
                    lunches[d_id, day] = (v["start"], v["end"], lunch_place(v["stand"]))
                    continue
                s_id = stand_ids[v["stand"]]
                if (d_id, s_id) in kept_keys:
                    continue
                rows.append(
                    Visit(
                        delegation_id=d_id,
                        date=day,
                        stand_id=s_id,
                        start=at_minutes(event, day, v["start"]),
                        end=at_minutes(event, day, v["end"]),
                    )
                )
        Visit.objects.bulk_create(rows, batch_size=1000)
        _save_lunches(scope, lunches)
        have = set(Programme.objects.filter(delegation_id__in=scope).values_list("delegation_id", flat=True))
        Programme.objects.bulk_create(Programme(delegation_id=d_id) for d_id in scope - have)
    return Visit.objects.filter(delegation_id__in=scope).count()


def _save_lunches(scope: set[int], lunches: dict[tuple[int, date], tuple[float, float, str]]) -> None:
    """The planned lunch breaks on the delegations' days (cleared where the plan has none)."""
    days = list(DelegationDay.objects.filter(delegation_id__in=scope))
    for dd in days:
        lunch = lunches.get((dd.delegation_id, dd.date))
        if lunch is None:
            dd.lunch_start = dd.lunch_end = None
            dd.lunch_place = ""
        else:
            dd.lunch_start, dd.lunch_end = clock_time(lunch[0]), clock_time(lunch[1])
            dd.lunch_place = lunch[2]
    DelegationDay.objects.bulk_update(days, ["lunch_start", "lunch_end", "lunch_place"], batch_size=1000)


def clock_time(minutes: float) -> time:
    m = round(minutes)
    return time(m // 60 % 24, m % 60)


def current_plan(event: Event, delegation_ids: list[int]) -> dict[str, Any]:
    """The working programme of these delegations in ``itineraries-plan/v1`` form."""
    by: dict[tuple[int, date], list[dict[str, Any]]] = defaultdict(list)
    for d_id, day, number, start, end in (
        Visit.objects.filter(delegation_id__in=delegation_ids)
        .order_by("start")
        .values_list("delegation_id", "date", "stand__number", "start", "end")
    ):
        by[d_id, day].append(
            {"stand": number, "start": minutes_of(event, start), "end": minutes_of(event, end)}
        )
    for d_id, day, a, b, place in DelegationDay.objects.filter(
        delegation_id__in=delegation_ids, lunch_start__isnull=False, lunch_end__isnull=False
    ).values_list("delegation_id", "date", "lunch_start", "lunch_end", "lunch_place"):
        if a is None or b is None:  # never: the filter keeps days with both times
            continue
        by[d_id, day].append(
            {
                "stand": lunch_stand_id(day.isoformat(), place),
                "start": minutes_of_time(a),
                "end": minutes_of_time(b),
            }
        )
        by[d_id, day].sort(key=lambda v: v["start"])
    return {
        "format": "exhibition.itineraries-plan/v1",
        "itineraries": [
            {"delegation": delegation_key(d_id), "day": day.isoformat(), "visits": vs}
            for (d_id, day), vs in by.items()
        ],
    }


def running_late(
    *,
    delegation: Delegation,
    actor: User,
    day: date,
    not_before: time,
    since: time | None = None,
    publish_now: bool = True,
    time_limit: float = 1.0,
) -> dict[str, Any]:
    """Re-plan the rest of one delegation's day from ``not_before`` (when it is ready again).

    Visits starting before ``since`` (default ``not_before``) were made and stay; visits starting
    between ``since`` and ``not_before`` were missed and may be placed again later; the rest of
    the day is re-optimised. Changes as little as possible
    for everyone else (another delegation loses a visit only if a required visit of this one needs
    its slot); then publish the delegations whose programme changed, telling only them.

    Works on the day's small problem (:func:`build_day_problem`), so it stays well under the
    two seconds a liaison officer on the floor can wait."""
    require_perm(actor, "delegations.manage_programme", delegation)
    event = delegation.organisation.event
    ready = minutes_of_time(not_before)
    missed_from = minutes_of_time(since) if since is not None else ready
    if missed_from > ready:
        raise DomainError(_("The missed visits start before the delegation is ready again."), field="since")
    t0 = clock.perf_counter()
    data, plan_now, pseudo = build_day_problem(event, delegation, day)
    if not data:
        raise DomainError(
            _("The delegation is not on site on %(day)s.") % {"day": day.isoformat()}, field="date"
        )
    try:
        problem = scheduling.read_problem(data)
        own = plan_now["itineraries"][0]
        own["visits"] = [v for v in own["visits"] if not missed_from - 1e-9 <= v["start"] < ready]
        t1 = clock.perf_counter()
        result = scheduling.replan_delegation(
            problem,
            plan_now,
            delegation=delegation_key(delegation.pk),
            day=day.isoformat(),
            not_before=up(ready, programme_rules(event).grid),
            time_limit=time_limit,
        )
        planner_seconds = clock.perf_counter() - t1
    except scheduling.ProblemError as exc:
        raise DomainError(_("The rest of the day cannot be re-planned: %(e)s") % {"e": exc.message}) from None
    new = scheduling.plan_to_dict(result)
    check = scheduling.evaluate(problem, new)
    # a lunch that no longer fits (the delegation is back after the lunch period) is dropped
    if [e for e in check.errors if not ("LUNCH:" in e and "(rule 5)" in e)]:
        raise DomainError(_("The re-plan is not valid; nothing was changed."))
    stand_ids = stand_ids_by_number(event)
    wanted: dict[int, tuple[float, float]] = {}
    kept_pseudo: set[str] = set()
    lunches: dict[tuple[int, date], tuple[float, float, str]] = {}
    for it in new["itineraries"]:
        if it["delegation"] in pseudo:
            kept_pseudo.add(it["delegation"])
            continue
        for v in it["visits"]:
            if is_lunch(v["stand"]):
                lunches[delegation.pk, day] = (v["start"], v["end"], lunch_place(v["stand"]))
                continue
            wanted[stand_ids[v["stand"]]] = (v["start"], v["end"])
    dropped = [pseudo[p] for p in pseudo if p not in kept_pseudo]
    changed: set[int] = set()
    with transaction.atomic():
        list(Delegation.objects.select_for_update().filter(pk=delegation.pk).values_list("pk", flat=True))
        for visit in Visit.objects.filter(delegation=delegation, date=day):
            target = wanted.pop(visit.stand_id, None)
            if target is None:
                visit.delete()
                changed.add(delegation.pk)
                continue
            start, end = at_minutes(event, day, target[0]), at_minutes(event, day, target[1])
            if (visit.start, visit.end) != (start, end):
                visit.start, visit.end, visit.status = start, end, Visit.Status.DRAFT
                visit.save()
                changed.add(delegation.pk)
        for s_id, (s, e) in wanted.items():
            Visit.objects.create(
                delegation=delegation,
                date=day,
                stand_id=s_id,
                start=at_minutes(event, day, s),
                end=at_minutes(event, day, e),
            )
            changed.add(delegation.pk)
        day_row = DelegationDay.objects.filter(delegation=delegation, date=day).first()
        if day_row is not None:
            lunch = lunches.get((delegation.pk, day))
            before = (day_row.lunch_start, day_row.lunch_end, day_row.lunch_place)
            day_row.lunch_start, day_row.lunch_end, day_row.lunch_place = (
                (clock_time(lunch[0]), clock_time(lunch[1]), lunch[2]) if lunch else (None, None, "")
            )
            if before != (day_row.lunch_start, day_row.lunch_end, day_row.lunch_place):
                day_row.save(update_fields=["lunch_start", "lunch_end", "lunch_place"])
                changed.add(delegation.pk)
        for visit in Visit.objects.filter(pk__in=dropped):
            changed.add(visit.delegation_id)
            visit.delete()
        audit.record(
            actor=actor,
            action="programme.running_late",
            obj=delegation,
            event=event,
            day=day.isoformat(),
            not_before=not_before.isoformat(),
            changed=sorted(changed),
            dropped=dropped,
        )
        emit_webhook(event=event, type="programme.changed", ids={"delegation": delegation.pk})
        notified = 0
        if publish_now and changed:
            for d in Delegation.objects.filter(pk__in=changed).select_related("organisation__event"):
                notified += publish_programme(delegation=d, actor=actor)["notified"]
    return {
        "changed_delegations": sorted(changed),
        "seconds": round(clock.perf_counter() - t0, 3),
        "planner_seconds": round(planner_seconds, 3),
        "notified": notified,
    }
