from __future__ import annotations

import pytest

from tests.factories.delegations import make_show


@pytest.fixture
def show(event, organiser):
    return make_show(event)
