from __future__ import annotations

from datetime import time

import pytest

from exhibition.delegations import services as delegation_services
from exhibition.meetings.models import Participant
from tests.factories import meetings as f
from tests.factories.delegations import make_show


@pytest.fixture
def lunching_delegation(event, organiser):
    """A delegation whose published programme has a stand visit at 11:00 and lunch 13:05–13:50
    on day 1 (in the VIP lounge): (the delegation show, its meeting participant, an exhibitor)."""
    show = make_show(event)
    day = show.delegation.days.get()
    day.lunch_start, day.lunch_end, day.lunch_place = time(13, 5), time(13, 50), "5A-LOUNGE"
    day.save()
    delegation_services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[1], day=day.date, start=time(11)
    )
    delegation_services.publish_programme(delegation=show.delegation, actor=organiser)
    dele = Participant.objects.get(event=event, organisation=show.delegation.organisation)
    return show, dele, f.exhibitor_of(show.companies[0])
