"""The show's set-up through the API: a new show (platform staff), its details, days, halls and
sectors. The same services and rules as the set-up pages: organisers read, organiser admins
write; a change that would strand a meeting, a stand or a profile is a 409 that changes nothing;
bad input is a 400 naming its field, never a 500."""

from __future__ import annotations

from datetime import date, time

import pytest
from rest_framework.test import APIClient

from exhibition.accounts.models import EventStaff
from exhibition.core.models import AuditLogEntry
from exhibition.events.models import Event, Hall, Sector, ShowDay
from exhibition.meetings import services as meeting_services
from tests import factories
from tests.factories import meetings as mf
from tests.factories.floorplans import make_stand

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(event, rest: str = "") -> str:
    return f"/api/v1/events/{event.slug}/{rest}"


@pytest.fixture
def staff_organiser(event):
    return factories.make_organiser(event, role=EventStaff.Role.STAFF, email="staff@example.test")


# --- a new show -----------------------------------------------------------------------------------

NEW_SHOW = {
    "slug": "Eurosatory-2026",
    "name": "Eurosatory 2026",
    "venue": "Paris Nord Villepinte",
    "city": "Villepinte",
    "country": "fr",
    "time_zone": "Europe/Paris",
    "currency": "eur",
    "first_day": "2026-06-15",
    "days": 3,
    "opens": "09:00",
    "closes": "18:30",
}


def test_platform_staff_opens_a_show_and_becomes_its_organiser_admin(db):
    operator = factories.make_user(is_staff=True)

    response = api(operator).post("/api/v1/events/", NEW_SHOW, format="json")

    assert response.status_code == 201, response.json()
    event = Event.objects.get(slug="eurosatory-2026")
    body = response.json()
    assert {k: body[k] for k in ("slug", "name", "city", "country", "currency", "is_public", "my_roles")} == {
        "slug": "eurosatory-2026",
        "name": "Eurosatory 2026",
        "city": "Villepinte",
        "country": "FR",
        "currency": "EUR",
        "is_public": False,
        "my_roles": ["organiser_admin"],
    }
    assert [(d["date"], d["opens_at"], d["closes_at"]) for d in body["days"]] == [
        ("2026-06-15", "09:00:00", "18:30:00"),
        ("2026-06-16", "09:00:00", "18:30:00"),
        ("2026-06-17", "09:00:00", "18:30:00"),
    ]
    assert (body["halls"], body["sectors"]) == ([], [])
    assert list(EventStaff.objects.filter(event=event).values_list("user", "role")) == [
        (operator.pk, EventStaff.Role.ADMIN)
    ]
    # ... and sets it up at once
    hall = api(operator).post(
        url(event, "halls/"), {"code": "1", "name": "Hall 1", "width": 50, "depth": 40}, format="json"
    )
    assert hall.status_code == 201


@pytest.mark.parametrize("who", ["user", "unverified_staff", "organiser"])
def test_only_platform_staff_open_shows(event, organiser, who):
    user = {
        "user": lambda: factories.make_user(),
        "unverified_staff": lambda: factories.make_user(is_staff=True, verified=False),
        "organiser": lambda: organiser,
    }[who]()

    response = api(user).post("/api/v1/events/", NEW_SHOW, format="json")

    assert response.status_code == 403
    assert set(Event.objects.values_list("slug", flat=True)) == {event.slug}


def test_anonymous_cannot_open_a_show(db):
    assert api().post("/api/v1/events/", NEW_SHOW, format="json").status_code == 401
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("slug", "status", "message"),
    [
        ("api", 400, "“api” is used by the site itself: choose another."),
        ("ADMIN", 400, "“admin” is used by the site itself: choose another."),
        ("milipol-test", 409, "Another show already has this short name."),
        ("Milipol-Test", 409, "Another show already has this short name."),
        ("milipol 2027!", 400, "Use lower-case letters, digits and hyphens only, e.g. milipol-2027."),
        ("", 400, "This field may not be blank."),
        ("x" * 61, 400, "Ensure this field has no more than 60 characters."),
    ],
)
def test_a_reserved_taken_or_malformed_short_name_is_refused_on_slug(event, slug, status, message):
    operator = factories.make_user(is_staff=True)

    response = api(operator).post("/api/v1/events/", {**NEW_SHOW, "slug": slug}, format="json")

    assert (response.status_code, response.json()) == (status, {"slug": [message]})
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"days": 0}, {"days": ["Ensure this value is greater than or equal to 1."]}),
        ({"days": 10**30}, {"days": ["Ensure this value is less than or equal to 14."]}),
        ({"days": "abc"}, {"days": ["A valid integer is required."]}),
        (
            {"opens": "25:00"},
            {"opens": ["Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."]},
        ),
        ({"opens": "18:00", "closes": "09:00"}, {"closes": ["The show must close after it opens."]}),
        (
            {"first_day": "abc"},
            {"first_day": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
        ),
        (
            {"first_day": "9999-12-31"},
            {"first_day": ["Ensure this value is less than or equal to 2100-12-31."]},
        ),
        (
            {"first_day": "0001-01-01"},
            {"first_day": ["Ensure this value is greater than or equal to 2000-01-01."]},
        ),
        ({"time_zone": "Mars/Olympus"}, {"time_zone": ["Mars/Olympus is not a known time zone."]}),
        ({"currency": "E1"}, {"currency": ["Enter a three-letter currency code, e.g. EUR."]}),
        ({"country": "XX"}, {"country": ["Value 'XX' is not a valid choice."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
    ],
)
def test_bad_new_show_input_is_a_400_naming_its_field(db, changes, errors):
    operator = factories.make_user(is_staff=True)

    response = api(operator).post("/api/v1/events/", {**NEW_SHOW, **changes}, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert Event.objects.count() == 0


def test_a_new_show_body_that_is_not_an_object_is_a_400(db):
    operator = factories.make_user(is_staff=True)

    response = api(operator).post("/api/v1/events/", [NEW_SHOW], format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert Event.objects.count() == 0


def test_the_list_of_shows_still_answers_get(event, company_admin):
    response = api(company_admin).get("/api/v1/events/")

    assert response.status_code == 200
    assert [e["slug"] for e in response.json()["results"]] == [event.slug]


# --- the show's details ---------------------------------------------------------------------------


def test_an_organiser_admin_changes_the_shows_details_but_not_its_short_name(event, organiser):
    response = api(organiser).patch(
        url(event),
        {
            "name": "Milipol Paris 2027",
            "currency": "usd",
            "is_public": False,
            "slug": "hijack",
            "country": "de",
        },
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["slug"], body["name"], body["currency"], body["country"], body["is_public"]) == (
        "milipol-test",
        "Milipol Paris 2027",
        "USD",
        "DE",
        False,
    )
    event.refresh_from_db()
    assert (event.slug, event.name, event.currency, event.country.code, event.is_public) == (
        "milipol-test",
        "Milipol Paris 2027",
        "USD",
        "DE",
        False,
    )
    entry = AuditLogEntry.objects.get(action="event.changed")
    assert entry.data["changes"]["name"] == ["Milipol Test", "Milipol Paris 2027"]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"walking_speed": -1}, {"walking_speed": ["Ensure this value is greater than or equal to 10.0."]}),
        ({"walking_speed": 1e300}, {"walking_speed": ["Ensure this value is less than or equal to 1000.0."]}),
        ({"walking_speed": "abc"}, {"walking_speed": ["A valid number is required."]}),
        ({"time_zone": "Nowhere"}, {"time_zone": ["Nowhere is not a known time zone."]}),
        ({"currency": "E1R"}, {"currency": ["Enter a three-letter currency code, e.g. EUR."]}),
        ({"currency": "EURO"}, {"currency": ["Ensure this field has no more than 3 characters."]}),
        ({"country": "XX"}, {"country": ["Value 'XX' is not a valid choice."]}),
        ({"name": ""}, {"name": ["This field may not be blank."]}),
        ({"is_public": "maybe"}, {"is_public": ["Must be a valid boolean."]}),
    ],
)
def test_bad_details_are_a_400_naming_their_field_and_nothing_changes(event, organiser, changes, errors):
    response = api(organiser).patch(url(event), changes, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    event.refresh_from_db()
    assert (event.name, event.currency, event.time_zone, event.walking_speed) == (
        "Milipol Test",
        "EUR",
        "Europe/Paris",
        60.0,
    )


def test_details_sent_as_a_json_array_are_a_400(event, organiser):
    response = api(organiser).patch(url(event), [{"name": "X"}], format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


@pytest.mark.parametrize("who", ["staff", "company_admin", "other_organiser"])
def test_only_organiser_admins_change_the_details(event, other_event, staff_organiser, company_admin, who):
    user = {
        "staff": staff_organiser,
        "company_admin": company_admin,
        "other_organiser": factories.make_organiser(other_event),
    }[who]

    response = api(user).patch(url(event), {"name": "Taken over"}, format="json")

    assert response.status_code == 403
    assert "Taken over" not in response.content.decode()
    event.refresh_from_db()
    assert event.name == "Milipol Test"


def test_the_event_detail_stays_open_to_whoever_may_see_the_show(event, company_admin):
    hall = factories.make_hall(event)

    body = api(company_admin).get(url(event)).json()

    assert [h["code"] for h in body["halls"]] == [hall.code]
    assert body["days"][0] == {
        "id": event.days.order_by("date").first().pk,
        "date": "2025-11-18",
        "opens_at": "09:30:00",
        "closes_at": "18:00:00",
    }


# --- who may read and write the set-up: the matrix ----------------------------------------------

KINDS = ["days", "halls", "sectors"]


def _item(event, kind):
    if kind == "days":
        return event.days.order_by("date").last()
    if kind == "halls":
        return factories.make_hall(event, "5A")
    return factories.make_sector(event, "cyber")


def _new(kind):
    return {
        "days": {"date": "2025-11-22", "opens_at": "10:00", "closes_at": "16:00"},
        "halls": {"code": "6", "name": "Hall 6", "width": 60, "depth": 40, "origin_x": 200},  # beside 5A
        "sectors": {"name_en": "Drones", "name_fr": "Drones"},
    }[kind]


def _change(kind):
    return {
        "days": {"opens_at": "10:00"},
        "halls": {"name": "Renamed"},
        "sectors": {"name_en": "Renamed"},
    }[kind]


def _state(event):
    return (
        list(ShowDay.objects.filter(event=event).values_list("date", "opens_at", "closes_at")),
        list(Hall.objects.filter(event=event).values_list("code", "name", "width")),
        list(Sector.objects.filter(event=event).values_list("code", "name_en")),
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("organiser_staff", 200, 403),
        ("company_admin", 403, 403),
        ("visitor", 403, 403),
        ("other_organiser", 403, 403),
        ("anonymous", 401, 401),
    ],
)
def test_organisers_read_the_set_up_and_only_their_admins_change_it(
    event, other_event, staff_organiser, company_admin, kind, who, read, write
):
    item = _item(event, kind)
    user = {
        "organiser_staff": staff_organiser,
        "company_admin": company_admin,
        "visitor": factories.make_visitor(event).user,
        "other_organiser": factories.make_organiser(other_event),
        "anonymous": None,
    }[who]
    client = api(user)
    before = _state(event)

    listed = client.get(url(event, f"{kind}/"))
    one = client.get(url(event, f"{kind}/{item.pk}/"))
    added = client.post(url(event, f"{kind}/"), _new(kind), format="json")
    changed = client.patch(url(event, f"{kind}/{item.pk}/"), _change(kind), format="json")
    removed = client.delete(url(event, f"{kind}/{item.pk}/"))

    assert (listed.status_code, one.status_code) == (read, read)
    assert (added.status_code, changed.status_code, removed.status_code) == (write, write, write)
    assert _state(event) == before
    if read != 200:
        assert "results" not in listed.json() and "id" not in one.json()


@pytest.mark.parametrize("kind", KINDS)
def test_the_organiser_admin_may_do_everything_to_each_kind(event, organiser, kind):
    item = _item(event, kind)
    client = api(organiser)

    listed = client.get(url(event, f"{kind}/"))
    added = client.post(url(event, f"{kind}/"), _new(kind), format="json")
    changed = client.patch(url(event, f"{kind}/{item.pk}/"), _change(kind), format="json")
    removed = client.delete(url(event, f"{kind}/{item.pk}/"))
    gone = client.get(url(event, f"{kind}/{item.pk}/"))

    assert (listed.status_code, added.status_code, changed.status_code) == (200, 201, 200)
    assert (removed.status_code, gone.status_code) == (204, 404)


@pytest.mark.parametrize("kind", KINDS)
def test_another_shows_day_hall_or_sector_is_not_found_and_stays(event, other_event, organiser, kind):
    theirs = _item(other_event, kind)
    before = _state(other_event)
    client = api(organiser)

    responses = [
        client.get(url(event, f"{kind}/{theirs.pk}/")),
        client.patch(url(event, f"{kind}/{theirs.pk}/"), _change(kind), format="json"),
        client.delete(url(event, f"{kind}/{theirs.pk}/")),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert _state(other_event) == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("pk", ["0", "99999999999999999999999", "abc"])
def test_a_bad_id_is_not_found(event, organiser, kind, pk):
    response = api(organiser).get(url(event, f"{kind}/{pk}/"))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_put_is_refused_patch_is_the_way_to_change(event, organiser, kind):
    item = _item(event, kind)
    before = _state(event)

    response = api(organiser).put(url(event, f"{kind}/{item.pk}/"), _new(kind), format="json")

    assert response.status_code == 403  # no permission is declared for PUT: the gate refuses it
    assert _state(event) == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n", [1, 3])
def test_set_up_lists_take_the_same_queries_for_1_and_3_items(
    event, organiser, kind, n, django_assert_num_queries
):
    ShowDay.objects.filter(event=event).exclude(date=date(2025, 11, 18)).delete()
    for i in range(n):
        if kind == "days" and i:
            ShowDay.objects.create(
                event=event, date=date(2025, 11, 18 + i), opens_at=time(9), closes_at=time(18)
            )
        elif kind == "halls":
            factories.make_hall(event, f"H{i}")
        elif kind == "sectors":
            factories.make_sector(event, f"s{i}")
    client = api(organiser)

    with django_assert_num_queries(6):
        response = client.get(url(event, f"{kind}/"))

    assert response.json()["count"] == n


# --- days -----------------------------------------------------------------------------------------


def test_a_day_is_added_its_hours_changed_and_removed(event, organiser):
    client = api(organiser)

    added = client.post(
        url(event, "days/"), {"date": "2025-11-22", "opens_at": "10:00", "closes_at": "16:00"}, format="json"
    )
    day = ShowDay.objects.get(event=event, date=date(2025, 11, 22))
    assert (added.status_code, added.json()) == (
        201,
        {"id": day.pk, "date": "2025-11-22", "opens_at": "10:00:00", "closes_at": "16:00:00"},
    )

    changed = client.patch(
        url(event, f"days/{day.pk}/"), {"closes_at": "17:30", "date": "2030-01-01"}, format="json"
    )
    assert (changed.status_code, changed.json()) == (
        200,
        {"id": day.pk, "date": "2025-11-22", "opens_at": "10:00:00", "closes_at": "17:30:00"},
    )
    day.refresh_from_db()
    assert (day.date, day.opens_at, day.closes_at) == (date(2025, 11, 22), time(10), time(17, 30))

    removed = client.delete(url(event, f"days/{day.pk}/"))
    assert removed.status_code == 204
    assert ShowDay.objects.filter(event=event).count() == 4
    assert list(
        AuditLogEntry.objects.filter(action__startswith="showday.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["showday.added", "showday.changed", "showday.removed"]


@pytest.mark.parametrize(
    ("data", "status", "errors"),
    [
        (
            {"date": "2025-11-18", "opens_at": "09:00", "closes_at": "18:00"},
            409,
            {"date": ["The show already has this day."]},
        ),
        (
            {"date": "2025-11-23", "opens_at": "18:00", "closes_at": "09:00"},
            400,
            {"closes_at": ["The day must close after it opens."]},
        ),
        (
            {"date": "2025-11-23", "opens_at": "25:00", "closes_at": "18:00"},
            400,
            {"opens_at": ["Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."]},
        ),
        (
            {"date": "abc", "opens_at": "", "closes_at": "18:00"},
            400,
            {
                "date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
                "opens_at": ["Time has wrong format. Use one of these formats instead: hh:mm[:ss[.uuuuuu]]."],
            },
        ),
        (
            {"date": "9999-12-31", "opens_at": "09:00", "closes_at": "18:00"},
            400,
            {"date": ["Ensure this value is less than or equal to 2100-12-31."]},
        ),
        ({}, 400, {k: ["This field is required."] for k in ("date", "opens_at", "closes_at")}),
    ],
)
def test_a_bad_day_is_refused_on_its_field(event, organiser, data, status, errors):
    response = api(organiser).post(url(event, "days/"), data, format="json")

    assert (response.status_code, response.json()) == (status, errors)
    assert ShowDay.objects.filter(event=event).count() == 4


def test_bad_hours_for_a_day_are_a_400_on_their_field(event, organiser):
    day = event.days.order_by("date").first()
    client = api(organiser)

    backwards = client.patch(url(event, f"days/{day.pk}/"), {"opens_at": "19:00"}, format="json")
    malformed = client.patch(url(event, f"days/{day.pk}/"), {"closes_at": "25:00"}, format="json")
    array = client.patch(url(event, f"days/{day.pk}/"), [], format="json")

    assert (backwards.status_code, backwards.json()) == (
        400,
        {"closes_at": ["The day must close after it opens."]},
    )
    assert (malformed.status_code, list(malformed.json())) == (400, ["closes_at"])
    assert (array.status_code, list(array.json())) == (400, ["non_field_errors"])
    day.refresh_from_db()
    assert (day.opens_at, day.closes_at) == (time(9, 30), time(18, 0))


def test_the_last_day_is_not_removed(event, organiser):
    ShowDay.objects.filter(event=event).exclude(date=date(2025, 11, 18)).delete()
    day = event.days.get()

    response = api(organiser).delete(url(event, f"days/{day.pk}/"))

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "A show has at least one day.", "code": "invalid"},
    )
    assert ShowDay.objects.filter(pk=day.pk).exists()


def test_a_day_with_a_scheduled_meeting_is_neither_removed_nor_shortened_past_it(event, organiser):
    exhibitor, visitor = mf.exhibitor(event, instant=True), mf.visitor(event)
    meeting_services.book_instantly(
        actor=visitor.user, sender=visitor, recipient=exhibitor, start=mf.at(event, 1, "17:30")
    )
    day = event.days.order_by("date").first()
    client = api(organiser)

    removed = client.delete(url(event, f"days/{day.pk}/"))
    shortened = client.patch(url(event, f"days/{day.pk}/"), {"closes_at": "17:00"}, format="json")

    assert (removed.status_code, removed.json()) == (
        409,
        {"detail": "Tuesday 18 November 2025 has 1 meeting: move or cancel them first.", "code": "conflict"},
    )
    assert (shortened.status_code, shortened.json()) == (
        409,
        {"closes_at": ["Outside these hours there are 1 meeting: move or cancel them first."]},
    )
    day.refresh_from_db()
    assert (day.opens_at, day.closes_at) == (time(9, 30), time(18, 0))


# --- halls ----------------------------------------------------------------------------------------


def test_a_hall_is_added_changed_and_removed(event, organiser):
    client = api(organiser)

    added = client.post(
        url(event, "halls/"),
        {"code": " 6b ", "name": "Hall 6B", "width": 120, "depth": 90, "origin_x": 10.5},
        format="json",
    )
    hall = Hall.objects.get(event=event)
    assert (added.status_code, added.json()) == (
        201,
        {
            "id": hall.pk,
            "code": "6B",
            "name": "Hall 6B",
            "width": 120.0,
            "depth": 90.0,
            "origin_x": 10.5,
            "origin_y": 0.0,
        },
    )

    changed = client.patch(
        url(event, f"halls/{hall.pk}/"), {"name": "Hall 6 Bis", "depth": 80}, format="json"
    )
    assert (changed.status_code, changed.json()["name"], changed.json()["depth"]) == (200, "Hall 6 Bis", 80.0)
    hall.refresh_from_db()
    assert (hall.name, hall.depth) == ("Hall 6 Bis", 80.0)

    assert client.delete(url(event, f"halls/{hall.pk}/")).status_code == 204
    assert not Hall.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"width": -5}, {"width": ["Ensure this value is greater than or equal to 1.0."]}),
        ({"width": 1e300}, {"width": ["Ensure this value is less than or equal to 10000.0."]}),
        ({"depth": "abc"}, {"depth": ["A valid number is required."]}),
        ({"origin_y": -1e9}, {"origin_y": ["Ensure this value is greater than or equal to -100000.0."]}),
        ({"code": ""}, {"code": ["This field may not be blank."]}),
        ({"code": "X" * 11}, {"code": ["Ensure this field has no more than 10 characters."]}),
        ({"name": None}, {"name": ["This field may not be null."]}),
    ],
)
def test_a_bad_hall_is_a_400_naming_its_field(event, organiser, data, errors):
    body = {"code": "6", "name": "Hall 6", "width": 60, "depth": 40, **data}

    response = api(organiser).post(url(event, "halls/"), body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert not Hall.objects.filter(event=event).exists()


def test_a_second_hall_with_the_same_code_is_a_409_on_code(event, organiser):
    factories.make_hall(event, "5A")

    response = api(organiser).post(
        url(event, "halls/"), {"code": "5a", "name": "Another", "width": 60, "depth": 40}, format="json"
    )

    assert (response.status_code, response.json()) == (409, {"code": ["Another hall has this code."]})
    assert list(Hall.objects.filter(event=event).values_list("name", flat=True)) == ["Hall 5A"]


def test_a_hall_with_a_stand_is_neither_removed_nor_shrunk_past_it_nor_recoded(event, organiser):
    hall = factories.make_hall(event, "5A", width=100, depth=80)
    make_stand(event, hall, "5A-K20", x=90, y=10, width=6, depth=3)
    client = api(organiser)

    removed = client.delete(url(event, f"halls/{hall.pk}/"))
    shrunk = client.patch(url(event, f"halls/{hall.pk}/"), {"width": 95}, format="json")
    recoded = client.patch(url(event, f"halls/{hall.pk}/"), {"code": "5B"}, format="json")

    assert (removed.status_code, removed.json()) == (
        409,
        {"detail": "Hall 5A has 1 stand: remove them on the floor plan first.", "code": "conflict"},
    )
    assert (shrunk.status_code, shrunk.json()) == (
        409,
        {"width": ["Smaller, the hall would leave out 1 stand or feature (5A-K20)."]},
    )
    assert (recoded.status_code, recoded.json()) == (
        409,
        {"code": ["Stand numbers carry the hall's code, and the hall has 1 stand: keep its code."]},
    )
    hall.refresh_from_db()
    assert (hall.code, hall.width, hall.depth) == ("5A", 100.0, 80.0)
    # growing it leaves the stand inside
    grown = client.patch(url(event, f"halls/{hall.pk}/"), {"width": 120}, format="json")
    assert (grown.status_code, grown.json()["width"]) == (200, 120.0)


# --- sectors --------------------------------------------------------------------------------------


def test_a_sector_is_added_changed_and_removed(event, organiser):
    client = api(organiser)

    added = client.post(
        url(event, "sectors/"),
        {"name_en": "Counter Drones", "name_fr": "Lutte anti-drones", "colour": "#112233"},
        format="json",
    )
    sector = Sector.objects.get(event=event)
    assert (added.status_code, added.json()) == (
        201,
        {
            "id": sector.pk,
            "code": "counter-drones",
            "name_en": "Counter Drones",
            "name_fr": "Lutte anti-drones",
            "colour": "#112233",
        },
    )

    changed = client.patch(url(event, f"sectors/{sector.pk}/"), {"name_fr": "Anti-drones"}, format="json")
    assert (changed.status_code, changed.json()["name_fr"]) == (200, "Anti-drones")
    sector.refresh_from_db()
    assert (sector.code, sector.name_fr) == ("counter-drones", "Anti-drones")

    assert client.delete(url(event, f"sectors/{sector.pk}/")).status_code == 204
    assert not Sector.objects.filter(event=event).exists()


@pytest.mark.parametrize(
    ("data", "status", "errors"),
    [
        ({"code": "cyber"}, 409, {"code": ["Another sector has this code."]}),
        ({"colour": "red"}, 400, {"colour": ["Enter a colour as #rrggbb, e.g. #0ea5e9."]}),
        ({"name_fr": ""}, 400, {"name_fr": ["This field may not be blank."]}),
        (
            {"code": "Not a slug!"},
            400,
            {"code": ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.']},
        ),
    ],
)
def test_a_bad_sector_is_refused_on_its_field(event, organiser, data, status, errors):
    factories.make_sector(event, "cyber")
    body = {"name_en": "Drones", "name_fr": "Drones", **data}

    response = api(organiser).post(url(event, "sectors/"), body, format="json")

    assert (response.status_code, response.json()) == (status, errors)
    assert list(Sector.objects.filter(event=event).values_list("code", flat=True)) == ["cyber"]


def test_a_sector_someone_chose_is_not_removed(event, organiser, company):
    sector = factories.make_sector(event, "cyber")
    company.sectors.add(sector)

    response = api(organiser).delete(url(event, f"sectors/{sector.pk}/"))

    assert (response.status_code, response.json()) == (
        409,
        {
            "detail": "Cyber is chosen by 1 company or delegation: rename it instead, or remove it from them first.",
            "code": "conflict",
        },
    )
    assert Sector.objects.filter(pk=sector.pk).exists()
