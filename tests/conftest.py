"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from tests import factories


def require_services(what: str) -> None:
    """Skip visibly when a real service is missing; fail instead under REQUIRE_SERVICES=1."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request handled in French (the
    LocaleMiddleware activates it for the thread) must not leak into the next test of the worker."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Sign-in lockouts and rate limits are counted per address: every test starts afresh."""
    caches["ratelimit"].clear()
    yield


@pytest.fixture
def postgres(db):
    """Only on the real PostgreSQL."""
    if connection.vendor != "postgresql":
        require_services("PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def event(db):
    return factories.make_event("milipol-test", name="Milipol Test")


@pytest.fixture
def other_event(db):
    return factories.make_event("other-show", name="Other Show")


@pytest.fixture
def organiser(event):
    return factories.make_organiser(event, email="org@example.test")


@pytest.fixture
def company(event):
    return factories.make_company(event, "Aegis Systems")


@pytest.fixture
def company_admin(company):
    return factories.make_member(company, "admin", email="admin@aegis.test")


@pytest.fixture
def mail_outbox(mailoutbox):
    return mailoutbox
