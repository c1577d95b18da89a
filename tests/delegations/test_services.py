"""Delegation services: the problem built from the database, planning write-back, hand edits
with their validation, publishing (who is told what), running late, exclusions, capacity."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.models import OutboxMessage
from exhibition.delegations import scheduling, services
from exhibition.delegations import scheduling as sched
from exhibition.delegations.models import (
    CandidateVisit,
    DelegationDay,
    Exclusion,
    Interest,
    PlanningRun,
    ProgrammeRules,
    PublishedVisit,
    StandHosting,
    Visit,
)
from exhibition.delegations.services.common import minutes_of
from exhibition.delegations.services.problem import build_problem, delegation_key
from tests.factories import make_sector
from tests.factories.delegations import DAY, candidate

pytestmark = pytest.mark.django_db
CHECKER = Path("/work/shared/tools/check_itineraries.py")


def _check(tmp_path, problem: dict, plan: dict) -> dict:
    p, q = tmp_path / "problem.json", tmp_path / "plan.json"
    p.write_text(json.dumps(problem))
    q.write_text(json.dumps(plan))
    out = subprocess.run(
        [sys.executable, str(CHECKER), str(p), str(q)], capture_output=True, text=True, timeout=60
    )
    return json.loads(out.stdout)


def _all_candidates(show, score=10):
    for d in (show.delegation, show.other):
        for s in show.stands:
            candidate(d, s, score=score)


def _plan(show, organiser, delegation=None, time_limit=0.5, django_capture_on_commit_callbacks=None):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_planning(
            event=show.event, actor=organiser, delegation=delegation, time_limit=time_limit
        )
    run.refresh_from_db()
    return run


def test_problem_from_db_is_valid_for_the_checker_and_so_is_the_plan(
    show, organiser, tmp_path, django_capture_on_commit_callbacks
):
    _all_candidates(show)
    StandHosting.objects.create(stand=show.stands[0], capacity=2)
    built = build_problem(show.event)

    assert built.travel_kind == "euclidean"  # no walking matrix computed: straight lines
    # the stands, and one lunch place per day (the hall's lounge: there is no restaurant)
    assert [s["id"] for s in built.data["stands"]] == [
        "5A-101",
        "5A-102",
        "5A-103",
        "5A-104",
        "LUNCH:2025-11-18:5A-LOUNGE",
    ]
    assert built.data["stands"][0]["capacity"] == 2
    assert built.data["stands"][0]["windows"][0] == {"day": "2025-11-18", "open": 570.0, "close": 1080.0}
    assert built.data["stands"][-1]["windows"] == [{"day": "2025-11-18", "open": 720.0, "close": 840.0}]
    assert built.data["stands"][-1]["capacity"] == 2
    assert [p["id"] for p in built.data["points"]] == ["5A-LOUNGE", "ENTRANCE-5A"]
    assert built.data["delegations"][0]["windows"] == [
        {"day": "2025-11-18", "start": 600.0, "end": 960.0, "from": "ENTRANCE-5A", "to": "ENTRANCE-5A"}
    ]
    assert built.data["delegations"][0]["visits"][-1] == {
        "stand": "LUNCH:2025-11-18:5A-LOUNGE",
        "score": 0.001,
        "duration": 45.0,
        "required": True,
        "kind": "lunch",
    }
    # travel: walk, plus 5 minutes between two stands, rounded up to 5 minutes
    minutes = built.data["travel"]["minutes"]
    assert built.data["travel"]["kind"] == "matrix"
    assert all(v % 5 == 0 for row in minutes.values() for v in row.values())
    assert minutes["5A-101"]["5A-102"] == 10.0 and minutes["ENTRANCE-5A"]["5A-101"] == 5.0

    run = _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert run.status == PlanningRun.Status.DONE, run.message
    assert run.stats["visits"] == 8 and run.stats["lunch_breaks"] == 2 and run.stats["score"] == 80.0
    starts = [minutes_of(show.event, v.start) for v in Visit.objects.all()]
    assert starts and all(m % 5 == 0 for m in starts)
    for day in DelegationDay.objects.all():
        assert time(12, 0) <= day.lunch_start and day.lunch_end <= time(14, 0), day
        assert (day.lunch_end.hour * 60 + day.lunch_end.minute) - (
            day.lunch_start.hour * 60 + day.lunch_start.minute
        ) == 45
        assert day.lunch_place == "5A-LOUNGE"
        for v in Visit.objects.filter(delegation=day.delegation):
            local = (v.start.astimezone(show.event.tz).time(), v.end.astimezone(show.event.tz).time())
            assert local[1] <= day.lunch_start or local[0] >= day.lunch_end
    plan = services.current_plan(show.event, built.delegation_ids)
    empty_plan = {"format": "exhibition.itineraries-plan/v1", "itineraries": []}
    empty = _check(tmp_path, built.data, empty_plan)
    assert empty["valid"] is False and empty["required_missing"] == 2  # the lunch breaks are required
    result = _check(tmp_path, built.data, plan)
    assert result["valid"] is True, result["errors"]
    assert result["visits"] == 8 + 2
    assert Visit.objects.filter(status=Visit.Status.DRAFT).count() == 8


def test_export_command_writes_the_problem(show, tmp_path):
    _all_candidates(show)
    out = tmp_path / "p.json"
    call_command("export_itinerary_problem", "--event", show.event.slug, "--out", str(out))
    data = json.loads(out.read_text())
    assert data["format"] == "exhibition.itineraries/v1"
    assert len(data["delegations"]) == 2 and len(data["stands"]) == 5
    assert scheduling.read_problem(data).stand_index.keys() == {
        "5A-101",
        "5A-102",
        "5A-103",
        "5A-104",
        "LUNCH:2025-11-18:5A-LOUNGE",
    }


def test_hosting_windows_are_cut_to_opening_hours(show, organiser):
    candidate(show.delegation, show.stands[0])
    services.add_hosting_window(
        company=show.companies[0], actor=show.exhibitor, day=DAY, start=time(8, 0), end=time(11, 0)
    )
    built = build_problem(show.event)
    assert built.data["stands"][0]["windows"] == [{"day": "2025-11-18", "open": 570.0, "close": 660.0}]


def test_exclusions_never_appear_in_problem_or_plan(
    show, organiser, tmp_path, django_capture_on_commit_callbacks
):
    _all_candidates(show)
    services.add_exclusion(
        delegation=show.delegation, actor=organiser, company=show.companies[0], reason="embargo"
    )
    services.add_exclusion(delegation=show.delegation, actor=organiser, country="IL")
    # a candidate row sneaked in after the exclusion is still never planned
    candidate(show.delegation, show.stands[2])

    built = build_problem(show.event)
    visits = {v["stand"] for v in built.data["delegations"][0]["visits"] if v.get("kind") != "lunch"}
    assert visits == {"5A-102", "5A-104"}
    _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert set(show.delegation.visits.values_list("stand__number", flat=True)) == {"5A-102", "5A-104"}
    assert show.other.visits.count() == 4
    with pytest.raises(DomainError, match="may not visit Aegis Systems"):
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(14, 0)
        )


def test_add_exclusion_removes_existing_visits(show, organiser):
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[2], day=DAY, start=time(11, 0)
    )
    services.add_exclusion(delegation=show.delegation, actor=organiser, country="IL")
    assert show.delegation.visits.count() == 0
    assert Exclusion.objects.get().country == "IL"


def test_pinned_visit_is_kept_by_replanning(show, organiser, django_capture_on_commit_callbacks):
    _all_candidates(show)
    pinned = services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[3], day=DAY, start=time(15, 0)
    )
    for _ in range(2):
        run = _plan(
            show,
            organiser,
            delegation=show.delegation,
            django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        )
        assert run.status == PlanningRun.Status.DONE, run.message
    pinned_now = Visit.objects.get(pk=pinned.pk)
    assert (pinned_now.start, pinned_now.end, pinned_now.pinned) == (pinned.start, pinned.end, True)
    assert show.delegation.visits.count() == 4
    assert show.other.visits.count() == 0  # a one-delegation run leaves the others alone


def test_pinning_the_first_visit_then_replanning(show, organiser, django_capture_on_commit_callbacks):
    _all_candidates(show)
    _plan(
        show,
        organiser,
        delegation=show.delegation,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    first = show.delegation.visits.order_by("start").first()
    services.pin_visit(visit=first, actor=organiser)
    run = _plan(
        show,
        organiser,
        delegation=show.delegation,
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert run.status == PlanningRun.Status.DONE, run.message
    assert Visit.objects.get(pk=first.pk).start == first.start


def test_a_planner_crash_fails_the_run_and_frees_the_slot(show, organiser, monkeypatch):
    _all_candidates(show)

    def boom(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(sched, "plan", boom)
    run = PlanningRun.objects.create(event=show.event, created_by=organiser, time_limit=1)
    run = services.execute_planning(run_id=run.pk)
    assert run.status == PlanningRun.Status.FAILED and "internal error" in run.message
    assert Visit.objects.count() == 0
    assert (
        services.start_planning(event=show.event, actor=organiser, time_limit=1).status
        == PlanningRun.Status.QUEUED
    )


def test_add_visit_with_conflict_raises_clear_domain_error(show, organiser):
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    with pytest.raises(DomainError) as exc:
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[1], day=DAY, start=time(11, 10)
        )
    assert "overlaps the visit to stand 5A-101 (11:00–11:20)" in exc.value.message
    assert exc.value.field == "start"
    assert show.delegation.visits.count() == 1


def test_add_visit_checks_walking_time_and_windows(show, organiser):
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    # stand 5A-104 is 60 m from 5A-101: one minute's walk at 60 m/min, plus 5 minutes' slack, on the
    # 5-minute grid: 11:20 sharp (or 11:25) is too early
    with pytest.raises(
        DomainError,
        match=r"Walking from Stand 5A-101, Hall 5A takes 1 min, and visits are 10 min "
        r"apart at least: the earliest start is 11:30",
    ):
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[3], day=DAY, start=time(11, 25)
        )
    with pytest.raises(DomainError, match=r"Visits start every 5 minutes: choose 11:20 or 11:25"):
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[3], day=DAY, start=time(11, 22)
        )
    with pytest.raises(DomainError, match=r"outside the delegation's hours \(10:00–16:00\)"):
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[3], day=DAY, start=time(15, 50)
        )
    services.add_hosting_window(
        company=show.companies[1], actor=organiser, day=DAY, start=time(14, 0), end=time(16, 0)
    )
    with pytest.raises(DomainError, match=r"Stand 5A-102 receives delegations 14:00–16:00 that day"):
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[1], day=DAY, start=time(12, 0)
        )
    visit = services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[3], day=DAY, start=time(11, 30)
    )
    assert visit.pinned is True and visit.status == Visit.Status.DRAFT


def test_capacity_is_enforced_for_hand_placed_visits(show, organiser):
    services.add_visit(
        delegation=show.other, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    with pytest.raises(DomainError, match=r"already receives 1 delegation then \(capacity 1\)"):
        services.add_visit(
            delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 10)
        )
    services.set_capacity(stand=show.stands[0], actor=show.exhibitor, capacity=2)
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 10)
    )
    assert Visit.objects.filter(stand=show.stands[0]).count() == 2


def test_planner_respects_capacity(show, organiser, django_capture_on_commit_callbacks):
    # both delegations only want stand 1, with a one-hour visit in the same short window

    DelegationDay.objects.update(start=time(10, 0), end=time(11, 10))
    candidate(show.delegation, show.stands[0], duration=60)
    candidate(show.other, show.stands[0], duration=60)
    run = _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert run.stats["visits"] == 1
    StandHosting.objects.create(stand=show.stands[0], capacity=2)
    Visit.objects.all().delete()
    run = _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert run.stats["visits"] == 2


def test_publish_tells_only_the_people_affected(
    show, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    v1 = services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[1], day=DAY, start=time(12, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        out = services.publish_programme(delegation=show.delegation, actor=organiser)
    assert out == {"added": 2, "moved": 0, "removed": 0, "notified": 3}
    assert sorted(m.to[0] for m in mailoutbox) == ["admin@aegis.test", "admin@bastion.test", "head@br.test"]
    head_mail = next(m for m in mailoutbox if m.to == ["head@br.test"])
    assert "New: Tuesday 18 November 11:00–11:20 · Stand 5A-101, Hall 5A · Aegis Systems" in head_mail.body
    assert PublishedVisit.objects.count() == 2 and set(Visit.objects.values_list("status", flat=True)) == {
        "published"
    }

    mailoutbox.clear()
    services.move_visit(visit=v1, actor=organiser, start=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        out = services.publish_programme(delegation=show.delegation, actor=organiser)
    assert out == {"added": 0, "moved": 1, "removed": 0, "notified": 2}
    assert sorted(m.to[0] for m in mailoutbox) == ["admin@aegis.test", "head@br.test"]
    assert (
        "Changed: Tuesday 18 November 14:00–14:20 · Stand 5A-101, Hall 5A · Brazil – National Police"
        in next(m for m in mailoutbox if m.to == ["admin@aegis.test"]).body
    )
    assert PublishedVisit.objects.get(uid=v1.uid).sequence == 1

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_programme(delegation=show.delegation, actor=organiser)["notified"] == 0
    assert mailoutbox == []


def test_published_visits_are_fixed_for_the_next_run(show, organiser, django_capture_on_commit_callbacks):
    _all_candidates(show)
    _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    services.publish_all(event=show.event, actor=organiser)
    before = set(PublishedVisit.objects.values_list("uid", "stand_id", "start"))
    _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert set(Visit.objects.values_list("uid", "stand_id", "start")) == before


def test_running_late_replans_the_rest_of_the_day_only(
    show, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    _all_candidates(show)
    _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_all(event=show.event, actor=organiser)
    others_before = set(show.other.published_visits.values_list("uid", "stand_id", "start"))
    cut = show.event.local(DAY, time(14, 30))
    morning = set(show.delegation.visits.filter(start__lt=cut).values_list("uid", "stand_id", "start"))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = services.running_late(
            delegation=show.delegation, actor=organiser, day=DAY, not_before=time(14, 30)
        )
    assert out["seconds"] < 2
    assert set(show.other.published_visits.values_list("uid", "stand_id", "start")) == others_before
    assert (
        set(show.delegation.visits.filter(start__lt=cut).values_list("uid", "stand_id", "start")) == morning
    )
    assert show.delegation.visits.count() == 4  # the late afternoon still holds the visits it can
    assert {m.to[0] for m in mailoutbox} <= {"head@br.test", "admin@aegis.test", "admin@bastion.test"}
    assert "head@ke.test" not in {m.to[0] for m in mailoutbox}


def test_running_late_replaces_missed_visits_after_the_ready_time(show, organiser):
    for stand, at in zip(show.stands[:3], (time(10, 5), time(11, 0), time(12, 0)), strict=True):
        candidate(show.delegation, stand)
        services.add_visit(delegation=show.delegation, actor=organiser, stand=stand, day=DAY, start=at)
    services.add_visit(
        delegation=show.other, actor=organiser, stand=show.stands[3], day=DAY, start=time(13, 0)
    )
    services.publish_all(event=show.event, actor=organiser)
    other_before = set(show.other.visits.values_list("uid", "start"))
    # overran the 10:00 visit until 11:30: the 11:00 visit was missed
    out = services.running_late(
        delegation=show.delegation, actor=organiser, day=DAY, not_before=time(11, 30), since=time(10, 30)
    )
    starts = {
        v.stand.number: v.start.astimezone(show.event.tz).time()
        for v in show.delegation.visits.select_related("stand")
    }
    assert starts["5A-101"] == time(10, 5)  # made: kept
    assert starts["5A-102"] >= time(11, 30)  # missed: placed again later
    assert set(show.other.visits.values_list("uid", "start")) == other_before
    assert out["changed_delegations"] == [show.delegation.pk] and out["planner_seconds"] < 2
    assert show.delegation.published_visits.count() == 3  # published again, with the change
    with pytest.raises(DomainError, match="before the delegation is ready"):
        services.running_late(
            delegation=show.delegation, actor=organiser, day=DAY, not_before=time(11, 0), since=time(12, 0)
        )


def test_one_planning_run_at_a_time_and_cancel(show, organiser):
    run = PlanningRun.objects.create(event=show.event, created_by=organiser)
    with pytest.raises(ConflictError, match="already in progress"):
        services.start_planning(event=show.event, actor=organiser, time_limit=1)
    run = services.cancel_planning(run=run, actor=organiser)
    assert run.status == PlanningRun.Status.CANCELLED and run.cancel_requested is True
    assert services.execute_planning(run_id=run.pk).status == PlanningRun.Status.CANCELLED  # not run again
    with pytest.raises(ConflictError):
        services.cancel_planning(run=run, actor=organiser)


def test_a_run_whose_worker_died_does_not_block_planning(show, organiser):
    stale = PlanningRun.objects.create(
        event=show.event,
        created_by=organiser,
        status=PlanningRun.Status.RUNNING,
        time_limit=20,
        started_at=timezone.now() - timedelta(hours=1),
    )
    run = services.start_planning(event=show.event, actor=organiser, time_limit=1)
    stale.refresh_from_db()
    assert stale.status == PlanningRun.Status.FAILED and "worker running this plan stopped" in stale.message
    assert run.pk != stale.pk


def test_cancel_during_the_run_keeps_the_best_plan(show, organiser):
    _all_candidates(show)
    run = PlanningRun.objects.create(
        event=show.event, created_by=organiser, time_limit=30, cancel_requested=True
    )
    run = services.execute_planning(run_id=run.pk)
    assert run.status == PlanningRun.Status.CANCELLED
    assert "best plan found so far" in run.message
    assert Visit.objects.count() == run.stats["written"]


def test_planning_and_editing_need_an_organiser(show, organiser):
    with pytest.raises(NotAllowed):
        services.start_planning(event=show.event, actor=show.head)
    with pytest.raises(NotAllowed):
        services.add_visit(
            delegation=show.delegation, actor=show.head, stand=show.stands[0], day=DAY, start=time(11, 0)
        )
    assert Visit.objects.count() == 0 and PlanningRun.objects.count() == 0


def test_propose_candidates_scores_named_exhibitors_above_sectors(show, organiser):
    cyber = make_sector(show.event, "cyber")
    show.companies[3].sectors.add(cyber)
    show.companies[1].sectors.add(cyber)
    services.add_interest(delegation=show.delegation, actor=show.head, priority=5, sector=cyber)
    services.add_interest(
        delegation=show.delegation, actor=show.head, priority=1, exhibitor=show.companies[0]
    )
    services.add_exclusion(delegation=show.delegation, actor=organiser, company=show.companies[1])
    cands = services.propose_candidates(delegation=show.delegation, actor=organiser)
    scores = {c.stand.number: (c.source, c.score) for c in cands}
    assert scores == {"5A-101": ("exhibitor", 11.0), "5A-104": ("sector", 5.0)}
    assert min(s for src, s in scores.values() if src == "exhibitor") > max(
        s for src, s in scores.values() if src == "sector"
    )
    with pytest.raises(DomainError, match="already listed"):
        services.add_interest(delegation=show.delegation, actor=show.head, priority=2, sector=cyber)
    assert Interest.objects.count() == 2


def test_score_set_by_hand_survives_a_new_proposal(show, organiser):
    services.add_interest(
        delegation=show.delegation, actor=show.head, priority=3, exhibitor=show.companies[0]
    )
    c = services.propose_candidates(delegation=show.delegation, actor=organiser)[0]
    services.update_candidate(candidate=c, actor=organiser, score=99, duration=35, required=True)
    services.propose_candidates(delegation=show.delegation, actor=organiser)
    c = CandidateVisit.objects.get()
    assert (c.score, c.duration, c.required, c.score_adjusted) == (99.0, 35, True, True)


def test_visit_request_accept_makes_a_candidate(
    show, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        req = services.request_visit(
            delegation=show.delegation, actor=show.head, company=show.companies[1], message="Demo?"
        )
    assert [m.to[0] for m in mailoutbox] == ["admin@bastion.test"]
    with pytest.raises(NotAllowed):
        services.answer_request(request=req, actor=show.exhibitor, accept=True)
    services.answer_request(request=req, actor=show.exhibitor2, accept=True)
    assert CandidateVisit.objects.get().source == "request"
    with pytest.raises(ConflictError):
        services.answer_request(request=req, actor=show.exhibitor2, accept=False)


def test_invite_head_sends_an_invitation(show, organiser, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invite_head(delegation=show.delegation, actor=organiser, email="new.head@br.test")
    assert inv.role == "delegation_lead" and inv.organisation_id == show.delegation.organisation_id
    assert [m.to[0] for m in mailoutbox] == ["new.head@br.test"]
    assert OutboxMessage.objects.filter(kind="invitation").count() == 1


def test_set_day_validates_points_and_hours(show, organiser):
    with pytest.raises(DomainError, match="neither an entrance nor a lounge"):
        services.set_day(
            delegation=show.delegation,
            actor=show.head,
            day=DAY,
            start=time(10, 0),
            end=time(12, 0),
            start_point="5A-101",
            end_point="ENTRANCE-5A",
        )
    with pytest.raises(DomainError, match="open from 09:30 to 18:00"):
        services.set_day(
            delegation=show.delegation,
            actor=show.head,
            day=DAY,
            start=time(8, 0),
            end=time(12, 0),
            start_point="ENTRANCE-5A",
            end_point="ENTRANCE-5A",
        )
    day = services.set_day(
        delegation=show.delegation,
        actor=show.head,
        day=DAY,
        start=time(9, 30),
        end=time(12, 0),
        start_point="ENTRANCE-5A",
        end_point="5A-LOUNGE",
    )
    assert (day.start, day.end_point) == (time(9, 30), "5A-LOUNGE")
    assert show.delegation.days.count() == 1


def test_member_cannot_edit_the_delegation(show):
    with pytest.raises(NotAllowed):
        services.add_member(delegation=show.delegation, actor=show.member, name="X")
    with pytest.raises(NotAllowed):
        services.update_delegation(delegation=show.delegation, actor=show.head, internal_notes="hi")
    services.update_delegation(delegation=show.delegation, actor=show.head, languages="pt, en")
    show.delegation.refresh_from_db()
    assert show.delegation.languages == "pt, en" and show.delegation.internal_notes == ""


def test_languages_are_kept_as_codes_of_known_languages(show, organiser):
    services.update_delegation(delegation=show.delegation, actor=show.head, languages="Spanish, AR, es")
    show.delegation.refresh_from_db()
    assert show.delegation.languages == "es, ar"
    with pytest.raises(DomainError) as err:
        services.update_delegation(
            delegation=show.delegation, actor=show.head, languages="Spanish and Arabic please"
        )
    assert (err.value.field, err.value.message) == (
        "languages",
        "Choose the languages from the list (not a language: Spanish and Arabic please).",
    )
    with pytest.raises(DomainError, match=r"^Choose at most 10 languages\.$"):
        services.update_delegation(
            delegation=show.delegation,
            actor=show.head,
            languages="ar, de, en, es, fa, fr, he, hi, id, it, ja",
        )
    show.delegation.refresh_from_db()
    assert show.delegation.languages == "es, ar"
    d = services.register_delegation(
        event=show.event, actor=organiser, official_name="Chile – Carabineros", country="CL", languages="es"
    )
    assert d.languages == "es"


def test_a_members_language_is_a_known_one(show):
    with pytest.raises(DomainError) as err:
        services.add_member(delegation=show.delegation, actor=show.head, name="Ana", language="Portuguese")
    assert (err.value.field, err.value.message) == ("language", "Choose the language from the list.")
    assert show.delegation.members.count() == 0
    member = services.add_member(delegation=show.delegation, actor=show.head, name="Ana", language="PT")
    assert member.language == "pt"
    with pytest.raises(DomainError):
        services.update_member(member=member, actor=show.head, language="klingon")
    member.refresh_from_db()
    assert member.language == "pt"


def test_fixed_visits_are_passed_with_their_key(show, organiser):
    _all_candidates(show)
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    built = build_problem(show.event)
    assert built.fixed == [
        {
            "delegation": delegation_key(show.delegation.pk),
            "day": "2025-11-18",
            "stand": "5A-101",
            "start": 660.0,
        }
    ]


def test_lunch_break_follows_the_show_rules_and_the_delegations_own_length(show, organiser):
    _all_candidates(show)
    ProgrammeRules.objects.create(
        event=show.event, lunch_minutes=60, lunch_from=time(12, 30), lunch_until=time(14, 30)
    )
    services.update_delegation(delegation=show.other, actor=organiser, lunch_minutes=0)

    data = build_problem(show.event).data

    lunches = {d["id"]: [v for v in d["visits"] if v.get("kind") == "lunch"] for d in data["delegations"]}
    assert lunches[delegation_key(show.delegation.pk)] == [
        {
            "stand": "LUNCH:2025-11-18:5A-LOUNGE",
            "score": 0.001,
            "duration": 60.0,
            "required": True,
            "kind": "lunch",
        }
    ]
    assert lunches[delegation_key(show.other.pk)] == []
    assert data["stands"][-1]["windows"] == [{"day": "2025-11-18", "open": 750.0, "close": 870.0}]
    assert data["rules"] == {
        "grid_minutes": 5,
        "buffer_minutes": 5,
        "lunch_minutes": 60,
        "lunch_from": 750,
        "lunch_until": 870,
    }


def test_running_late_keeps_or_moves_the_lunch_break_within_the_lunch_period(
    show, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    _all_candidates(show)
    _plan(show, organiser, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_all(event=show.event, actor=organiser)
    day = DelegationDay.objects.get(delegation=show.delegation)
    assert day.lunch_start is not None
    head_mail = next(m for m in mailoutbox if m.to == ["head@br.test"])
    assert (
        f"Lunch break: Tuesday 18 November {day.lunch_start:%H:%M}–{day.lunch_end:%H:%M} · VIP lounge"
        in head_mail.body
    )

    # late until 12:02 (not on the grid): the rest of the day starts at 12:05 at the earliest
    with django_capture_on_commit_callbacks(execute=True):
        services.running_late(
            delegation=show.delegation, actor=organiser, day=DAY, not_before=time(12, 2), since=time(11, 0)
        )

    day.refresh_from_db()
    assert time(12, 0) <= day.lunch_start and day.lunch_end <= time(14, 0)
    local = [
        (v.start.astimezone(show.event.tz).time(), v.end.astimezone(show.event.tz).time())
        for v in show.delegation.visits.all()
    ]
    assert all(s.minute % 5 == 0 for s, _e in local)
    assert all(e <= day.lunch_start or s >= day.lunch_end for s, e in local)
    assert all(s < time(11, 0) or s >= time(12, 5) for s, _e in local)
