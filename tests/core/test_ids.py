"""Ids typed into URLs and forms: anything that is not one is ignored, never a server error."""

from __future__ import annotations

import pytest

from exhibition.core.ids import as_id
from tests import factories


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (7, 7),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("0", None),
        ("", None),
        (None, None),
        ("1e3", None),
        ("9" * 25, None),
        (str(2**63), None),
    ],
)
def test_as_id(typed, expected):
    assert as_id(typed) == expected


@pytest.mark.django_db
def test_directory_and_its_api_ignore_an_impossible_pavilion(client, event):
    factories.make_hall(event)
    huge = "9" * 23
    assert client.get(f"/{event.slug}/exhibitors/?pavilion={huge}").status_code == 200
    assert client.get(f"/{event.slug}/exhibitors/?pavilion=²").status_code == 200
    user = factories.make_user()
    client.force_login(user)
    response = client.get(f"/api/v1/events/{event.slug}/directory/?pavilion={huge}")
    assert response.status_code in (200, 403)
