"""The organiser sets the show up from its own pages: details, days, halls, sectors; and whoever
runs the installation opens a new show. Nothing a change would strand is lost: the change is
refused, saying what it would strand."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from exhibition.accounts.models import EventStaff, User
from exhibition.core.models import AuditLogEntry
from exhibition.delegations.models import Interest
from exhibition.events.models import Event, Hall, Sector, ShowDay
from exhibition.meetings.models import Meeting
from tests import factories
from tests.factories import meetings as mf
from tests.factories.delegations import give_day, make_official_delegation
from tests.factories.floorplans import make_stand

pytestmark = pytest.mark.django_db


def setup_url(event, rest=""):
    return f"/{event.slug}/manage/show/{rest}"


def test_an_organiser_admin_changes_the_shows_details_and_they_show_everywhere(client, event, organiser):
    client.force_login(organiser)
    page = client.get(setup_url(event)).content.decode()
    assert "Show setup" in page and "Europe / Paris" in page and "Save the details" in page

    response = client.post(
        setup_url(event),
        {
            "part": "details",
            "name": "Milipol Paris 2027",
            "venue": "Paris Nord Villepinte",
            "city": "Villepinte",
            "country": "FR",
            "time_zone": "Europe/Paris",
            "currency": "eur",
            "walking_speed": "70",
        },
        follow=True,
    )
    assert "The show&#x27;s details are saved." in response.content.decode()
    event.refresh_from_db()
    assert (event.name, event.currency, event.walking_speed, event.is_public) == (
        "Milipol Paris 2027",
        "EUR",
        70.0,
        False,  # the box was left unticked
    )
    entry = AuditLogEntry.objects.get(action="event.changed")
    assert entry.data["changes"]["name"] == ["Milipol Test", "Milipol Paris 2027"]
    assert "Milipol Paris 2027: organiser dashboard" in client.get(f"/{event.slug}/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "E1", "three-letter currency code"),
        ("time_zone", "Mars/Olympus", "Select a valid choice"),
        ("walking_speed", "abc", "Enter a number"),
        ("walking_speed", "2", "greater than or equal to 10"),
        ("name", "", "This field is required"),
    ],
)
def test_bad_details_are_refused_on_their_field_and_nothing_changes(
    client, event, organiser, field, value, message
):
    client.force_login(organiser)
    data = {
        "part": "details",
        "name": event.name,
        "venue": event.venue,
        "time_zone": event.time_zone,
        "currency": "EUR",
        "walking_speed": "60",
        "is_public": "on",
        field: value,
    }
    response = client.post(setup_url(event), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    fresh = Event.objects.get(pk=event.pk)
    assert (fresh.name, fresh.currency, fresh.walking_speed, fresh.time_zone) == (
        "Milipol Test",
        "EUR",
        60.0,
        "Europe/Paris",
    )


def test_organiser_staff_reads_the_setup_but_only_an_admin_changes_it(client, event):
    staff = factories.make_organiser(event, role=EventStaff.Role.STAFF)
    client.force_login(staff)
    page = client.get(setup_url(event)).content.decode()
    assert "Only an organiser admin can change them." in page and "Save the details" not in page
    assert client.post(setup_url(event), {"part": "details", "name": "Hacked"}).status_code == 403
    hall = factories.make_hall(event)
    assert client.get(setup_url(event, f"halls/{hall.pk}/")).status_code == 403
    assert Event.objects.get(pk=event.pk).name == "Milipol Test"


def test_exhibitors_visitors_and_strangers_do_not_reach_the_setup(client, event, company_admin):
    client.force_login(company_admin)
    assert client.get(setup_url(event)).status_code == 403
    client.force_login(factories.make_visitor(event).user)
    assert client.get(setup_url(event)).status_code == 403
    client.logout()
    assert client.get(setup_url(event)).status_code == 302  # to sign in


def test_another_shows_hall_is_not_found(client, event, other_event, organiser):
    hall = factories.make_hall(other_event)
    client.force_login(organiser)
    assert client.get(setup_url(event, f"halls/{hall.pk}/")).status_code == 404
    assert client.get(setup_url(event, "halls/99999999999999999999/")).status_code == 404


# --- days ---------------------------------------------------------------------------------------


def test_a_day_is_added_and_its_hours_changed(client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        setup_url(event),
        {"part": "day", "day-date": "2025-11-22", "day-opens_at": "10:00", "day-closes_at": "16:00"},
        follow=True,
    )
    assert "Saturday 22 November 2025 added." in response.content.decode()
    day = ShowDay.objects.get(event=event, date=date(2025, 11, 22))
    response = client.post(
        setup_url(event, f"days/{day.pk}/"), {"opens_at": "09:00", "closes_at": "17:30"}, follow=True
    )
    assert "The hours of Saturday 22 November 2025 are saved." in response.content.decode()
    day.refresh_from_db()
    assert (day.opens_at, day.closes_at) == (time(9, 0), time(17, 30))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"day-date": "2025-11-18", "day-opens_at": "09:00", "day-closes_at": "18:00"},
            "already has this day",
        ),
        (
            {"day-date": "2025-11-23", "day-opens_at": "18:00", "day-closes_at": "09:00"},
            "close after it opens",
        ),
        ({"day-date": "23/13/2025", "day-opens_at": "09:00", "day-closes_at": "18:00"}, "Enter a valid date"),
        ({"day-date": "2025-11-23", "day-opens_at": "25:00", "day-closes_at": "18:00"}, "Enter a valid time"),
        (
            {"day-date": "9999-12-31", "day-opens_at": "09:00", "day-closes_at": "18:00"},
            "between 2000 and 2100",
        ),
    ],
)
def test_a_bad_day_is_refused_on_its_field(client, event, organiser, data, message):
    client.force_login(organiser)
    response = client.post(setup_url(event), {"part": "day", **data})
    assert response.status_code in (400, 409)
    body = response.content.decode()
    assert message in body
    assert "<details open" in body  # the form that failed stays open
    assert ShowDay.objects.filter(event=event).count() == 4


def _meeting(event, day: int, start: str, end_minutes: int = 30) -> Meeting:
    begins = mf.at(event, day, start)
    return Meeting.objects.create(
        event=event,
        sender=mf.visitor(event),
        recipient=mf.exhibitor(event),
        start=begins,
        end=begins + timedelta(minutes=end_minutes),
    )


def test_hours_that_would_leave_a_meeting_out_are_refused_and_the_day_keeps_its_hours(
    client, event, organiser
):
    _meeting(event, 1, "17:30")
    day = event.days.order_by("date").first()
    client.force_login(organiser)
    response = client.post(setup_url(event, f"days/{day.pk}/"), {"opens_at": "09:30", "closes_at": "17:00"})
    assert response.status_code == 409
    assert "Outside these hours there are 1 meeting: move or cancel them first." in response.content.decode()
    day.refresh_from_db()
    assert day.closes_at == time(18, 0)
    # longer hours leave everything in
    client.post(setup_url(event, f"days/{day.pk}/"), {"opens_at": "08:00", "closes_at": "19:00"})
    day.refresh_from_db()
    assert day.closes_at == time(19, 0)


def test_a_day_with_a_meeting_or_a_delegation_on_the_floor_is_not_removed(client, event, organiser):
    first, second = list(event.days.order_by("date"))[:2]
    _meeting(event, 1, "11:00")
    give_day(make_official_delegation(event), day=second.date)
    client.force_login(organiser)
    response = client.post(
        setup_url(event, f"days/{first.pk}/"), {"action": "remove", "confirmed": "yes"}, follow=True
    )
    assert "Tuesday 18 November 2025 has 1 meeting: move or cancel them first." in response.content.decode()
    response = client.post(
        setup_url(event, f"days/{second.pk}/"), {"action": "remove", "confirmed": "yes"}, follow=True
    )
    assert "1 delegation&#x27;s day on the floor" in response.content.decode()
    assert ShowDay.objects.filter(event=event).count() == 4

    last = event.days.order_by("date").last()
    response = client.post(
        setup_url(event, f"days/{last.pk}/"), {"action": "remove", "confirmed": "yes"}, follow=True
    )
    assert "Friday 21 November 2025 removed from the show." in response.content.decode()
    assert ShowDay.objects.filter(event=event).count() == 3


# --- halls --------------------------------------------------------------------------------------


def test_a_hall_is_added_and_shows_on_the_floor_plan(client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        setup_url(event),
        {
            "part": "hall",
            "hall-code": "6b",
            "hall-name": "Hall 6B",
            "hall-width": "120",
            "hall-depth": "90",
            "hall-origin_x": "0",
            "hall-origin_y": "0",
        },
        follow=True,
    )
    assert "Hall 6B added: draw its stands on the floor plan." in response.content.decode()
    hall = Hall.objects.get(event=event)
    assert hall.code == "6B"
    assert client.get(f"/{event.slug}/plan/6B/").status_code == 200


def test_a_hall_is_not_shrunk_below_its_stands_renamed_away_from_their_numbers_or_removed_with_them(
    client, event, organiser
):
    hall = factories.make_hall(event, "5A", width=100, depth=80)
    make_stand(event, hall, "5A-K20", x=90, y=10, width=6, depth=3)
    client.force_login(organiser)
    data = {"code": "5A", "name": "Hall 5A", "width": "50", "depth": "80", "origin_x": "0", "origin_y": "0"}
    response = client.post(setup_url(event, f"halls/{hall.pk}/"), data)
    assert response.status_code == 409
    assert "Smaller, the hall would leave out 1 stand or feature (5A-K20)." in response.content.decode()

    response = client.post(setup_url(event, f"halls/{hall.pk}/"), {**data, "width": "100", "code": "5C"})
    assert response.status_code == 409
    assert "Stand numbers carry the hall&#x27;s code, and the hall has 1 stand" in response.content.decode()

    response = client.post(
        setup_url(event, f"halls/{hall.pk}/"), {"action": "remove", "confirmed": "yes"}, follow=True
    )
    assert "Hall 5A has 1 stand: remove them on the floor plan first." in response.content.decode()
    hall.refresh_from_db()
    assert (hall.code, hall.width) == ("5A", 100)

    response = client.post(
        setup_url(event, f"halls/{hall.pk}/"), {**data, "width": "96", "name": "Hall 5A North"}
    )
    assert response.status_code == 302
    hall.refresh_from_db()
    assert (hall.name, hall.width) == ("Hall 5A North", 96)


def test_two_halls_cannot_share_a_code(client, event, organiser):
    factories.make_hall(event, "5A")
    client.force_login(organiser)
    response = client.post(
        setup_url(event),
        {
            "part": "hall",
            "hall-code": "5a",
            "hall-name": "Another",
            "hall-width": "50",
            "hall-depth": "50",
            "hall-origin_x": "0",
            "hall-origin_y": "0",
        },
    )
    assert response.status_code == 409
    assert "Another hall has this code." in response.content.decode()
    assert Hall.objects.filter(event=event).count() == 1


def test_a_hall_of_twenty_kilometres_is_a_typing_slip(client, event, organiser):
    client.force_login(organiser)
    data = {
        "part": "hall",
        "hall-code": "9",
        "hall-name": "Hall 9",
        "hall-width": "20000",
        "hall-depth": "50",
    }
    response = client.post(setup_url(event), {**data, "hall-origin_x": "0", "hall-origin_y": "0"})
    assert response.status_code == 400
    assert "Enter at most 10000 m." in response.content.decode()
    assert not Hall.objects.filter(event=event).exists()


# --- sectors ------------------------------------------------------------------------------------


def test_a_sector_is_added_renamed_and_removed_only_while_nobody_chose_it(client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        setup_url(event),
        {
            "part": "sector",
            "sector-name_en": "Space security",
            "sector-name_fr": "Sécurité spatiale",
            "sector-colour": "#112233",
            "sector-code": "",
        },
        follow=True,
    )
    assert "Sector Space security added." in response.content.decode()
    sector = Sector.objects.get(event=event)
    assert sector.code == "space-security"

    delegation = make_official_delegation(event)
    Interest.objects.create(delegation=delegation, sector=sector, priority=3)
    response = client.post(
        setup_url(event, f"sectors/{sector.pk}/"), {"action": "remove", "confirmed": "yes"}, follow=True
    )
    assert "Space security is chosen by 1 delegation&#x27;s interests" in response.content.decode()
    assert Sector.objects.filter(pk=sector.pk).exists() and Interest.objects.count() == 1

    response = client.post(
        setup_url(event, f"sectors/{sector.pk}/"),
        {
            "name_en": "Space and satellites",
            "name_fr": "Espace et satellites",
            "colour": "#112233",
            "code": "space-security",
        },
        follow=True,
    )
    assert "Sector Space and satellites saved." in response.content.decode()

    Interest.objects.all().delete()
    client.post(setup_url(event, f"sectors/{sector.pk}/"), {"action": "remove", "confirmed": "yes"})
    assert not Sector.objects.filter(pk=sector.pk).exists()


def test_a_sector_colour_that_is_not_a_colour_is_refused(client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        setup_url(event),
        {
            "part": "sector",
            "sector-name_en": "X",
            "sector-name_fr": "X",
            "sector-colour": "red;}",
            "sector-code": "",
        },
    )
    assert response.status_code == 400
    assert not Sector.objects.filter(event=event).exists()


# --- a new show ---------------------------------------------------------------------------------


def _new_show(**over):
    return {
        "name": "Milipol Asia-Pacific",
        "slug": "milipol-ap-2027",
        "venue": "Singapore Expo",
        "city": "Singapore",
        "country": "SG",
        "time_zone": "Asia/Singapore",
        "currency": "sgd",
        "first_day": "2027-04-06",
        "days": "3",
        "opens": "09:30",
        "closes": "18:00",
        **over,
    }


def test_whoever_runs_the_installation_opens_a_private_show_and_becomes_its_organiser_admin(client, event):
    operator = factories.make_user(is_staff=True)
    client.force_login(operator)
    assert "New show" in client.get("/").content.decode()
    response = client.post("/shows/new/", _new_show(), follow=True)
    show = Event.objects.get(slug="milipol-ap-2027")
    assert response.redirect_chain[-1][0] == "/milipol-ap-2027/manage/show/"
    assert "Milipol Asia-Pacific is set up, not public yet." in response.content.decode()
    assert (show.is_public, show.currency, show.time_zone) == (False, "SGD", "Asia/Singapore")
    assert [d.date for d in show.days.order_by("date")] == [
        date(2027, 4, 6),
        date(2027, 4, 7),
        date(2027, 4, 8),
    ]
    assert EventStaff.objects.get(event=show).user == operator
    # the new show's organiser admin reaches its dashboard; a stranger does not see it
    assert client.get("/milipol-ap-2027/").status_code == 200
    client.force_login(factories.make_user())
    assert client.get("/milipol-ap-2027/").status_code in (403, 404)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"slug": "admin"}, "is used by the site itself"),
        ({"slug": "milipol-test"}, "Another show already has this short name."),
        ({"slug": "Milipol 2027"}, "Use lower-case letters, digits and hyphens only"),
        ({"days": "40"}, "less than or equal to 14"),
        ({"closes": "08:00"}, "The show must close after it opens."),
        ({"currency": "€"}, "three-letter currency code"),
        ({"currency": "XYZ"}, "XYZ is not a currency code in use (ISO 4217)"),
    ],
)
def test_a_new_show_with_bad_input_is_refused_on_its_field(client, event, over, message):
    client.force_login(factories.make_user(is_staff=True))
    response = client.post("/shows/new/", _new_show(**over))
    assert response.status_code in (400, 409)
    assert message in response.content.decode()
    assert Event.objects.count() == 1


def test_only_the_installations_staff_open_shows(client, event, organiser):
    client.force_login(organiser)  # an organiser of one show is not the installation's staff
    assert client.get("/shows/new/").status_code == 403
    assert client.post("/shows/new/", _new_show()).status_code == 403
    client.force_login(factories.make_user(is_staff=True, verified=False))
    assert client.get("/shows/new/").status_code == 403
    assert not Event.objects.filter(slug="milipol-ap-2027").exists()


def test_the_first_superuser_of_a_new_installation_can_open_a_show_at_once(client, db):
    root = User.objects.create_superuser(email="ops@example.test", password="correct-horse-battery-9")
    assert root.email_verified_at is not None  # typed at the server's console
    client.force_login(root)
    assert "New show" in client.get("/").content.decode()
    assert client.get("/shows/new/").status_code == 200


def test_removing_asks_first_then_removes(client, event, organiser):
    hall = factories.make_hall(event, "9")
    client.force_login(organiser)
    ask = client.post(setup_url(event, f"halls/{hall.pk}/"), {"action": "remove"})
    assert ask.status_code == 200 and "Remove Hall 9?" in ask.content.decode()
    assert "This cannot be undone." in ask.content.decode()
    assert Hall.objects.filter(pk=hall.pk).exists()
    client.post(setup_url(event, f"halls/{hall.pk}/"), {"action": "remove", "confirmed": "yes"})
    assert not Hall.objects.filter(pk=hall.pk).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hall-origin_x": "-10"}, "Enter 0 or more: the site plan starts at 0."),
        ({"hall-origin_x": "50"}, "On the site plan this would lie on Hall 5A (0 to 100 m across)"),
        ({"hall-code": "5 B"}, "Use letters, digits and hyphens only, e.g. 5A."),
    ],
)
def test_a_hall_lies_beside_the_others_at_a_place_on_the_site_plan(client, event, organiser, fields, message):
    factories.make_hall(event, "5A", width=100, depth=80)
    client.force_login(organiser)
    data = {
        "part": "hall",
        "hall-code": "5B",
        "hall-name": "Hall 5B",
        "hall-width": "100",
        "hall-depth": "80",
    }
    response = client.post(setup_url(event), {**data, "hall-origin_x": "100", "hall-origin_y": "0", **fields})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Hall.objects.filter(event=event).count() == 1
    # beside it, it is added
    client.post(setup_url(event), {**data, "hall-origin_x": "100", "hall-origin_y": "0"})
    assert Hall.objects.filter(event=event).count() == 2


def test_a_day_far_from_the_others_is_a_typing_slip(client, event, organiser):
    client.force_login(organiser)
    response = client.post(
        setup_url(event),
        {"part": "day", "day-date": "2026-03-01", "day-opens_at": "09:00", "day-closes_at": "18:00"},
    )
    assert response.status_code == 400
    assert "this one is too far from the others" in response.content.decode()


def test_every_mistake_of_a_new_show_is_said_at_once(client, event):
    client.force_login(factories.make_user(is_staff=True))
    response = client.post("/shows/new/", _new_show(slug="accounts", currency="€", days="40"))
    body = response.content.decode()
    assert "is used by the site itself" in body
    assert "three-letter currency code" in body
    assert "less than or equal to 14" in body


def test_a_public_shows_landing_leads_anonymous_visitors_to_its_exhibitors_and_plan(client, event):
    factories.make_sector(event, "drones")
    body = client.get(f"/{event.slug}/").content.decode()
    assert "Drones" in body
    assert f'href="/{event.slug}/exhibitors/">Browse the exhibitors</a>' in body
    assert f'href="/{event.slug}/plan/">See the floor plan</a>' in body
