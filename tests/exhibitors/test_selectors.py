"""Selectors of exhibitors that carry logic: the API's application filters, the company and
object fetches that 404 outside their scope."""

import pytest
from django.http import Http404

from exhibition.exhibitors import selectors
from exhibition.exhibitors.models import Application, BadgeRequest
from tests import factories
from tests.factories.exhibitors import make_application

pytestmark = pytest.mark.django_db


def test_applications_listed_for_narrows_by_state_country_and_sector():
    event = factories.make_event()
    organiser = factories.make_organiser(event)
    cyber = factories.make_sector(event, "cyber")
    fr = make_application(event, state=Application.State.SUBMITTED, country="FR", sectors=[cyber])
    de = make_application(event, state=Application.State.SUBMITTED, country="DE")
    draft = make_application(event, state=Application.State.DRAFT, country="FR")

    def pks(**filters):
        return sorted(a.pk for a in selectors.applications_listed_for(event, organiser, **filters))

    assert pks(state=Application.State.SUBMITTED) == sorted([fr.pk, de.pk])
    assert pks(country="fr", state=Application.State.SUBMITTED) == [fr.pk]
    assert pks(sector="cyber") == [fr.pk]
    assert draft.pk in pks(country="FR")


def test_company_at_is_the_events_company_only():
    event, other = factories.make_event(), factories.make_event()
    company = factories.make_company(event)
    delegation = factories.make_delegation(event)
    assert selectors.company_at(event, company.pk) == company
    assert selectors.company_at(other, company.pk) is None
    assert selectors.company_at(event, delegation.pk) is None


def test_badge_of_another_company_is_a_404():
    event = factories.make_event()
    a, b = factories.make_company(event), factories.make_company(event)
    badge = BadgeRequest.objects.create(event=event, organisation=a, name="Ada Lovelace")
    assert selectors.badge_of(a, badge.pk) == badge
    with pytest.raises(Http404):
        selectors.badge_of(b, badge.pk)
