from __future__ import annotations

import pytest
from django.utils import translation

from tests.factories.delegations import make_show


@pytest.fixture
def show(event, organiser):
    return make_show(event)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A page asked for in French leaves French active in the thread (the locale middleware does
    not undo it); the next test that writes words without a request would read them in French."""
    yield
    translation.deactivate()
