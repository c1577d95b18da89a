"""Visits by hand: the instant validation of a placement, and adding, moving, pinning and
removing visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exhibition.accounts.models import User
from exhibition.core import audit
from exhibition.core.errors import ConflictError, DomainError, require_perm
from exhibition.floorplans.models import Stand

from ...models import (
    CandidateVisit,
    Delegation,
    DelegationDay,
    StandHosting,
    Visit,
)
from ...scheduling.rules import down, up
from ..common import at_minutes, hhmm, minutes_of, minutes_of_time, place_names, programme_rules, travel_table
from ..problem import excluded_pairs, is_excluded, stand_windows

DEFAULT_DURATION = 20


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
    *,
    delegation: Delegation,
    day: date,
    stand: Stand,
    start: float,
    duration: float,
    ignore: Visit | None = None,
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
    if stand.exhibitor is None:  # no query when it has none; else read just below anyway
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
        return [*errors, _("The delegation is not on site on %(day)s.") % {"day": day.isoformat()}]
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
    errors.extend(
        _("It overlaps the visit to stand %(stand)s (%(a)s–%(b)s).")
        % {"stand": o.stand_number, "a": hhmm(o.start), "b": hhmm(o.end)}
        for o in others
        if o.start < end - 1e-6 and start < o.end - 1e-6
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
                ngettext(
                    "Stand %(stand)s already receives %(n)s delegation then (capacity %(cap)s).",
                    "Stand %(stand)s already receives %(n)s delegations then (capacity %(cap)s).",
                    peak,
                )
                % {"stand": stand.number, "n": peak, "cap": capacity}
            )
    return errors


def _raise_if(errors: list[str], field: str = "start") -> None:
    if errors:
        raise DomainError(" ".join(errors), field=field, code="placement")


def duration_for(delegation: Delegation, stand: Stand) -> int:
    return (
        CandidateVisit.objects.filter(delegation=delegation, stand=stand)
        .values_list("duration", flat=True)
        .first()
        or DEFAULT_DURATION
    )


# --- hand edits -------------------------------------------------------------------------------


def _lock(delegation: Delegation, stand: Stand) -> None:
    """Lock late, in a fixed order (delegation, then stand): one hand edit per delegation at a
    time (its own overlaps and walks), and one booking check per stand at a time (its capacity)."""
    list(Delegation.objects.select_for_update().filter(pk=delegation.pk).values_list("pk", flat=True))
    list(Stand.objects.select_for_update().filter(pk=stand.pk).values_list("pk", flat=True))


def add_visit(
    *,
    delegation: Delegation,
    actor: User,
    stand: Stand,
    day: date,
    start: time,
    duration: int | None = None,
    pinned: bool = True,
) -> Visit:
    """Put a visit in the programme by hand (pinned by default, so re-planning keeps it)."""
    require_perm(actor, "delegations.manage_programme", delegation)
    event = delegation.organisation.event
    if stand.event_id != event.pk:
        raise DomainError(_("Choose a stand of this show."), field="stand")
    duration = duration or duration_for(delegation, stand)
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
    stand: Stand | None = None,
    duration: int | None = None,
) -> Visit:
    delegation = visit.delegation
    require_perm(actor, "delegations.manage_programme", delegation)
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
    require_perm(actor, "delegations.manage_programme", visit.delegation)
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
    require_perm(actor, "delegations.manage_programme", visit.delegation)
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
