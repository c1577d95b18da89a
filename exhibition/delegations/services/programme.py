"""Writes for programmes: hand edits with instant validation, planning runs and their
write-back, publishing (telling only the people a change affects) and the show-day
"running late" re-plan."""

from __future__ import annotations

import logging
import time as clock
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import Membership, User
from exhibition.core import audit, background, heartbeat
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.notifications import queue_email
from exhibition.core.webhooks import emit_webhook
from exhibition.events.models import Event

from ..models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    PlanningRun,
    Programme,
    PublishedVisit,
    StandHosting,
    Visit,
)
from ..scheduling.rules import down, is_lunch, lunch_place, lunch_stand_id, up
from ..signals import programme_published
from .common import at_minutes, hhmm, minutes_of, minutes_of_time, place_names, programme_rules, travel_table
from .problem import build_problem, delegation_key, delegation_pk, excluded_pairs, is_excluded, stand_windows

logger = logging.getLogger(__name__)
DEFAULT_DURATION = 20


def _require(actor: User, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise NotAllowed(_("You may not do this."))


# --- validation -------------------------------------------------------------------------------


@dataclass
class Placement:
    """A visit as the validator sees it: minutes after local midnight of ``day``."""

    stand_id: int
    stand_number: str
    start: float
    end: float
    visit_id: int | None = None


def check_placement(
    *, delegation: Delegation, day: date, stand, start: float, duration: float, ignore: Visit | None = None
) -> list[str]:
    """Every rule a hand-placed visit breaks, as sentences (empty: it fits).

    Rules: the delegation is on the floor that day and the visit lies in its hours; the stand
    hosts then (hosting windows within opening hours); no overlap with the delegation's other
    visits and enough walking time before and after (from the start point, to the end point);
    the stand's capacity is not exceeded; no exclusion forbids the pairing; a stand is visited once.
    """
    event = delegation.organisation.event
    errors: list[str] = []
    end = start + duration
    if stand.exhibitor_id is None:
        return [_("Stand %(stand)s has no exhibitor.") % {"stand": stand.number}]
    if is_excluded(excluded_pairs(event), delegation.pk, stand.exhibitor_id, stand.exhibitor.country.code):
        return [
            _("This delegation may not visit %(company)s (exclusion).") % {"company": stand.exhibitor.name}
        ]
    dup = delegation.visits.filter(stand=stand)
    if ignore is not None:
        dup = dup.exclude(pk=ignore.pk)
    if dup.exists():
        errors.append(_("The delegation already visits stand %(stand)s.") % {"stand": stand.number})
    window = DelegationDay.objects.filter(delegation=delegation, date=day).first()
    if window is None:
        return errors + [_("The delegation is not on site on %(day)s.") % {"day": day.isoformat()}]
    w_start, w_end = minutes_of_time(window.start), minutes_of_time(window.end)
    if start < w_start - 1e-6 or end > w_end + 1e-6:
        errors.append(
            _("%(a)s–%(b)s is outside the delegation's hours (%(s)s–%(e)s).")
            % {"a": hhmm(start), "b": hhmm(end), "s": hhmm(w_start), "e": hhmm(w_end)}
        )
    hosting = stand_windows(event, {stand.pk}).get(stand.pk, {}).get(day.isoformat(), [])
    if not any(a - 1e-6 <= start and end <= b + 1e-6 for a, b in hosting):
        hours = ", ".join(f"{hhmm(a)}–{hhmm(b)}" for a, b in hosting) or _("not at all")
        errors.append(
            _("Stand %(stand)s receives delegations %(hours)s that day.")
            % {"stand": stand.number, "hours": hours}
        )
    rules = programme_rules(event)
    if rules.grid > 1 and abs(start - up(start, rules.grid)) > 1e-6:
        errors.append(
            _("Visits start every %(n)s minutes: choose %(a)s or %(b)s.")
            % {"n": rules.grid, "a": hhmm(down(start, rules.grid)), "b": hhmm(up(start, rules.grid))}
        )
    if window.lunch_start and window.lunch_end:
        la, lb = minutes_of_time(window.lunch_start), minutes_of_time(window.lunch_end)
        if la < end - 1e-6 and start < lb - 1e-6:
            errors.append(_("It overlaps the lunch break (%(a)s–%(b)s).") % {"a": hhmm(la), "b": hhmm(lb)})
    own = delegation.visits.filter(date=day).select_related("stand").order_by("start")
    if ignore is not None:
        own = own.exclude(pk=ignore.pk)
    others = [
        Placement(v.stand_id, v.stand.number, minutes_of(event, v.start), minutes_of(event, v.end), v.pk)
        for v in own
    ]
    for o in others:
        if o.start < end - 1e-6 and start < o.end - 1e-6:
            errors.append(
                _("It overlaps the visit to stand %(stand)s (%(a)s–%(b)s).")
                % {"stand": o.stand_number, "a": hhmm(o.start), "b": hhmm(o.end)}
            )
    if not errors:
        before = [o for o in others if o.end <= start + 1e-6]
        after = [o for o in others if o.start >= end - 1e-6]
        prev_place = before[-1].stand_number if before else window.start_point
        prev_time = before[-1].end if before else w_start
        next_place = after[0].stand_number if after else window.end_point
        next_time = after[0].start if after else w_end
        travel, _kind = travel_table(event, [prev_place, stand.number, next_place])
        names = place_names(event, {prev_place, next_place})
        walk_in = travel[prev_place][stand.number]
        walk_out = travel[stand.number][next_place]
        # as the planner counts: between two stands the walk plus the slack, rounded up to the grid
        need_in = up(walk_in + (rules.buffer if before else 0), rules.grid)
        need_out = up(walk_out + (rules.buffer if after else 0), rules.grid)
        if prev_time + need_in > start + 1e-6:
            errors.append(
                (
                    _(
                        "Walking from %(place)s takes %(min)s min, and visits are %(gap)s min apart at least: "
                        "the earliest start is %(at)s."
                    )
                    if before and rules.buffer
                    else _("Walking from %(place)s takes %(min)s min: the earliest start is %(at)s.")
                )
                % {
                    "place": names[prev_place],
                    "min": f"{walk_in:.0f}",
                    "gap": f"{need_in:.0f}",
                    "at": hhmm(prev_time + need_in),
                }
            )
        if end + need_out > next_time + 1e-6:
            errors.append(
                (
                    _(
                        "Walking on to %(place)s takes %(min)s min, and visits are %(gap)s min apart at least: "
                        "the visit must end by %(at)s."
                    )
                    if after and rules.buffer
                    else _("Walking on to %(place)s takes %(min)s min: the visit must end by %(at)s.")
                )
                % {
                    "place": names[next_place],
                    "min": f"{walk_out:.0f}",
                    "gap": f"{need_out:.0f}",
                    "at": hhmm(next_time - need_out),
                }
            )
    capacity = StandHosting.objects.filter(stand=stand).values_list("capacity", flat=True).first() or 1
    at_stand = Visit.objects.filter(stand=stand, date=day).exclude(delegation=delegation)
    intervals = [
        (minutes_of(event, a), minutes_of(event, b)) for a, b in at_stand.values_list("start", "end")
    ]
    intervals = [(max(a, start), min(b, end)) for a, b in intervals if a < end - 1e-6 and start < b - 1e-6]
    if intervals:
        points = sorted(
            [(a, 1) for a, _b in intervals] + [(b, -1) for _a, b in intervals], key=lambda p: (p[0], p[1])
        )
        load, peak = 0, 0
        for _t, delta in points:
            load += delta
            peak = max(peak, load)
        if peak + 1 > capacity:
            errors.append(
                _("Stand %(stand)s already receives %(n)s delegation(s) then (capacity %(cap)s).")
                % {"stand": stand.number, "n": peak, "cap": capacity}
            )
    return errors


def _raise_if(errors: list[str], field: str = "start") -> None:
    if errors:
        raise DomainError(" ".join(errors), field=field, code="placement")


def _duration_for(delegation: Delegation, stand) -> int:
    return (
        CandidateVisit.objects.filter(delegation=delegation, stand=stand)
        .values_list("duration", flat=True)
        .first()
        or DEFAULT_DURATION
    )


# --- hand edits -------------------------------------------------------------------------------


def _lock(delegation: Delegation, stand) -> None:
    """Lock late, in a fixed order (delegation, then stand): one hand edit per delegation at a
    time (its own overlaps and walks), and one booking check per stand at a time (its capacity)."""
    from exhibition.floorplans.models import Stand

    list(Delegation.objects.select_for_update().filter(pk=delegation.pk).values_list("pk", flat=True))
    list(Stand.objects.select_for_update().filter(pk=stand.pk).values_list("pk", flat=True))


def add_visit(
    *,
    delegation: Delegation,
    actor: User,
    stand,
    day: date,
    start: time,
    duration: int | None = None,
    pinned: bool = True,
) -> Visit:
    """Put a visit in the programme by hand (pinned by default, so re-planning keeps it)."""
    _require(actor, "delegations.manage_programme", delegation)
    event = delegation.organisation.event
    if stand.event_id != event.pk:
        raise DomainError(_("Choose a stand of this show."), field="stand")
    duration = duration or _duration_for(delegation, stand)
    s = minutes_of_time(start)
    with transaction.atomic():
        _lock(delegation, stand)
        _raise_if(check_placement(delegation=delegation, day=day, stand=stand, start=s, duration=duration))
        CandidateVisit.objects.get_or_create(
            delegation=delegation,
            stand=stand,
            defaults={
                "source": CandidateVisit.Source.MANUAL,
                "score": 10.0,
                "score_adjusted": True,
                "duration": duration,
            },
        )
        try:
            visit = Visit.objects.create(
                delegation=delegation,
                date=day,
                stand=stand,
                start=at_minutes(event, day, s),
                end=at_minutes(event, day, s + duration),
                pinned=pinned,
            )
        except IntegrityError:
            raise ConflictError(
                _("The delegation already visits stand %(stand)s.") % {"stand": stand.number}
            ) from None
        audit.record(
            actor=actor,
            action="visit.added",
            obj=visit,
            event=event,
            stand=stand.number,
            start=visit.start.isoformat(),
        )
    return visit


def move_visit(
    *,
    visit: Visit,
    actor: User,
    day: date | None = None,
    start: time | None = None,
    stand=None,
    duration: int | None = None,
) -> Visit:
    delegation = visit.delegation
    _require(actor, "delegations.manage_programme", delegation)
    event = delegation.organisation.event
    day = day or visit.date
    stand = stand or visit.stand
    if stand.event_id != event.pk:
        raise DomainError(_("Choose a stand of this show."), field="stand")
    s = minutes_of_time(start) if start is not None else minutes_of(event, visit.start)
    duration = duration or round((visit.end - visit.start).total_seconds() / 60)
    with transaction.atomic():
        _lock(delegation, stand)
        _raise_if(
            check_placement(
                delegation=delegation, day=day, stand=stand, start=s, duration=duration, ignore=visit
            )
        )
        if stand.pk != visit.stand_id:
            CandidateVisit.objects.get_or_create(
                delegation=delegation,
                stand=stand,
                defaults={
                    "source": CandidateVisit.Source.MANUAL,
                    "score": 10.0,
                    "score_adjusted": True,
                    "duration": duration,
                },
            )
        before = (visit.stand.number, visit.start.isoformat())
        visit.date, visit.stand = day, stand
        visit.start, visit.end = at_minutes(event, day, s), at_minutes(event, day, s + duration)
        visit.status, visit.pinned = Visit.Status.DRAFT, True
        visit.save()
        audit.record(
            actor=actor,
            action="visit.moved",
            obj=visit,
            event=event,
            before=before,
            after=(stand.number, visit.start.isoformat()),
        )
    return visit


def pin_visit(*, visit: Visit, actor: User, pinned: bool = True) -> Visit:
    _require(actor, "delegations.manage_programme", visit.delegation)
    with transaction.atomic():
        visit.pinned = pinned
        visit.save(update_fields=["pinned", "updated_at"])
        audit.record(
            actor=actor,
            action="visit.pinned" if pinned else "visit.unpinned",
            obj=visit,
            event=visit.delegation.organisation.event,
        )
    return visit


def remove_visit(*, visit: Visit, actor: User) -> None:
    _require(actor, "delegations.manage_programme", visit.delegation)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="visit.removed",
            obj=visit,
            event=visit.delegation.organisation.event,
            stand=visit.stand.number,
            start=visit.start.isoformat(),
        )
        visit.delete()


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
    _require(actor, "delegations.plan_programmes", event)
    if not 0.5 <= float(time_limit) <= 600:
        raise DomainError(_("The time limit goes from 0.5 to 600 seconds."), field="time_limit")
    from ..tasks import run_planning

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
            background.dispatch(run_planning, run_id=run.pk)
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
    _require(actor, "delegations.plan_programmes", run.event)
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
    from .. import scheduling
    from .people import propose_candidates

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
        return last["stop"]

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
    except Exception:  # noqa: BLE001 - a planner crash must not leave the run "running" (it blocks the next)
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
        else _("%(n)s visits planned.") % {"n": written}
    )
    return _finish(run, status, message, stats)


def _finish(run: PlanningRun, status: str, message: str, stats: dict | None = None) -> PlanningRun:
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


def write_back(*, event: Event, plan: dict, delegation_ids: list[int]) -> int:
    """Replace the draft, unpinned visits of these delegations by the plan's; pinned and
    published visits stay as they are. Returns how many visits the programme holds now."""
    from .problem import stand_ids_by_number

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
    m = int(round(minutes))
    return time(m // 60 % 24, m % 60)


def current_plan(event: Event, delegation_ids: list[int]) -> dict:
    """The working programme of these delegations in ``itineraries-plan/v1`` form."""
    by: dict[tuple[int, date], list[dict]] = defaultdict(list)
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
    from .. import scheduling
    from .problem import build_day_problem

    _require(actor, "delegations.manage_programme", delegation)
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
    from .problem import stand_ids_by_number

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


# --- publishing -------------------------------------------------------------------------------


def _line(event: Event, number: str, company: str, start, end) -> str:
    """One visit in an e-mail: the day and times in the show's time, the stand and its hall."""
    from django.utils import formats

    from exhibition.floorplans.models import Stand

    a, b = start.astimezone(event.tz), end.astimezone(event.tz)
    hall = Stand.objects.filter(event=event, number=number).values_list("hall__name", flat=True).first() or ""
    where = (
        _("Stand %(number)s, %(hall)s") % {"number": number, "hall": hall}
        if hall
        else f"{_('stand')} {number}"
    )
    return f"{formats.date_format(a, 'l j F')} {a:%H:%M}–{b:%H:%M} · {where} · {company}"


def _lunch_lines(event: Event, delegation: Delegation) -> list[str]:
    """The lunch breaks of the programme, for the first e-mail (times in the show's time)."""
    from django.utils import formats

    from .common import place_names

    days = list(
        DelegationDay.objects.filter(
            delegation=delegation, lunch_start__isnull=False, lunch_end__isnull=False
        ).order_by("date")
    )
    names = place_names(event, {d.lunch_place for d in days})
    return [
        _("Lunch break: %(day)s %(a)s–%(b)s · %(place)s")
        % {
            "day": formats.date_format(d.date, "l j F"),
            "a": f"{d.lunch_start:%H:%M}",
            "b": f"{d.lunch_end:%H:%M}",
            "place": names.get(d.lunch_place, ""),
        }
        for d in days
    ]


def publish_programme(*, delegation: Delegation, actor: User) -> dict[str, Any]:
    """Publish the working programme of one delegation: the published rows follow it, each
    changed visit's calendar SEQUENCE is bumped, and only the people a change affects are told
    what changed (the head of delegation, and the exhibitors whose visits were added, moved or
    cancelled)."""
    _require(actor, "delegations.manage_programme", delegation)
    return publish_changes(delegation=delegation, actor=actor)


def publish_changes(*, delegation: Delegation, actor: User | None) -> dict[str, Any]:
    """Publishing itself, for the services that already decided it must happen (publishing,
    and loss of admission removing visits)."""
    event = delegation.organisation.event
    with transaction.atomic():
        Delegation.objects.select_for_update().filter(pk=delegation.pk).first()
        visits = {v.uid: v for v in delegation.visits.select_related("stand__exhibitor")}
        published = {p.uid: p for p in delegation.published_visits.select_related("stand__exhibitor")}
        added = [v for u, v in visits.items() if u not in published]
        removed = [p for u, p in published.items() if u not in visits]
        moved = [
            (published[u], v)
            for u, v in visits.items()
            if u in published
            and (published[u].stand_id, published[u].start, published[u].end) != (v.stand_id, v.start, v.end)
        ]
        if not (added or removed or moved):
            Visit.objects.filter(delegation=delegation).update(status=Visit.Status.PUBLISHED)
            return {"added": 0, "moved": 0, "removed": 0, "notified": 0}
        # who is affected, and what changed for them
        for_delegation: list[str] = []
        for_company: dict[int, list[str]] = defaultdict(list)
        for v in sorted(added, key=lambda v: v.start):
            line = _line(
                event, v.stand.number, v.stand.exhibitor.name if v.stand.exhibitor else "", v.start, v.end
            )
            for_delegation.append(_("New: %(line)s") % {"line": line})
            if v.stand.exhibitor_id:
                for_company[v.stand.exhibitor_id].append(
                    _("New: %(line)s")
                    % {"line": _line(event, v.stand.number, delegation.official_name, v.start, v.end)}
                )
        for p, v in moved:
            line = _line(
                event, v.stand.number, v.stand.exhibitor.name if v.stand.exhibitor else "", v.start, v.end
            )
            for_delegation.append(_("Changed: %(line)s") % {"line": line})
            if p.stand_id != v.stand_id and p.stand.exhibitor_id:
                for_company[p.stand.exhibitor_id].append(
                    _("Cancelled: %(line)s")
                    % {"line": _line(event, p.stand.number, delegation.official_name, p.start, p.end)}
                )
            if v.stand.exhibitor_id:
                label = _("Changed: %(line)s") if p.stand_id == v.stand_id else _("New: %(line)s")
                for_company[v.stand.exhibitor_id].append(
                    label % {"line": _line(event, v.stand.number, delegation.official_name, v.start, v.end)}
                )
        for p in removed:
            for_delegation.append(
                _("Cancelled: %(line)s")
                % {
                    "line": _line(
                        event,
                        p.stand.number,
                        p.stand.exhibitor.name if p.stand.exhibitor else "",
                        p.start,
                        p.end,
                    )
                }
            )
            if p.stand.exhibitor_id:
                for_company[p.stand.exhibitor_id].append(
                    _("Cancelled: %(line)s")
                    % {"line": _line(event, p.stand.number, delegation.official_name, p.start, p.end)}
                )
        if not PublishedVisit.objects.filter(delegation=delegation).exists():
            for_delegation += _lunch_lines(event, delegation)
        now = timezone.now()
        PublishedVisit.objects.filter(pk__in=[p.pk for p in removed]).delete()
        for old, v in moved:
            v.sequence = old.sequence + 1
            old.date, old.stand, old.start, old.end, old.sequence, old.published_at = (
                v.date,
                v.stand,
                v.start,
                v.end,
                v.sequence,
                now,
            )
            old.save()
            Visit.objects.filter(pk=v.pk).update(sequence=v.sequence)
        PublishedVisit.objects.bulk_create(
            PublishedVisit(
                uid=v.uid,
                delegation=delegation,
                date=v.date,
                stand=v.stand,
                start=v.start,
                end=v.end,
                sequence=v.sequence,
                published_at=now,
            )
            for v in added
        )
        Visit.objects.filter(delegation=delegation).update(status=Visit.Status.PUBLISHED)
        programme, _c = Programme.objects.get_or_create(delegation=delegation)
        first = programme.published_version == 0
        programme.published_version += 1
        programme.published_at = now
        programme.save(update_fields=["published_version", "published_at"])

        # Published visits block the delegation's (and the host's) meeting time, so that
        # nobody is ever booked into a B2B meeting during a stand visit.
        programme_published.send(
            sender=Programme, event=event, delegation_organisation=delegation.organisation
        )
        notified = _notify(
            event=event,
            delegation=delegation,
            first=first,
            for_delegation=for_delegation,
            for_company=for_company,
        )
        audit.record(
            actor=actor,
            action="programme.published",
            obj=delegation,
            event=event,
            added=len(added),
            moved=len(moved),
            removed=len(removed),
            notified=notified,
        )
        emit_webhook(event=event, type="programme.published", ids={"delegation": delegation.pk})
    return {"added": len(added), "moved": len(moved), "removed": len(removed), "notified": notified}


def _notify(
    *,
    event: Event,
    delegation: Delegation,
    first: bool,
    for_delegation: list[str],
    for_company: dict[int, list[str]],
) -> int:
    sent = 0
    heads = list(
        User.objects.filter(
            memberships__organisation_id=delegation.organisation_id, memberships__role=Membership.Role.LEAD
        ).values_list("email", "language")
    )
    if not heads:
        heads = [(m.email, m.language) for m in delegation.members.filter(is_head=True).exclude(email="")]
    for email, language in heads:
        queue_email(
            to=email,
            kind="delegation_programme",
            template="delegations_programme",
            event=event,
            language=language,
            context={
                "delegation": delegation.official_name,
                "first": first,
                "changes": for_delegation,
                "delegation_id": delegation.pk,
            },
        )
        sent += 1
    hosts = defaultdict(list)
    for org_id, email, language in User.objects.filter(
        memberships__organisation_id__in=for_company, memberships__role__in=Membership.COMPANY_ROLES
    ).values_list("memberships__organisation_id", "email", "language"):
        hosts[org_id].append((email, language))
    for org_id, lines in for_company.items():
        for email, language in hosts.get(org_id, []):
            queue_email(
                to=email,
                kind="delegation_visit",
                template="delegations_visit",
                event=event,
                language=language,
                context={"delegation": delegation.official_name, "changes": lines},
            )
            sent += 1
    return sent


def publish_all(*, event: Event, actor: User) -> dict[str, int]:
    _require(actor, "delegations.plan_programmes", event)
    totals = {"delegations": 0, "added": 0, "moved": 0, "removed": 0, "notified": 0}
    ids = set(
        Visit.objects.filter(delegation__organisation__event=event).values_list("delegation_id", flat=True)
    ) | set(
        PublishedVisit.objects.filter(delegation__organisation__event=event).values_list(
            "delegation_id", flat=True
        )
    )
    for d in Delegation.objects.filter(pk__in=ids).select_related("organisation__event"):
        out = publish_programme(delegation=d, actor=actor)
        if out["added"] or out["moved"] or out["removed"]:
            totals["delegations"] += 1
        for k in ("added", "moved", "removed", "notified"):
            totals[k] += out[k]
    return totals
