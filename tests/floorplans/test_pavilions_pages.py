"""National pavilions, from the pages and the API: everyone who sees the plan reads them,
organisers also read the contacts and add, change and remove them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from exhibition.core.models import AuditLogEntry
from exhibition.floorplans import services
from exhibition.floorplans.models import Pavilion, Stand
from tests import factories
from tests.factories.floorplans import make_pavilion, make_stand
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def url(name, event, **kw):
    return reverse(f"floorplans:{name}", kwargs={"event_slug": event.slug, **kw})


@pytest.fixture
def hall(event):
    return factories.make_hall(event, "5A", width=60, depth=40)


NEW = {
    "name": "German Pavilion",
    "country": "DE",
    "colour": "#112233",
    "contact_name": "Anna Weber",
    "contact_email": "anna@gtai.test",
}


# --- pages ------------------------------------------------------------------------------------------


def test_organiser_adds_edits_and_removes_a_pavilion(client, event, organiser, hall):
    client.force_login(organiser)

    created = client.post(url("pavilion_create", event), NEW)

    assert created.status_code == 302 and created["Location"] == url("pavilions", event)
    pavilion = Pavilion.objects.get()
    assert (pavilion.name, pavilion.country.code, pavilion.colour, pavilion.contact_email) == (
        "German Pavilion",
        "DE",
        "#112233",
        "anna@gtai.test",
    )
    make_stand(event, hall, "5A-1", 0, 0, pavilion=pavilion)
    make_stand(event, hall, "5A-2", 3, 0, pavilion=pavilion)

    edited = client.post(
        url("pavilion_edit", event, pk=pavilion.pk), {**NEW, "name": "Germany", "colour": "#445566"}
    )

    assert edited.status_code == 302
    pavilion.refresh_from_db()
    assert (pavilion.name, pavilion.colour) == ("Germany", "#445566")
    entry = AuditLogEntry.objects.get(action="pavilion.changed")
    assert entry.data["changes"] == {"name": ["German Pavilion", "Germany"], "colour": ["#112233", "#445566"]}

    delete = url("pavilion_delete", event, pk=pavilion.pk)
    assert "Its 2 stands stay on the plan, without a pavilion." in client.get(delete).content.decode()
    removed = client.post(delete)

    assert removed.status_code == 302
    assert not Pavilion.objects.exists()
    assert list(Stand.objects.order_by("number").values_list("number", "pavilion", "version")) == [
        ("5A-1", None, 2),
        ("5A-2", None, 2),
    ]
    assert AuditLogEntry.objects.get(action="pavilion.deleted").data == {"stands": 2}


def test_pavilion_list_shows_country_colour_contact_and_stands(client, event, organiser, hall, company):
    pavilion = services.create_pavilion(event=event, actor=None, **NEW)
    make_pavilion(event, "Pavillon France", country="FR")
    make_stand(event, hall, "5A-1", 0, 0, pavilion=pavilion)
    client.force_login(organiser)

    html = squash(client.get(url("pavilions", event)).content.decode())
    with translation.override("fr"):
        french = squash(client.get(url("pavilions", event), HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    assert '<th scope="row">German Pavilion</th><td>Germany</td>' in html
    assert 'fill="#112233"' in html
    assert "Anna Weber" in html and 'href="mailto:anna@gtai.test"' in html
    assert '<td class="num">1</td>' in html and '<td class="num">0</td>' in html
    assert url("pavilion_edit", event, pk=pavilion.pk) in html
    assert "<td>Allemagne</td>" in french

    client.force_login(factories.make_member(company, "admin"))
    theirs = squash(client.get(url("pavilions", event)).content.decode())
    assert '<th scope="row">German Pavilion</th><td>Germany</td>' in theirs
    assert "Anna Weber" not in theirs and "anna@gtai.test" not in theirs
    assert url("pavilion_edit", event, pk=pavilion.pk) not in theirs


def test_overview_links_to_the_pavilions_for_organisers(client, event, organiser, hall):
    client.force_login(organiser)
    assert url("pavilions", event) in client.get(url("overview", event)).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "german pavilion"}, "name", "A pavilion with this name exists."),
        ({"colour": "red"}, "colour", "Enter a colour as #rrggbb"),
        ({"country": "XX"}, "country", "Select a valid choice."),
        ({"contact_email": "not-an-address"}, "contact_email", "Enter a valid email address."),
        ({"name": "x" * 151}, "name", "at most 150 characters"),
    ],
)
def test_bad_pavilion_input_is_a_field_error_and_writes_nothing(
    client, event, organiser, changes, field, message
):
    make_pavilion(event, "German Pavilion")
    client.force_login(organiser)

    response = client.post(url("pavilion_create", event), {**NEW, **changes})

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert Pavilion.objects.count() == 1


@pytest.mark.parametrize("who", ["exhibitor", "other_organiser"])
def test_others_may_not_change_pavilions(client, event, other_event, company, who):
    pavilion = make_pavilion(event, "German Pavilion")
    user = (
        factories.make_member(company, "admin")
        if who == "exhibitor"
        else factories.make_organiser(other_event)
    )
    client.force_login(user)
    pages = [
        url("pavilion_create", event),
        url("pavilion_edit", event, pk=pavilion.pk),
        url("pavilion_delete", event, pk=pavilion.pk),
    ]

    assert [client.get(p).status_code for p in pages] == [403] * 3
    assert [client.post(p, {**NEW, "name": "Taken"}).status_code for p in pages] == [403] * 3
    assert list(Pavilion.objects.values_list("name", flat=True)) == ["German Pavilion"]


def test_anonymous_is_sent_to_sign_in_for_pavilions(client, event):
    response = client.post(url("pavilion_create", event), NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Pavilion.objects.exists()


def test_unknown_pavilion_is_404(client, event, other_event, organiser):
    theirs = make_pavilion(other_event, "Elsewhere")
    client.force_login(organiser)
    assert client.get(url("pavilion_edit", event, pk=theirs.pk)).status_code == 404
    assert client.post(url("pavilion_delete", event, pk=theirs.pk)).status_code == 404
    assert Pavilion.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("n", [1, 3])
def test_pavilion_list_query_count_is_the_same_for_1_and_3(
    client, event, organiser, n, django_assert_num_queries
):
    for i in range(n):
        make_pavilion(event, f"Pavilion {i}")
    client.force_login(organiser)
    client.get(url("pavilions", event))

    with django_assert_num_queries(7):
        response = client.get(url("pavilions", event))

    assert squash(response.content.decode()).count('<th scope="row">Pavilion ') == n


# --- API --------------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def api_url(event, path=""):
    return f"/api/v1/events/{event.slug}/pavilions/{path}"


def test_api_adds_reads_changes_and_removes_a_pavilion(api, event, organiser, hall):
    api.force_authenticate(organiser)

    created = api.post(api_url(event), NEW, format="json")
    pk = created.json()["id"]
    make_stand(event, hall, "5A-1", 0, 0, pavilion=Pavilion.objects.get(pk=pk))
    changed = api.patch(api_url(event, f"{pk}/"), {"country": "AT", "contact_email": ""}, format="json")
    read = api.get(api_url(event, f"{pk}/"))

    assert created.status_code == 201
    assert created.json() == {"id": pk, **NEW, "name_fr": ""}
    assert changed.status_code == 200
    assert read.json() == {**NEW, "id": pk, "name_fr": "", "country": "AT", "contact_email": ""}
    assert api.delete(api_url(event, f"{pk}/")).status_code == 204
    assert not Pavilion.objects.exists()
    assert Stand.objects.get().pavilion is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": ["German"]}, "name"),
        ({"name": "GERMAN PAVILION"}, "name"),
        ({"colour": "#12345"}, "colour"),
        ({"colour": 123456}, "colour"),
        ({"country": "ZZ"}, "country"),
        ({"country": "DEU"}, "country"),
        ({"contact_email": "nope"}, "contact_email"),
    ],
)
def test_api_bad_pavilion_is_400_on_its_field_and_writes_nothing(api, event, organiser, body, field):
    make_pavilion(event, "German Pavilion")
    api.force_authenticate(organiser)

    response = api.post(api_url(event), {**NEW, "name": "Austria", **body}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert list(Pavilion.objects.values_list("name", flat=True)) == ["German Pavilion"]


def test_api_pavilions_for_others(api, event, company):
    pavilion = services.create_pavilion(event=event, actor=None, **NEW)
    assert api.get(api_url(event)).status_code == 401
    assert api.post(api_url(event), {"name": "X"}, format="json").status_code == 401
    api.force_authenticate(factories.make_member(company, "admin"))

    listed = api.get(api_url(event))
    read = api.get(api_url(event, f"{pavilion.pk}/"))
    statuses = (
        api.post(api_url(event), {"name": "X"}, format="json").status_code,
        api.patch(api_url(event, f"{pavilion.pk}/"), {"name": "Y"}, format="json").status_code,
        api.delete(api_url(event, f"{pavilion.pk}/")).status_code,
    )

    public = {
        "id": pavilion.pk,
        "name": "German Pavilion",
        "name_fr": "",
        "country": "DE",
        "colour": "#112233",
    }
    assert listed.json()["results"] == [public]
    assert read.json() == public
    assert statuses == (403, 403, 403)
    assert list(Pavilion.objects.values_list("name", flat=True)) == ["German Pavilion"]


def test_api_array_body_and_unknown_id(api, event, organiser):
    api.force_authenticate(organiser)
    assert api.post(api_url(event), [NEW], format="json").status_code == 400
    assert api.get(api_url(event, "abc/")).status_code == 404
    assert api.get(api_url(event, "99999999999999999999/")).status_code == 404
    assert not Pavilion.objects.exists()
