"""GET never writes: every page of every role, read on the demo show, leaves the database as it was
(no INSERT, UPDATE or DELETE), so that a crawler, a prefetching browser or a reload changes nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exhibition.events.demo import DEMO_LOGINS
from tests.e2e.test_a11y import _urls
from tests.support.demo import demo_show

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)


def test_every_get_of_every_role_leaves_the_database_unchanged(client):
    show = demo_show()
    writes: list[str] = []
    for role, urls in _urls(show).items():
        client.logout()
        if role != "anonymous":
            client.force_login(show.users[role] if role in show.users else _user(DEMO_LOGINS[role]))
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code in (200, 302), (role, url, response.status_code)
            writes += [
                f"{role} GET {url}: {q['sql'][:160]}"
                for q in ctx.captured_queries
                if WRITE.match(q["sql"]) and "django_session" not in q["sql"]
            ]
    assert writes == [], "\n".join(writes)


def _user(email):
    return get_user_model().objects.get(email=email)
