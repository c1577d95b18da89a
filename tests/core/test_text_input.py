"""Text that cannot be stored (a NUL byte, which PostgreSQL refuses; a lone surrogate, which is not
UTF-8) is bad input wherever it comes in: a 400, never a database error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from exhibition.exhibitors.models import Application
from tests import factories
from tests.factories.exhibitors import make_application

pytestmark = pytest.mark.django_db


def api(event, path):
    return f"/api/v1/events/{event.slug}/{path}"


@pytest.mark.parametrize("field", ["sectors", "preferred_halls"])
def test_a_nul_byte_in_an_application_relation_is_a_400(client, event, company, company_admin, field):
    factories.make_sector(event, "cyber")
    factories.make_hall(event, "5A")
    app = make_application(event, company)
    client.force_login(company_admin)

    response = client.patch(
        api(event, f"applications/{app.pk}/"), {field: ["cy\x00ber"]}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    assert list(getattr(Application.objects.get(pk=app.pk), field).all()) == []


def test_a_lone_surrogate_in_json_is_a_400(client, event, company, company_admin):
    app = make_application(event, company)
    client.force_login(company_admin)

    response = client.patch(
        api(event, f"applications/{app.pk}/"),
        '{"products": "radios \\ud800"}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert Application.objects.get(pk=app.pk).products == "Encrypted radios"


@pytest.mark.parametrize(
    "path",
    [
        "stands/?hall=%00",
        "stands/5A%00/",
        "features/%00/",
        "route/?from=%00&to=A",
        "directory/?q=a%00b",
        "applications/?country=%00",
    ],
)
def test_a_nul_byte_in_a_path_or_query_is_a_400(client, event, organiser, path):
    client.force_login(organiser)

    response = client.get(api(event, path))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_character"


def test_a_nul_byte_in_a_page_form_is_a_400(client, event, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("floorplans:stand_create", kwargs={"event_slug": event.slug}),
        {"number": "A\x001", "hall": "1", "x": "1", "y": "1", "width": "3", "depth": "3"},
    )
    search = client.get(reverse("floorplans:overview", kwargs={"event_slug": event.slug}) + "?q=%00")

    assert response.status_code == 400 and search.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_an_api_form_body_is_a_400(client, event, organiser):
    client.force_login(organiser)

    response = client.post(api(event, "screening/"), {"csv": "name\nA\x00B\n"})

    assert response.status_code == 400
