"""Suggestions read the directory's words from a per-process copy keyed by who is in the directory
and the last profile edit: a profile edited, a new participant or one leaving is seen at once."""

from __future__ import annotations

import pytest

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
