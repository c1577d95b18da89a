"""What the API fuzzer found, each pinned by a test: responses that broke the published schema
(times declared as RFC 3339 ``time`` but returned without an offset, fields returned as null but not
declared nullable, suggestions returned as a list but declared an object) and a blocking accepted in
the year 409. Responses are checked against /api/schema/ as a client would."""

from __future__ import annotations

import json
from datetime import time

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient
from schemathesis import Response

from exhibition.delegations import services as delegation_services
from exhibition.events.models import Sector
from exhibition.meetings import services as meeting_services
from exhibition.meetings.models import PlaceBlocking
from tests.factories import meetings as mf
from tests.factories.delegations import DAY, make_show

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def published():
    """The schema as /api/schema/ publishes it (schemathesis loads and resolves it)."""
    spec = SchemaGenerator().get_schema(request=None, public=True)

    return schemathesis.openapi.from_dict(json.loads(JSONRenderer().render(spec)))


def conforms(published, method: str, template: str, response) -> None:
    """Raises (with the violations) if ``response`` breaks the schema of ``method template``."""
    wire = Response(
        status_code=response.status_code,
        headers={k: [v] for k, v in response.headers.items()},
        content=response.content,
        encoding="utf-8",
        elapsed=0.0,
        message="",
        http_version="1.1",
        verify=True,
        request=requests.Request(
            method, "http://testserver" + response.wsgi_request.get_full_path()
        ).prepare(),
    )
    published[template][method].validate_response(wire)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_times_of_day_are_documented_as_the_local_times_they_are(published, event, organiser):
    response = api(organiser).get(f"/api/v1/events/{event.slug}/")

    assert response.json()["days"][0]["opens_at"] == "09:30:00"
    conforms(published, "GET", "/api/v1/events/{event_slug}/", response)
    schema = published.raw_schema["components"]["schemas"]["ShowDay"]["properties"]["opens_at"]
    assert "format" not in schema and schema["pattern"].startswith("^([01][0-9]|2[0-3])")


def test_hosting_windows_and_tables_with_seconds_conform(published, event, organiser):
    show = make_show(event)
    delegation_services.add_hosting_window(
        company=show.companies[0], actor=organiser, day=DAY, start=time(9, 30), end=time(13, 0)
    )
    windows = api(organiser).get(f"/api/v1/events/{event.slug}/hosting-windows/")
    table = api(organiser).post(
        f"/api/v1/events/{event.slug}/meetings/tables/",
        {"kind": "table", "name": "T9", "opens_at": "08:27:02.996237"},
        format="json",
    )

    assert table.status_code == 201
    conforms(published, "GET", "/api/v1/events/{event_slug}/hosting-windows/", windows)
    conforms(published, "POST", "/api/v1/events/{event_slug}/meetings/tables/", table)


def test_fields_that_may_be_null_are_declared_nullable(published, event, organiser):
    show = make_show(event)
    delegation_services.add_interest(
        delegation=show.delegation, actor=organiser, priority=3, exhibitor=show.companies[0]
    )
    exhibitor, visitor = mf.exhibitor(event, instant=True), mf.visitor(event)
    meeting_services.book_instantly(
        actor=visitor.user, sender=visitor, recipient=exhibitor, start=mf.at(event, 1, "10:00")
    )
    other = mf.exhibitor(event)
    meeting_services.request_meeting(actor=visitor.user, sender=visitor, recipient=other, message="Hello")
    client = api(visitor.user)

    interests = api(organiser).get(f"/api/v1/events/{event.slug}/delegations/{show.delegation.pk}/interests/")
    participants = client.get(f"/api/v1/events/{event.slug}/meetings/participants/")
    meetings = client.get(f"/api/v1/events/{event.slug}/meetings/meetings/")
    pending = client.get(f"/api/v1/events/{event.slug}/meetings/requests/?box=sent")
    profile = client.get(f"/api/v1/events/{event.slug}/meetings/profile/")

    assert interests.json()[0]["sector"] is None
    assert None in [p["stand"] for p in participants.json()["results"]]
    assert meetings.json()["results"][0]["place_name"] is None
    assert None in [r["meeting"] for r in pending.json()["results"]]
    for template, response in (
        ("/api/v1/events/{event_slug}/delegations/{id}/interests/", interests),
        ("/api/v1/events/{event_slug}/meetings/participants/", participants),
        ("/api/v1/events/{event_slug}/meetings/meetings/", meetings),
        ("/api/v1/events/{event_slug}/meetings/requests/", pending),
        ("/api/v1/events/{event_slug}/meetings/profile/", profile),
    ):
        conforms(published, "GET", template, response)


def test_suggestions_are_documented_as_the_list_they_are(published, event):
    cyber = Sector.objects.create(event=event, code="cyber", name_en="Cyber", name_fr="Cyber")
    visitor = mf.visitor(event, seek="counter-drone systems")
    visitor.sectors.add(cyber)
    match = mf.exhibitor(event, "Drone Guard", offer="Counter-drone systems")
    match.sectors.add(cyber)

    response = api(visitor.user).get(f"/api/v1/events/{event.slug}/meetings/suggestions/")

    assert [s["participant"]["name"] for s in response.json()] == ["Drone Guard"]
    conforms(published, "GET", "/api/v1/events/{event_slug}/meetings/suggestions/", response)


def test_a_blocking_outside_the_show_is_a_field_error(event, organiser):
    table = mf.table(event, "T1")
    url = f"/api/v1/events/{event.slug}/meetings/tables/{table.pk}/blockings/"

    ancient = api(organiser).post(
        url, {"start": "0409-06-24T19:08:53+00:09", "end": "1663-03-08T03:45:08Z"}, format="json"
    )
    inside = api(organiser).post(
        url,
        {"start": "2025-11-18T12:00:00+01:00", "end": "2025-11-18T13:00:00+01:00", "reason": "Lunch"},
        format="json",
    )

    assert (ancient.status_code, list(ancient.json())) == (400, ["start"])
    assert "within the show's days" in ancient.json()["start"][0]
    assert inside.status_code == 201
    assert list(PlaceBlocking.objects.values_list("reason", flat=True)) == ["Lunch"]
