from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories.accreditation import make_site


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def site(event, organiser):
    return make_site(event, organiser)


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, set by the test (the gates decide by the time of day)."""

    class Clock:
        def set(self, when):
            monkeypatch.setattr(timezone, "now", lambda: when)
            return when

    return Clock()
