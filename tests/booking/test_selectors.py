"""Booking reads the pages and the API fetch through: stands by number, companies by id."""

from __future__ import annotations

import pytest
from django.http import Http404

from exhibition.booking import selectors
from tests import factories

pytestmark = pytest.mark.django_db


def test_stand_named_takes_the_number_as_typed(event, other_event, stand):
    factories.make_hall(other_event, "5A")

    assert selectors.stand_named(event, "  5a-001 ") == stand
    assert selectors.stand_named(event, "5A-001") == stand
    assert selectors.stand_named(event, "5A-999") is None
    assert selectors.stand_named(event, None) is None
    assert selectors.stand_named(other_event, "5A-001") is None


def test_stand_numbered_takes_the_exact_number_or_404(event, other_event, stand):
    assert selectors.stand_numbered(event, "5A-001") == stand
    for event_, number in ((event, "5a-001"), (event, "5A-999"), (other_event, "5A-001")):
        with pytest.raises(Http404):
            selectors.stand_numbered(event_, number)


def test_company_of_event_is_an_exhibiting_company_of_this_event(event, other_event, company):
    delegation = factories.make_delegation(event, "Delegation of Brazil")
    elsewhere = factories.make_company(other_event, "Elsewhere Ltd")

    assert selectors.company_of_event(event, company.pk) == company
    assert selectors.company_of_event(event, delegation.pk) is None
    assert selectors.company_of_event(event, elsewhere.pk) is None
