from __future__ import annotations

import pytest

from exhibition.floorplans.models import Stand
from tests import factories
from tests.factories.booking import approve, make_exhibitor, make_stand


@pytest.fixture
def hall(event):
    return factories.make_hall(event, "5A", width=2000, depth=80)


@pytest.fixture
def stand(event, hall):
    """12 m² shell scheme corner stand: 12 x 520 = 6,240.00 + 5 % = 6,552.00 net."""
    return make_stand(event, "5A-001", hall=hall, width=3, depth=4, open_sides=Stand.OpenSides.CORNER)


@pytest.fixture
def stand2(event, hall):
    return make_stand(event, "5A-002", hall=hall, width=3, depth=3)


@pytest.fixture
def rival(event):
    return make_exhibitor(event, "Bastion Optics", email="admin@bastion.test")


@pytest.fixture
def company(event):
    """Aegis Systems, approved, asking for a 12 m² shell scheme stand."""
    org = factories.make_company(event, "Aegis Systems")
    approve(org)
    return org
