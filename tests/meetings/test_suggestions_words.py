"""Suggestions read the directory's words from a per-process copy keyed by who is in the directory
and the last profile edit: a profile edited, a new participant or one leaving is seen at once."""

from __future__ import annotations

import pytest

from exhibition.accounts import admission
from exhibition.accounts.models import TradeVisitor
from exhibition.meetings import selectors, services
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _names(event, me):
    return [s.participant.name for s in selectors.suggestions(event, me)]


def test_suggestions_follow_profile_edits_arrivals_and_departures(event):
    me = f.visitor(event, seek="counter-drone radar")
    radar = f.exhibitor(event, "Radar Co", offer="Catering")
    assert _names(event, me) == []

    services.update_profile(participant=radar, actor=f.actor_of(radar), offer="Long range radar")
    assert _names(event, me) == ["Radar Co"]

    f.exhibitor(event, "Drone Stop", offer="Counter-drone jammers and radar")
    assert _names(event, me) == ["Drone Stop", "Radar Co"]

    services.update_profile(participant=radar, actor=f.actor_of(radar), opted_in=False)
    assert _names(event, me) == ["Drone Stop"]


def test_suggestions_follow_admission_and_vetting(event, organiser):
    me = f.exhibitor(event, "Radar Co", offer="Long range radar")
    buyer = f.visitor(event, status=TradeVisitor.Status.PENDING, seek="radar for border patrol")
    buyer.name = "Border buyer"
    buyer.save()
    assert _names(event, me) == []  # not vetted yet: not in the directory

    admission.set_visitor_status(visitor=buyer.visitor, actor=organiser, approve=True)
    assert _names(event, me) == ["Border buyer"]
    admission.set_visitor_status(visitor=buyer.visitor, actor=organiser, approve=False)
    assert _names(event, me) == []

    rival = f.exhibitor(event, "Rival Co", seek="Radar parts")
    assert _names(event, me) == ["Rival Co"]
    admission.revoke_organisation(organisation=rival.organisation, actor=organiser, reason="Screening")
    assert _names(event, me) == []


def test_suggestions_leave_out_whom_you_already_asked(event):
    me = f.visitor(event, seek="counter-drone radar")
    radar = f.exhibitor(event, "Radar Co", offer="Long range radar")
    drone = f.exhibitor(event, "Drone Stop", offer="Counter-drone jammers")
    assert _names(event, me) == ["Drone Stop", "Radar Co"] or _names(event, me) == ["Radar Co", "Drone Stop"]
    services.request_meeting(actor=me.user, sender=me, recipient=radar)
    assert _names(event, me) == ["Drone Stop"]
    assert drone.pk != radar.pk
