"""Matchmaking rounds: export the accepted requests as a meetings-v1 problem, run the batch
scheduler with progress, keep the draft, publish it as meetings."""

from __future__ import annotations

import logging
import threading
import time as _time
from collections import defaultdict
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibition.accounts.models import User
from exhibition.core import audit, background, heartbeat
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.core.webhooks import emit_webhook

from .. import tasks
from ..models import (
    Availability,
    Booking,
    ExhibitorHost,
    Meeting,
    MeetingRequest,
    Participant,
    Place,
    PlaceBlocking,
    Round,
)
from ..slots import ACTIVE
from .booking import all_slots, book, max_meetings
from .requests import notify_participant

logger = logging.getLogger(__name__)
FORMAT = "exhibition.meetings/v1"


def _require_organiser(actor: User, event: Any) -> None:
    require_perm(actor, "meetings.manage_meetings", event, _("Only organisers run matchmaking rounds."))


def create_round(
    *, event: Any, actor: User, name: str, time_limit: int = 30, at_tables: bool = False
) -> Round:
    _require_organiser(actor, event)
    if not name.strip():
        raise DomainError(_("Enter a name."), field="name")
    if not 1 <= time_limit <= 3600:
        raise DomainError(_("The time limit runs from 1 s to 1 hour."), field="time_limit")
    with transaction.atomic():
        if Round.objects.filter(
            event=event, status__in=[Round.Status.OPEN, Round.Status.SCHEDULING, Round.Status.DRAFT]
        ).exists():
            raise ConflictError(_("Finish or cancel the current round first."), code="round_open")
        rnd = Round.objects.create(event=event, name=name.strip(), time_limit=time_limit, at_tables=at_tables)
        audit.record(actor=actor, action="meetings.round_created", obj=rnd, event=event)
    return rnd


def _slot_id(start: datetime, tz: tzinfo) -> str:
    return start.astimezone(tz).strftime("%Y%m%d-%H%M")


def _overlapping(slots: list[tuple[str, datetime, datetime]], start: datetime, end: datetime) -> list[str]:
    return [sid for sid, s, e in slots if s < end and start < e]


def round_requests(event: Any, rnd: Round | None) -> QuerySet[MeetingRequest]:
    qs = MeetingRequest.objects.filter(
        event=event, status=MeetingRequest.Status.ACCEPTED, meeting__isnull=True
    )
    if rnd is not None:
        qs = qs.filter(round=rnd)
    return qs.select_related("sender", "recipient").order_by("id")


def build_problem(
    event: Any, rnd: Round | None = None, *, at_tables: bool | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The meetings-v1 problem for the round's accepted, unscheduled requests, and the
    mapping back (slot -> start, request -> host, location -> place).

    Meetings the organiser pinned in the round's draft keep their slot (and table) and
    their host: they go into the problem as pinned meetings.

    Persons are the participants (``P-<id>``) and, for exhibitors, the staff member who takes
    the meeting (``H-<id>``): an exhibitor meets as many people at once as it has hosts, so
    each request is given up front to the least-loaded host of the company."""
    tz = event.tz
    slots = [(_slot_id(s, tz), s, e) for s, e in all_slots(event)]
    slot_ids = {sid for sid, _s, _e in slots}
    requests = list(round_requests(event, rnd))
    parts: dict[int, Participant] = {}
    for r in requests:
        parts[r.sender_id], parts[r.recipient_id] = r.sender, r.recipient
    hosts_by_exh: dict[int, list[ExhibitorHost]] = defaultdict(list)
    for h in ExhibitorHost.objects.filter(participant_id__in=list(parts), is_active=True).order_by("id"):
        hosts_by_exh[h.participant_id].append(h)
    windows: dict[int, dict[date, list[Availability]]] = defaultdict(lambda: defaultdict(list))
    for w in Availability.objects.filter(participant_id__in=list(parts)):
        windows[w.participant_id][w.date].append(w)
    used: dict[int, int] = defaultdict(int)
    for row in (
        Meeting.objects.filter(event=event, status__in=ACTIVE)
        .filter(Q(sender_id__in=list(parts)) | Q(recipient_id__in=list(parts)))
        .values_list("sender_id", "recipient_id")
    ):
        for part_id in row:
            used[part_id] += 1

    pins = draft_pins(rnd)
    load: dict[int, int] = defaultdict(int)
    meetings: list[dict[str, Any]] = []
    host_of: dict[str, int] = {}
    sender_host_of: dict[str, int] = {}
    person_ids: dict[str, tuple[str, ExhibitorHost | None, Participant]] = {}
    for r in requests:
        people: list[str] = []
        pin = pins.get(f"REQ-{r.pk}")
        for p in (r.sender, r.recipient):
            if p.kind == Participant.Kind.EXHIBITOR:
                hosts = hosts_by_exh.get(p.pk)
                if not hosts:
                    people = []
                    break
                pinned_host = next((h for h in hosts if pin and h.pk == pin["host"]), None)
                h = pinned_host or min(hosts, key=lambda h: (load[h.pk], h.pk))
                load[h.pk] += 1
                if p is r.sender and r.recipient.kind == Participant.Kind.EXHIBITOR:
                    sender_host_of[f"REQ-{r.pk}"] = (
                        h.pk
                    )  # an exhibitor meeting an exhibitor: both send someone
                else:
                    host_of[f"REQ-{r.pk}"] = h.pk
                people.append(f"H-{h.pk}")
                person_ids[f"H-{h.pk}"] = ("host", h, p)
            else:
                people.append(f"P-{p.pk}")
                person_ids[f"P-{p.pk}"] = ("participant", None, p)
        if len(people) == 2:
            meeting: dict[str, Any] = {"id": f"REQ-{r.pk}", "participants": people, "priority": r.priority}
            if pin and pin["slot"] in slot_ids:
                meeting["fixed_slot"] = pin["slot"]
                if at_tables and pin["location"]:
                    meeting["location"] = pin["location"]
            meetings.append(meeting)

    keys = {
        pid: (h.resource_key if h is not None else p.resource_key) for pid, (_k, h, p) in person_ids.items()
    }
    busy: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for res, s, e in Booking.objects.filter(event=event, resource__in=list(keys.values())).values_list(
        "resource", "start", "end"
    ):
        busy[res].append((s, e))

    participants = []
    for pid, (kind, _h, p) in sorted(person_ids.items(), key=lambda kv: kv[0]):
        unavailable: set[str] = set()
        for sid, s, e in slots:
            ws = windows.get(p.pk, {}).get(s.astimezone(tz).date())
            if ws and not any(
                w.starts_at <= s.astimezone(tz).time() and e.astimezone(tz).time() <= w.ends_at for w in ws
            ):
                unavailable.add(sid)
        for s, e in busy.get(keys[pid], []):
            unavailable.update(_overlapping(slots, s, e))
        cap = max(max_meetings(p) - used[p.pk], 0)
        if kind == "host":
            n = len(hosts_by_exh[p.pk])
            cap = -(-cap // n)  # the company's cap shared among its hosts
        participants.append(
            {"id": pid, "kind": p.kind, "unavailable": sorted(unavailable), "max_meetings": cap}
        )

    use_tables = at_tables if at_tables is not None else False
    locations, place_of = [], {}
    if use_tables:
        for place in (
            Place.objects.filter(event=event, is_active=True).exclude(kind=Place.Kind.STAND).order_by("name")
        ):
            unavailable = set()
            for sid, s, e in slots:
                lt_s, lt_e = s.astimezone(tz).time(), e.astimezone(tz).time()
                if (place.opens_at and lt_s < place.opens_at) or (place.closes_at and lt_e > place.closes_at):
                    unavailable.add(sid)
            for s, e in PlaceBlocking.objects.filter(place=place).values_list("start", "end"):
                unavailable.update(_overlapping(slots, s, e))
            for s, e in Booking.objects.filter(event=event, resource=place.resource_key).values_list(
                "start", "end"
            ):
                unavailable.update(_overlapping(slots, s, e))
            lid = f"T-{place.pk}"
            place_of[lid] = place.pk
            locations.append({"id": lid, "unavailable": sorted(unavailable)})
    table_ids = {loc["id"] for loc in locations}
    for meeting in meetings:
        if meeting.get("location") and meeting["location"] not in table_ids:
            del meeting["location"]  # the table is gone: the pin keeps its slot
    problem = {
        "format": FORMAT,
        "name": f"{event.slug} {rnd.name if rnd else 'all accepted requests'}",
        "slots": [
            {"id": sid, "start": s.astimezone(tz).isoformat(), "end": e.astimezone(tz).isoformat()}
            for sid, s, e in slots
        ],
        "participants": participants,
        "locations": locations,
        "meetings": meetings,
    }
    mapping = {
        "slots": {sid: s.isoformat() for sid, s, _e in slots},
        "hosts": host_of,
        "locations": place_of,
        "sender_hosts": sender_host_of,
    }
    return problem, mapping


def draft_pins(rnd: Round | None) -> dict[str, dict[str, Any]]:
    """The draft's pinned meetings: request key -> {"slot", "location", "host"}."""
    if rnd is None or not rnd.draft:
        return {}
    draft = rnd.draft
    where = {a["meeting"]: a for a in draft.get("schedule", {}).get("assignments", [])}
    out = {}
    for key in draft.get("pinned", []):
        a = where.get(key)
        if a is not None:
            out[key] = {
                "slot": a["slot"],
                "location": a.get("location"),
                "host": draft.get("hosts", {}).get(key),
            }
    return out


def pin_draft_meeting(*, rnd: Round, actor: User, request: MeetingRequest, pinned: bool) -> Round:
    """Pin (or unpin) a meeting of the draft where it is: a re-run keeps it there."""
    _require_organiser(actor, rnd.event)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.status != Round.Status.DRAFT or not rnd.draft:
            raise ConflictError(_("Pins can only be set on a draft."), code="state")
        key = f"REQ-{request.pk}"
        if request.round_id != rnd.pk or not any(
            a["meeting"] == key for a in rnd.draft["schedule"]["assignments"]
        ):
            raise DomainError(_("This meeting is not in the draft."), field="meeting")
        current = [k for k in rnd.draft.get("pinned", []) if k != key]
        rnd.draft = {**rnd.draft, "pinned": [*current, key] if pinned else current}
        rnd.save(update_fields=["draft", "updated_at"])
        audit.record(
            actor=actor,
            action="meetings.round_pinned" if pinned else "meetings.round_unpinned",
            obj=rnd,
            event=rnd.event,
            request=request.pk,
        )
    return rnd


def start_scheduling(*, rnd: Round, actor: User, time_limit: int | None = None) -> Round:
    _require_organiser(actor, rnd.event)
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.status not in (Round.Status.OPEN, Round.Status.DRAFT):
            raise ConflictError(_("This round is already being scheduled or was published."), code="state")
        # a draft stays as the run's starting point (resumed from, kept where possible)
        rnd.status, rnd.progress, rnd.progress_message = Round.Status.SCHEDULING, 0.0, _("Queued")
        rnd.draft_stats = {k: v for k, v in rnd.draft_stats.items() if k != "stop_requested"}
        rnd.worker, rnd.attempts, rnd.heartbeat_at = "", 0, None
        if time_limit:
            rnd.time_limit = time_limit
        rnd.save(
            update_fields=[
                "status",
                "progress",
                "progress_message",
                "draft_stats",
                "time_limit",
                "worker",
                "attempts",
                "heartbeat_at",
                "updated_at",
            ]
        )
        audit.record(actor=actor, action="meetings.round_scheduling", obj=rnd, event=rnd.event)
        round_id = rnd.pk
        background.dispatch(tasks.schedule_round, round_id=round_id)
    return rnd


def stop_scheduling(*, rnd: Round, actor: User) -> Round:
    """Ask a running scheduler to stop: it keeps its best schedule so far as the draft,
    from which a later run resumes."""
    _require_organiser(actor, rnd.event)
    with transaction.atomic():
        locked = Round.objects.select_for_update().filter(pk=rnd.pk, status=Round.Status.SCHEDULING).first()
        if locked is None:
            raise ConflictError(_("The scheduler is not running."), code="state")
        locked.draft_stats = {**locked.draft_stats, "stop_requested": True}
        locked.progress_message = _("Stopping: keeping the best schedule so far")
        locked.save(update_fields=["draft_stats", "progress_message", "updated_at"])
        audit.record(actor=actor, action="meetings.round_stopped", obj=rnd, event=rnd.event)
        # Nobody is left to stop if the scheduler's worker is gone: end the run now, draft kept.
        Round.objects.filter(pk=rnd.pk, status=Round.Status.SCHEDULING, worker__gt="").filter(
            heartbeat.stale_q()
        ).update(
            status=back_to_draft(),
            progress_message=_("Stopped: the scheduler's worker had stopped. The previous draft is kept."),
            updated_at=timezone.now(),
        )
    rnd.refresh_from_db()
    return rnd


def cancel_scheduling(*, rnd: Round, actor: User) -> Round:
    """Stop a running scheduler (it polls the status) and reopen the round; its result
    and any earlier draft are dropped."""
    _require_organiser(actor, rnd.event)
    with transaction.atomic():
        updated = Round.objects.filter(pk=rnd.pk, status=Round.Status.SCHEDULING).update(
            status=Round.Status.OPEN, progress_message=_("Cancelled"), draft=None, updated_at=timezone.now()
        )
        if not updated:
            raise ConflictError(_("The scheduler is not running."), code="state")
        audit.record(actor=actor, action="meetings.round_cancelled", obj=rnd, event=rnd.event)
    rnd.refresh_from_db()
    return rnd


# --- runs whose worker died -----------------------------------------------------------------------

QUEUE_TIMEOUT = timedelta(minutes=15)
MAX_ATTEMPTS = 3


class RoundStillBeating(Exception):
    """A redelivered task found the round's scheduler still beating elsewhere: retry later."""


def back_to_draft() -> Case:
    """A run that ends without a new schedule goes back to the draft it started from, if any."""
    return Case(When(draft__isnull=True, then=Value(Round.Status.OPEN)), default=Value(Round.Status.DRAFT))


def claim_round(round_id: int) -> Round | None:
    """Take a scheduling run up: a queued one, or one whose worker stopped beating (the task was
    redelivered after its worker died: start it again from the draft)."""
    now = timezone.now()
    with transaction.atomic():
        rnd = (
            Round.objects.select_for_update()
            .select_related("event")
            .filter(pk=round_id, status=Round.Status.SCHEDULING)
            .first()
        )
        if rnd is None:
            return None
        if rnd.worker and rnd.heartbeat_at and rnd.heartbeat_at > now - heartbeat.stale_after():
            raise RoundStillBeating(round_id)
        if rnd.attempts >= MAX_ATTEMPTS:
            Round.objects.filter(pk=rnd.pk).update(
                status=back_to_draft(),
                updated_at=now,
                progress_message=_(
                    "The scheduler's worker stopped %(n)s times on this run: the previous draft is kept."
                )
                % {"n": rnd.attempts},
            )
            return None
        if rnd.worker:
            logger.warning("Round %s taken over after its scheduler's worker stopped", round_id)
            rnd.progress_message = _("Started again: the previous worker stopped.")
        rnd.worker, rnd.attempts, rnd.heartbeat_at = heartbeat.worker_name(), rnd.attempts + 1, now
        rnd.save(update_fields=["worker", "attempts", "heartbeat_at", "progress_message", "updated_at"])
    return rnd


def sweep_rounds() -> int:
    """Every minute: a run whose worker stopped beating, or that no worker took up, ends with the
    reason, its previous draft kept, so the organiser can run it again at once."""
    now = timezone.now()
    dead = Round.objects.filter(status=Round.Status.SCHEDULING, worker__gt="").filter(
        heartbeat.stale_q(older_than=heartbeat.dead_after())
    )
    n = dead.update(
        status=back_to_draft(),
        updated_at=now,
        progress_message=_(
            "The scheduler's worker stopped (restarted or out of memory). The previous draft is kept: run again."
        ),
    )
    n += Round.objects.filter(
        status=Round.Status.SCHEDULING, worker="", updated_at__lt=now - QUEUE_TIMEOUT
    ).update(
        status=back_to_draft(),
        updated_at=now,
        progress_message=_(
            "No scheduler worker took this run up within 15 minutes. The previous draft is kept: run again."
        ),
    )
    if n:
        logger.warning("Ended %s round run(s) whose scheduler's worker stopped", n)
    return n


def _progress_text(message: str) -> str:
    """The organiser's words for a progress report of the scheduler."""
    facts = getattr(message, "facts", None)
    if not facts:
        return _("Preparing the schedule…")
    values = {"priority": facts["priority"], "breaks": facts["breaks"]}
    if facts.get("gap") is not None:
        values.update(bound=facts["bound"], gap=f"{facts['gap']:.2f}")
        text = _("Priority %(priority)s of at most %(bound)s (gap %(gap)s %%), %(breaks)s breaks") % values
    else:
        text = _("Priority %(priority)s, %(breaks)s breaks") % values
    if facts.get("moved") is not None:
        text += " · " + _("%(moved)s meetings of the previous draft moved") % {"moved": facts["moved"]}
    return text


def run_scheduler(*, rnd: Round) -> Round:
    """Build the problem, solve it, store the draft. Stops early if the round leaves
    'scheduling' (cancelled: nothing kept) or a stop is requested (the best schedule so
    far becomes the draft). A round that had a draft resumes from it: its meetings stay
    where they are unless moving them lets more priority in, and the draft's stats count
    the meetings that moved."""
    from ..scheduling import (  # noqa: PLC0415 -- the solver pulls in OR-Tools and PySAT: loaded by the worker that runs a round, not by every process
        evaluate,
        read_problem,
        read_schedule,
        schedule_to_dict,
        solve,
    )

    event = rnd.event
    problem_dict, mapping = build_problem(event, rnd, at_tables=rnd.at_tables)
    problem = read_problem(problem_dict)
    previous = read_schedule(rnd.draft["schedule"]) if rnd.draft and rnd.draft.get("schedule") else None
    pinned = [
        key
        for key in draft_pins(rnd)
        if any(m["id"] == key and m.get("fixed_slot") for m in problem_dict["meetings"])
    ]
    last = {"t": 0.0, "stop": False}
    owner = (
        threading.get_ident()
    )  # the solver may call back from its worker threads: only this one touches the DB

    def progress(fraction: float, message: str) -> None:
        now = _time.monotonic()
        if threading.get_ident() != owner:
            return
        if now - last["t"] >= 0.5 or fraction >= 1.0:
            last["t"] = now
            Round.objects.filter(pk=rnd.pk, status=Round.Status.SCHEDULING).update(
                progress=round(min(max(fraction, 0.0), 1.0), 3),
                progress_message=_progress_text(message)[:200],
            )

    def asked_to_stop(row: tuple[Any, Any] | None) -> bool:
        return row is None or row[0] != Round.Status.SCHEDULING or bool((row[1] or {}).get("stop_requested"))

    def should_stop() -> bool:
        now = _time.monotonic()
        if threading.get_ident() == owner and now - last.get("checked", 0.0) >= 0.5:
            last["checked"] = now
            last["stop"] = asked_to_stop(
                Round.objects.filter(pk=rnd.pk).values_list("status", "draft_stats").first()
            )
        return bool(last["stop"]) or heard.is_set()

    # While the solver holds this thread inside a long native call, a watcher with its own
    # connection hears a stop or cancel within half a second. It only acts on the row it
    # sees (a round it cannot see, e.g. not yet committed, is left to the check above).
    heard, done = threading.Event(), threading.Event()

    def watch() -> None:
        try:
            while not done.wait(0.5):
                row = Round.objects.filter(pk=rnd.pk).values_list("status", "draft_stats").first()
                if row is not None and asked_to_stop(row):
                    heard.set()
                    return
        except DatabaseError:
            return
        finally:
            connection.close()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        schedule = solve(
            problem,
            time_limit=rnd.time_limit,
            seed=0,
            progress=progress,
            should_stop=should_stop,
            initial=previous,
        )
    finally:
        done.set()
        watcher.join()
    ev = evaluate(problem, schedule)
    stats = {
        "meetings": len(problem.meetings),
        "scheduled": ev.scheduled,
        "priority_sum": ev.priority_sum,
        "priority_total": ev.priority_total,
        "bound": schedule.info.get("bound"),
        "breaks": ev.breaks,
        "at_tables": rnd.at_tables,
        "stopped": bool(schedule.info.get("stopped")),
        "seconds": schedule.info.get("elapsed"),
    }
    if previous is not None:
        stats.update(moved=schedule.info.get("moved", 0), dropped=schedule.info.get("dropped", 0))
    updated = Round.objects.filter(pk=rnd.pk, status=Round.Status.SCHEDULING).update(
        status=Round.Status.DRAFT,
        progress=1.0,
        progress_message=_("Stopped: best schedule so far kept") if stats["stopped"] else _("Draft ready"),
        draft={"schedule": schedule_to_dict(schedule), **mapping, "pinned": pinned},
        draft_stats=stats,
        updated_at=timezone.now(),
    )
    if not updated:
        logger.info("round %s left scheduling while solving; draft dropped", rnd.pk)
    rnd.refresh_from_db()
    return rnd


def publish_round(*, rnd: Round, actor: User) -> dict[str, int]:
    """Turn the draft into meetings (each booked through the same lock and checks) and notify."""
    _require_organiser(actor, rnd.event)
    event = rnd.event
    with transaction.atomic():
        rnd = Round.objects.select_for_update().get(pk=rnd.pk)
        if rnd.status != Round.Status.DRAFT or not rnd.draft:
            raise ConflictError(_("There is no draft to publish."), code="state")
        draft = rnd.draft
        reqs = {
            f"REQ-{r.pk}": r
            for r in MeetingRequest.objects.filter(
                round=rnd, status=MeetingRequest.Status.ACCEPTED, meeting__isnull=True
            ).select_related("sender", "recipient")
        }
        hosts = {
            h.pk: h
            for h in ExhibitorHost.objects.filter(
                pk__in=[*draft.get("hosts", {}).values(), *draft.get("sender_hosts", {}).values()]
            )
        }
        places = {p.pk: p for p in Place.objects.filter(pk__in=list(draft.get("locations", {}).values()))}
        created = skipped = 0
        for a in draft["schedule"]["assignments"]:
            req = reqs.get(a["meeting"])
            if req is None:
                skipped += 1
                continue
            start = datetime.fromisoformat(draft["slots"][a["slot"]])
            host = hosts.get(draft["hosts"].get(a["meeting"]))
            sender_host = hosts.get(draft.get("sender_hosts", {}).get(a["meeting"]))
            place = (
                places.get(draft["locations"].get(a["location"])) if a.get("location") else None
            )  # else the stand
            try:
                with transaction.atomic():
                    meeting = book(
                        event=event,
                        sender=req.sender,
                        recipient=req.recipient,
                        start=start,
                        host=host,
                        place=place,
                        request=req,
                        round=rnd,
                        sender_host=sender_host,
                    )
            except DomainError:
                skipped += 1
                continue
            created += 1
            for p in (req.sender, req.recipient):
                notify_participant(p, "booked", meeting=meeting)
        rnd.status, rnd.published_at = Round.Status.PUBLISHED, timezone.now()
        rnd.draft_stats = {**rnd.draft_stats, "published": created, "skipped": skipped}
        rnd.save(update_fields=["status", "published_at", "draft_stats", "updated_at"])
        audit.record(
            actor=actor,
            action="meetings.round_published",
            obj=rnd,
            event=event,
            created=created,
            skipped=skipped,
        )
        emit_webhook(event=event, type="meeting.round_published", ids={"round": rnd.pk})
    return {"created": created, "skipped": skipped}
