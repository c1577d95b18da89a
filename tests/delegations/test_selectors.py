"""Selectors of the delegation screens that carry a decision of their own: the programme that a
read never creates, the feed's programme before anything was planned, the scoped fetches."""

from __future__ import annotations

from datetime import time

import pytest
from django.http import Http404

from exhibition.delegations import selectors, services
from exhibition.delegations.models import HostingWindow, PlanningRun, Programme
from tests.factories.delegations import DAY

pytestmark = pytest.mark.django_db


def test_programme_of_is_an_unsaved_empty_one_until_planned_or_published(show, organiser):
    programme = selectors.programme_of(show.delegation)
    assert (programme.pk, programme.delegation, programme.published_at) == (None, show.delegation, None)
    assert Programme.objects.count() == 0
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11)
    )
    services.publish_programme(delegation=show.delegation, actor=organiser)
    programme = selectors.programme_of(show.delegation)
    assert programme.pk is not None and programme.published_at is not None


def test_programme_of_delegations_falls_back_to_the_first_delegation(show, organiser):
    ids = sorted([show.other.organisation_id, show.delegation.organisation_id])
    assert selectors.programme_of_delegations([]) is None
    first = selectors.programme_of_delegations(ids)
    assert first.pk is None and first.delegation.organisation_id == ids[0]
    Programme.objects.create(
        delegation=show.other if show.other.organisation_id == ids[1] else show.delegation
    )
    found = selectors.programme_of_delegations(ids)
    assert found.pk is not None and found.delegation.organisation_id == ids[1]


def test_hosting_windows_for_event_keep_only_the_given_companies(show):
    a, b = show.companies[0], show.companies[1]
    wa = HostingWindow.objects.create(event=show.event, organisation=a, date=DAY, start=time(9), end=time(12))
    wb = HostingWindow.objects.create(event=show.event, organisation=b, date=DAY, start=time(9), end=time(12))
    assert list(selectors.hosting_windows_for_event(show.event)) == sorted(
        [wa, wb], key=lambda w: w.organisation_id
    )
    assert list(selectors.hosting_windows_for_event(show.event, {b.pk})) == [wb]
    assert list(selectors.hosting_windows_for_event(show.event, set())) == []
    assert selectors.hosting_window_of_company(a, wa.pk) == wa
    with pytest.raises(Http404):
        selectors.hosting_window_of_company(a, wb.pk)


def test_visits_are_fetched_within_their_delegation(show, organiser):
    v = services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11)
    )
    assert selectors.visit_of_delegation(show.delegation, v.pk) == v
    assert selectors.visit_of_delegation(show.delegation, None) is None
    assert selectors.visit_of_delegation(show.delegation, "") is None
    assert selectors.visit_of_delegation(show.other, v.pk) is None
    with pytest.raises(Http404):
        selectors.visit_in_delegation(show.other, v.pk)
    with pytest.raises(Http404):
        selectors.member_of_delegation(show.delegation, None)


def test_planning_run_in_event_404s_for_another_events(show, other_event):
    run = PlanningRun.objects.create(event=other_event)
    with pytest.raises(Http404):
        selectors.planning_run_in_event(show.event, run.pk)
    assert selectors.planning_run_in_event(other_event, run.pk) == run
