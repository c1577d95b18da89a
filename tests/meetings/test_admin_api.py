"""The meeting-administration API: a place's detail and blockings, an exhibitor's hosts, a participant's caps,
the show's meeting settings and the pins of a round's draft."""

from __future__ import annotations

from datetime import datetime

import pytest
from rest_framework.test import APIClient

from exhibition.core.models import AuditLogEntry
from exhibition.meetings import services
from exhibition.meetings.models import (
    ExhibitorHost,
    MeetingRequest,
    MeetingSettings,
    Place,
    PlaceBlocking,
    Round,
)
from tests.factories import make_member, make_organiser, make_user
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def _u(event, path):
    return f"/api/v1/events/{event.slug}/meetings/{path}"


def _book_at(event, place=None, host=None, exhibitor=None):
    exh = exhibitor or f.exhibitor(event, instant=True)
    vis = f.visitor(event)
    return services.book_instantly(
        actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"), place=place, host=host
    )


# --- place detail -------------------------------------------------------------------------------


def test_place_detail_for_organisers(event, organiser):
    table = f.table(event, "T1", capacity=6)
    r = _api(organiser).get(_u(event, f"tables/{table.pk}/"))
    assert (r.status_code, r.json()) == (
        200,
        {
            "id": table.pk,
            "kind": "table",
            "name": "T1",
            "capacity": 6,
            "opens_at": None,
            "closes_at": None,
            "walking_id": "",
            "is_active": True,
        },
    )


@pytest.mark.parametrize("who", ["visitor", "exh_admin", "other_organiser"])
def test_place_detail_refused_to_others(event, other_event, who):
    table = f.table(event, "T1")
    user = {
        "visitor": lambda: f.visitor(event).user,
        "exh_admin": lambda: f.actor_of(f.exhibitor(event)),
        "other_organiser": lambda: make_organiser(other_event),
    }[who]()
    c = _api(user)
    assert c.get(_u(event, f"tables/{table.pk}/")).status_code == 403
    assert c.patch(_u(event, f"tables/{table.pk}/"), {"name": "X"}, format="json").status_code == 403
    assert c.delete(_u(event, f"tables/{table.pk}/")).status_code == 403
    table.refresh_from_db()
    assert table.name == "T1"


def test_another_events_place_is_not_found(event, other_event, organiser):
    foreign = f.table(other_event, "T1")
    c = _api(organiser)
    assert c.get(_u(event, f"tables/{foreign.pk}/")).status_code == 404
    assert c.delete(_u(event, f"tables/{foreign.pk}/")).status_code == 404
    assert Place.objects.filter(pk=foreign.pk).exists()


def test_organiser_updates_a_place(event, organiser):
    table = f.table(event, "T1")
    r = _api(organiser).patch(
        _u(event, f"tables/{table.pk}/"),
        {"name": "Table 1", "capacity": 8, "opens_at": "09:00", "closes_at": "12:00", "is_active": False},
        format="json",
    )
    assert r.status_code == 200
    assert r.json() == {
        "id": table.pk,
        "kind": "table",
        "name": "Table 1",
        "capacity": 8,
        "opens_at": "09:00:00",
        "closes_at": "12:00:00",
        "walking_id": "",
        "is_active": False,
    }
    table.refresh_from_db()
    assert (table.name, table.capacity, table.is_active) == ("Table 1", 8, False)
    assert AuditLogEntry.objects.get(action="meetings.place_changed").data["name"] == "Table 1"


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({"capacity": 1}, {"capacity": ["A meeting place seats at least two people."]}),
        (
            {"opens_at": "14:00", "closes_at": "10:00"},
            {"closes_at": ["The place must close after it opens."]},
        ),
        ({"name": "T2"}, {"name": ["A place with this name exists already."]}),
        ({"name": "  "}, {"name": ["This field may not be blank."]}),
        ({"kind": "stand"}, {"kind": ["A stand stays a stand; tables and rooms cannot become stands."]}),
        ({"kind": "sofa"}, {"kind": ['"sofa" is not a valid choice.']}),
        ({"capacity": "many"}, {"capacity": ["A valid integer is required."]}),
    ],
)
def test_place_update_bad_input(event, organiser, data, body):
    table = f.table(event, "T1")
    f.table(event, "T2")
    r = _api(organiser).patch(_u(event, f"tables/{table.pk}/"), data, format="json")
    assert (r.status_code, r.json()) == (400, body)
    table.refresh_from_db()
    assert (table.name, table.kind, table.capacity, table.closes_at) == ("T1", "table", 4, None)
    assert not AuditLogEntry.objects.filter(action="meetings.place_changed").exists()


def test_delete_a_place(event, organiser):
    table = f.table(event, "T1")
    PlaceBlocking.objects.create(place=table, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00"))
    r = _api(organiser).delete(_u(event, f"tables/{table.pk}/"))
    assert r.status_code == 204
    assert not Place.objects.filter(pk=table.pk).exists()
    assert not PlaceBlocking.objects.exists()
    assert AuditLogEntry.objects.get(action="meetings.place_deleted").data == {"name": "T1"}


def test_place_with_upcoming_meetings_is_not_deleted(event, organiser):
    f.move_to_future(event)
    table = f.table(event, "T1")
    _book_at(event, place=table)
    r = _api(organiser).delete(_u(event, f"tables/{table.pk}/"))
    assert r.status_code == 409
    assert r.json() == {
        "detail": "T1 still has 1 upcoming meeting. Move or cancel it first, or take the place out of use.",
        "code": "place_has_meetings",
    }
    assert Place.objects.filter(pk=table.pk).exists()


def test_place_whose_meetings_are_over_can_be_deleted(event, organiser):
    table = f.table(event, "T1")
    meeting = _book_at(event, place=table)  # the test show is over
    assert _api(organiser).delete(_u(event, f"tables/{table.pk}/")).status_code == 204
    meeting.refresh_from_db()
    assert meeting.place is None


def test_stand_place_is_not_deleted(event, organiser):
    stand = Place.objects.create(event=event, kind=Place.Kind.STAND, name="Stand 5A-12")
    r = _api(organiser).delete(_u(event, f"tables/{stand.pk}/"))
    assert (r.status_code, r.json()) == (
        400,
        {"kind": ["A stand's meeting place goes with the stand; take it out of use instead."]},
    )
    assert Place.objects.filter(pk=stand.pk).exists()


# --- blockings ----------------------------------------------------------------------------------


def test_create_and_list_blockings(event, organiser):
    table = f.table(event, "T1")
    c = _api(organiser)
    r = c.post(
        _u(event, f"tables/{table.pk}/blockings/"),
        {"start": "2025-11-18T12:00:00+01:00", "end": "2025-11-18T14:00", "reason": "Press"},
        format="json",
    )
    assert r.status_code == 201
    pk = r.json()["id"]
    assert r.json() == {
        "id": pk,
        "place": table.pk,
        "start": "2025-11-18T12:00:00+01:00",
        "end": "2025-11-18T14:00:00+01:00",
        "reason": "Press",
    }  # naive = the show's local time
    assert c.get(_u(event, f"tables/{table.pk}/blockings/")).json()["results"] == [r.json()]
    assert AuditLogEntry.objects.filter(action="meetings.place_blocked", object_id=str(table.pk)).count() == 1


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({"end": "2025-11-18T11:00:00+01:00"}, {"end": ["The blocking must end after it starts."]}),
        (
            {"start": "soon"},
            {
                "start": [
                    (
                        "Datetime has wrong format. Use one of these formats instead: "
                        "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
                    )
                ]
            },
        ),
        ({"reason": "x" * 201}, {"reason": ["Ensure this field has no more than 200 characters."]}),
    ],
)
def test_blocking_bad_input(event, organiser, data, body):
    table = f.table(event, "T1")
    post = {"start": "2025-11-18T12:00:00+01:00", "end": "2025-11-18T14:00:00+01:00", **data}
    r = _api(organiser).post(_u(event, f"tables/{table.pk}/blockings/"), post, format="json")
    assert (r.status_code, r.json()) == (400, body)
    assert not PlaceBlocking.objects.exists()


def test_delete_a_blocking(event, organiser):
    table = f.table(event, "T1")
    b = services.block_place(
        place=table, actor=organiser, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00")
    )
    assert _api(organiser).delete(_u(event, f"tables/{table.pk}/blockings/{b.pk}/")).status_code == 204
    assert not PlaceBlocking.objects.exists()
    assert AuditLogEntry.objects.filter(action="meetings.place_unblocked").count() == 1


def test_blocking_of_another_place_is_not_found(event, other_event, organiser):
    t1, t2 = f.table(event, "T1"), f.table(event, "T2")
    b = PlaceBlocking.objects.create(place=t2, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00"))
    foreign = f.table(other_event, "T1")
    c = _api(organiser)
    assert c.delete(_u(event, f"tables/{t1.pk}/blockings/{b.pk}/")).status_code == 404
    assert c.get(_u(event, f"tables/{foreign.pk}/blockings/")).status_code == 404
    assert (
        c.post(
            _u(event, f"tables/{foreign.pk}/blockings/"),
            {"start": "2025-11-18T12:00:00+01:00", "end": "2025-11-18T13:00:00+01:00"},
            format="json",
        ).status_code
        == 404
    )
    assert list(PlaceBlocking.objects.values_list("pk", flat=True)) == [b.pk]


def test_blockings_organisers_only(event):
    table = f.table(event, "T1")
    b = PlaceBlocking.objects.create(place=table, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00"))
    c = _api(f.visitor(event).user)
    assert c.get(_u(event, f"tables/{table.pk}/blockings/")).status_code == 403
    assert (
        c.post(
            _u(event, f"tables/{table.pk}/blockings/"),
            {"start": "2025-11-18T14:00:00+01:00", "end": "2025-11-18T15:00:00+01:00"},
            format="json",
        ).status_code
        == 403
    )
    assert c.delete(_u(event, f"tables/{table.pk}/blockings/{b.pk}/")).status_code == 403
    assert list(PlaceBlocking.objects.values_list("pk", flat=True)) == [b.pk]


@pytest.mark.parametrize("n", [1, 3])
def test_blocking_list_query_count(event, organiser, django_assert_num_queries, n):
    table = f.table(event, "T1")
    for i in range(n):
        PlaceBlocking.objects.create(
            place=table, start=f.at(event, 1, f"1{i}:00"), end=f.at(event, 1, f"1{i}:30")
        )
    c = _api(organiser)
    with django_assert_num_queries(7):
        r = c.get(_u(event, f"tables/{table.pk}/blockings/"))
    assert r.json()["count"] == n


# --- hosts --------------------------------------------------------------------------------------


@pytest.fixture
def exh(event):
    p = f.exhibitor(event, "Aegis Systems", hosts=2)
    make_member(p.organisation, "staff", full_name="Nora Newcomer", email="nora@aegis.test")
    return p


def _admin(exh):
    return exh.hosts.order_by("id")[0].user


def _staff_host(exh):
    return exh.hosts.order_by("id")[1]


def _nora(exh):
    return exh.organisation.memberships.get(user__email="nora@aegis.test").user


def _host_json(host, upcoming=0):
    return {
        "id": host.pk,
        "user": host.user_id,
        "name": host.user.full_name,
        "email": host.user.email,
        "upcoming_meetings": upcoming,
    }


@pytest.mark.parametrize("who", ["exh_admin", "nora", "organiser"])
def test_hosts_listed_to_the_company_and_organisers(event, organiser, exh, who):
    user = {"exh_admin": _admin(exh), "nora": _nora(exh), "organiser": organiser}[who]
    r = _api(user).get(_u(event, f"participants/{exh.pk}/hosts/"))
    assert r.status_code == 200
    assert r.json()["results"] == [_host_json(h) for h in exh.hosts.order_by("id")]


@pytest.mark.parametrize("who", ["visitor", "other_company", "other_organiser", "stranger"])
def test_hosts_hidden_from_others(event, other_event, exh, who):
    user = {
        "visitor": lambda: f.visitor(event).user,
        "other_company": lambda: f.actor_of(f.exhibitor(event)),
        "other_organiser": lambda: make_organiser(other_event),
        "stranger": make_user,
    }[who]()
    c = _api(user)
    assert c.get(_u(event, f"participants/{exh.pk}/hosts/")).status_code == 404
    assert (
        c.post(_u(event, f"participants/{exh.pk}/hosts/"), {"user": _nora(exh).pk}, format="json").status_code
        == 404
    )
    assert c.delete(_u(event, f"participants/{exh.pk}/hosts/{_staff_host(exh).pk}/")).status_code == 404
    assert exh.hosts.filter(is_active=True).count() == 2


def test_hosts_of_a_non_exhibitor_are_not_found(event, organiser):
    vis = f.visitor(event)
    assert _api(organiser).get(_u(event, f"participants/{vis.pk}/hosts/")).status_code == 404


@pytest.mark.parametrize("n", [1, 3])
def test_host_list_query_count(event, django_assert_num_queries, n):
    p = f.exhibitor(event, hosts=n)
    c = _api(f.actor_of(p))
    with django_assert_num_queries(7):
        r = c.get(_u(event, f"participants/{p.pk}/hosts/"))
    assert r.json()["count"] == n


def test_admin_adds_a_host(event, exh):
    r = _api(_admin(exh)).post(
        _u(event, f"participants/{exh.pk}/hosts/"), {"user": _nora(exh).pk}, format="json"
    )
    assert r.status_code == 201
    host = ExhibitorHost.objects.get(participant=exh, user=_nora(exh))
    assert r.json() == _host_json(host)
    assert AuditLogEntry.objects.filter(action="meetings.host_added", object_id=str(host.pk)).count() == 1


def test_organiser_adds_a_host(event, organiser, exh):
    r = _api(organiser).post(
        _u(event, f"participants/{exh.pk}/hosts/"), {"user": _nora(exh).pk}, format="json"
    )
    assert r.status_code == 201
    assert exh.hosts.filter(user=_nora(exh), is_active=True).exists()


@pytest.mark.parametrize(
    ("user", "body"),
    [
        ("outsider", {"user": ["The host must be a member of the company."]}),
        ("unknown", {"user": ["The host must be a member of the company."]}),
        ("host", {"user": ["{name} already takes meetings."]}),
        ("text", {"user": ["A valid integer is required."]}),
    ],
)
def test_add_host_bad_input(event, exh, user, body):
    value = {
        "outsider": lambda: f.actor_of(f.exhibitor(event)).pk,
        "unknown": lambda: 999_999,
        "host": lambda: _staff_host(exh).user_id,
        "text": lambda: "nora",
    }[user]()
    r = _api(_admin(exh)).post(_u(event, f"participants/{exh.pk}/hosts/"), {"user": value}, format="json")
    expected = {"user": [body["user"][0].format(name=_staff_host(exh).user.full_name)]}
    assert (r.status_code, r.json()) == (400, expected)
    assert exh.hosts.count() == 2
    assert not AuditLogEntry.objects.filter(action="meetings.host_added").exists()


def test_staff_member_may_see_but_not_change_hosts(event, exh):
    c = _api(_nora(exh))
    assert (
        c.post(_u(event, f"participants/{exh.pk}/hosts/"), {"user": _nora(exh).pk}, format="json").status_code
        == 403
    )
    assert c.delete(_u(event, f"participants/{exh.pk}/hosts/{_staff_host(exh).pk}/")).status_code == 403
    assert exh.hosts.filter(is_active=True).count() == 2


def test_remove_a_host(event, exh):
    host = _staff_host(exh)
    r = _api(_admin(exh)).delete(_u(event, f"participants/{exh.pk}/hosts/{host.pk}/"))
    assert r.status_code == 204
    host.refresh_from_db()
    assert host.is_active is False
    assert AuditLogEntry.objects.get(action="meetings.host_removed").data == {"user_id": host.user_id}
    listed = _api(_admin(exh)).get(_u(event, f"participants/{exh.pk}/hosts/")).json()["results"]
    assert [h["id"] for h in listed] == [exh.hosts.order_by("id")[0].pk]
    assert _api(_admin(exh)).delete(_u(event, f"participants/{exh.pk}/hosts/{host.pk}/")).status_code == 404


def test_host_with_upcoming_meetings_is_not_removed(event, exh):
    f.move_to_future(event)
    exh.instant_booking = True
    exh.save()
    host = _staff_host(exh)
    _book_at(event, host=host, exhibitor=exh)
    c = _api(_admin(exh))
    assert c.get(_u(event, f"participants/{exh.pk}/hosts/")).json()["results"][1]["upcoming_meetings"] == 1
    r = c.delete(_u(event, f"participants/{exh.pk}/hosts/{host.pk}/"))
    name = host.user.full_name
    assert (r.status_code, r.json()) == (
        409,
        {
            "detail": f"{name} still has 1 upcoming meeting. Cancel it, or wait until it is over, before removing "
            f"{name} from the meeting team.",
            "code": "host_has_meetings",
        },
    )
    host.refresh_from_db()
    assert host.is_active


def test_last_host_is_not_removed(event):
    p = f.exhibitor(event, hosts=1)
    host = p.hosts.get()
    r = _api(host.user).delete(_u(event, f"participants/{p.pk}/hosts/{host.pk}/"))
    assert r.status_code == 400
    assert r.json()["code"] == "last_host"
    host.refresh_from_db()
    assert host.is_active


def test_another_companys_host_is_not_found(event, exh):
    foreign = f.exhibitor(event, hosts=2).hosts.order_by("id")[1]
    r = _api(_admin(exh)).delete(_u(event, f"participants/{exh.pk}/hosts/{foreign.pk}/"))
    assert r.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


# --- caps ---------------------------------------------------------------------------------------


def test_caps_seen_by_the_participant(event, exh):
    r = _api(_nora(exh)).get(_u(event, f"participants/{exh.pk}/caps/"))
    assert (r.status_code, r.json()) == (
        200,
        {"max_requests": None, "max_meetings": None, "default_max_requests": 30, "default_max_meetings": 24},
    )


def test_organiser_patches_caps(event, organiser, exh):
    exh.max_requests = 9
    exh.save()
    r = _api(organiser).patch(_u(event, f"participants/{exh.pk}/caps/"), {"max_meetings": 3}, format="json")
    assert (r.status_code, r.json()) == (
        200,
        {"max_requests": 9, "max_meetings": 3, "default_max_requests": 30, "default_max_meetings": 24},
    )
    r = _api(organiser).patch(
        _u(event, f"participants/{exh.pk}/caps/"), {"max_requests": None}, format="json"
    )
    exh.refresh_from_db()
    assert (r.status_code, exh.max_requests, exh.max_meetings) == (200, None, 3)
    assert AuditLogEntry.objects.filter(action="meetings.caps_set").count() == 2


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({"max_requests": -1}, {"max_requests": ["Ensure this value is greater than or equal to 0."]}),
        ({"max_meetings": 40000}, {"max_meetings": ["Ensure this value is less than or equal to 32767."]}),
        ({"max_meetings": "lots"}, {"max_meetings": ["A valid integer is required."]}),
    ],
)
def test_caps_bad_input(event, organiser, exh, data, body):
    r = _api(organiser).patch(_u(event, f"participants/{exh.pk}/caps/"), data, format="json")
    assert (r.status_code, r.json()) == (400, body)
    exh.refresh_from_db()
    assert (exh.max_requests, exh.max_meetings) == (None, None)


@pytest.mark.parametrize(("who", "code"), [("exh_admin", 403), ("visitor", 404), ("other_organiser", 404)])
def test_only_organisers_patch_caps(event, other_event, exh, who, code):
    user = {
        "exh_admin": lambda: _admin(exh),
        "visitor": lambda: f.visitor(event).user,
        "other_organiser": lambda: make_organiser(other_event),
    }[who]()
    r = _api(user).patch(_u(event, f"participants/{exh.pk}/caps/"), {"max_meetings": 100}, format="json")
    assert r.status_code == code
    exh.refresh_from_db()
    assert exh.max_meetings is None


# --- the meeting settings --------------------------------------------------------------------------------

SETTINGS_DEFAULTS = {
    "slot_minutes": 30,
    "request_expiry_hours": 72,
    "reminder_hours": 24,
    "meeting_reminder_minutes": 60,
    "default_max_requests": 30,
    "default_max_meetings": 24,
}


def test_organiser_reads_the_meeting_settings(event, organiser):
    r = _api(organiser).get(_u(event, "settings/"))
    assert (r.status_code, r.json()) == (200, SETTINGS_DEFAULTS)


def test_organiser_changes_the_meeting_settings_as_the_page_does(event, organiser, exh):
    r = _api(organiser).patch(
        _u(event, "settings/"), {"slot_minutes": 20, "default_max_meetings": 12}, format="json"
    )
    assert (r.status_code, r.json()) == (
        200,
        {**SETTINGS_DEFAULTS, "slot_minutes": 20, "default_max_meetings": 12},
    )
    conf = MeetingSettings.objects.get(event=event)
    assert (conf.slot_minutes, conf.default_max_meetings, conf.request_expiry_hours) == (20, 12, 72)
    assert AuditLogEntry.objects.get(action="meetings.settings_changed").data == {
        "slot_minutes": "20",
        "default_max_meetings": "12",
    }
    # what a participant then notices: the show's cap is the new one
    caps = _api(_nora(exh)).get(_u(event, f"participants/{exh.pk}/caps/")).json()
    assert caps["default_max_meetings"] == 12
    assert _api(organiser).get(_u(event, "settings/")).json()["slot_minutes"] == 20


@pytest.mark.parametrize(
    ("data", "body"),
    [
        ({"slot_minutes": 5}, {"slot_minutes": ["A slot lasts 10 to 240 minutes."]}),
        ({"request_expiry_hours": 0}, {"request_expiry_hours": ["Requests stay open at least one hour."]}),
        (
            {"reminder_hours": 72},
            {
                "reminder_hours": [
                    (
                        "The reminder must come before the request expires: fewer hours than the expiry, "
                        "or 0 for no reminder."
                    )
                ]
            },
        ),
        (
            {"meeting_reminder_minutes": 181},
            {"meeting_reminder_minutes": ["Meeting reminders go out at most 180 minutes before a meeting."]},
        ),
        (
            {"default_max_requests": -1},
            {"default_max_requests": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"default_max_meetings": 40000},
            {"default_max_meetings": ["Ensure this value is less than or equal to 32767."]},
        ),
        ({"slot_minutes": "half an hour"}, {"slot_minutes": ["A valid integer is required."]}),
    ],
)
def test_meeting_settings_bad_input(event, organiser, data, body):
    r = _api(organiser).patch(_u(event, "settings/"), data, format="json")
    assert (r.status_code, r.json()) == (400, body)
    assert not MeetingSettings.objects.filter(event=event).exists()
    assert _api(organiser).get(_u(event, "settings/")).json() == SETTINGS_DEFAULTS


def test_slot_length_cannot_change_while_a_round_has_a_draft(event, organiser):
    rnd = services.create_round(event=event, actor=organiser, name="Pre-show")
    Round.objects.filter(pk=rnd.pk).update(status=Round.Status.DRAFT)
    r = _api(organiser).patch(_u(event, "settings/"), {"slot_minutes": 20}, format="json")
    assert r.status_code == 409
    assert list(r.json()) == ["slot_minutes"]
    assert _api(organiser).get(_u(event, "settings/")).json()["slot_minutes"] == 30


@pytest.mark.parametrize(("who", "code"), [("exh_admin", 403), ("visitor", 403), ("other_organiser", 403)])
def test_only_the_shows_organisers_see_and_change_meeting_settings(event, other_event, exh, who, code):
    user = {
        "exh_admin": lambda: _admin(exh),
        "visitor": lambda: f.visitor(event).user,
        "other_organiser": lambda: make_organiser(other_event),
    }[who]()
    c = _api(user)
    assert c.get(_u(event, "settings/")).status_code == code
    assert c.patch(_u(event, "settings/"), {"slot_minutes": 20}, format="json").status_code == code
    assert not MeetingSettings.objects.filter(event=event).exists()


# --- pinning a draft meeting -------------------------------------------------------------------------------


@pytest.fixture
def draft(event, organiser, django_capture_on_commit_callbacks):
    """A round with a draft of two meetings (the scheduler run inline), and a request of the round
    still unanswered (so not in the draft)."""
    rnd = services.create_round(event=event, actor=organiser, name="Pre-show", time_limit=2)
    seller = f.exhibitor(event, hosts=2)
    for _ in range(2):
        v = f.visitor(event)
        req = services.request_meeting(actor=v.user, sender=v, recipient=seller, priority=3)
        services.accept_request(actor=f.actor_of(seller), request=req)
    v = f.visitor(event)
    rnd.unanswered = services.request_meeting(actor=v.user, sender=v, recipient=seller)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_scheduling(rnd=rnd, actor=organiser)
    rnd.refresh_from_db()
    assert rnd.status == Round.Status.DRAFT
    return rnd


def _in_draft(rnd) -> list[int]:
    return sorted(int(a["meeting"].removeprefix("REQ-")) for a in rnd.draft["schedule"]["assignments"])


def test_organiser_pins_and_unpins_a_draft_meeting(event, organiser, draft):
    ids = _in_draft(draft)
    assert len(ids) == 2
    c = _api(organiser)
    assert c.get(_u(event, f"rounds/{draft.pk}/pins/")).json() == {"meetings": ids, "pinned": []}

    r = c.post(_u(event, f"rounds/{draft.pk}/pins/"), {"meeting": ids[0], "pinned": True}, format="json")

    assert (r.status_code, r.json()) == (200, {"meetings": ids, "pinned": [ids[0]]})
    draft.refresh_from_db()
    assert draft.draft["pinned"] == [f"REQ-{ids[0]}"]  # the next run of the scheduler keeps it there
    assert AuditLogEntry.objects.filter(action="meetings.round_pinned").count() == 1
    r = c.post(_u(event, f"rounds/{draft.pk}/pins/"), {"meeting": ids[0], "pinned": False}, format="json")
    assert (r.status_code, r.json()) == (200, {"meetings": ids, "pinned": []})
    draft.refresh_from_db()
    assert draft.draft["pinned"] == []


def test_pin_bad_input(event, organiser, draft):
    c = _api(organiser)
    url = _u(event, f"rounds/{draft.pk}/pins/")
    r = c.post(url, {"meeting": "first"}, format="json")
    assert (r.status_code, set(r.json())) == (400, {"meeting", "pinned"})
    # a request of the round that the draft does not schedule
    assert draft.unanswered.round_id == draft.pk
    r = c.post(url, {"meeting": draft.unanswered.pk, "pinned": True}, format="json")
    assert (r.status_code, r.json()) == (400, {"meeting": ["This meeting is not in the draft."]})
    draft.refresh_from_db()
    assert draft.draft.get("pinned", []) == []


def test_pins_only_on_a_draft(event, organiser):
    rnd = services.create_round(event=event, actor=organiser, name="Open round")
    v, seller = f.visitor(event), f.exhibitor(event)
    req = services.request_meeting(actor=v.user, sender=v, recipient=seller)
    assert req.round_id == rnd.pk
    c = _api(organiser)
    assert c.get(_u(event, f"rounds/{rnd.pk}/pins/")).json() == {"meetings": [], "pinned": []}
    r = c.post(_u(event, f"rounds/{rnd.pk}/pins/"), {"meeting": req.pk, "pinned": True}, format="json")
    assert (r.status_code, r.json()["detail"]) == (409, "Pins can only be set on a draft.")


def test_another_rounds_or_events_meeting_is_not_found(event, other_event, organiser, draft):
    c = _api(organiser)
    ids = _in_draft(draft)
    other_round = Round.objects.create(event=event, name="Earlier round", status=Round.Status.PUBLISHED)
    r = c.post(
        _u(event, f"rounds/{other_round.pk}/pins/"), {"meeting": ids[0], "pinned": True}, format="json"
    )
    assert r.status_code == 404
    foreign = services.create_round(event=other_event, actor=make_organiser(other_event), name="Theirs")
    assert c.get(_u(event, f"rounds/{foreign.pk}/pins/")).status_code == 404
    r = c.post(_u(event, f"rounds/{foreign.pk}/pins/"), {"meeting": ids[0], "pinned": True}, format="json")
    assert r.status_code == 404
    draft.refresh_from_db()
    assert draft.draft.get("pinned", []) == []


@pytest.mark.parametrize("who", ["exh_admin", "visitor", "other_organiser"])
def test_only_the_shows_organisers_pin(event, other_event, draft, who):
    user = {
        "exh_admin": lambda: f.actor_of(f.exhibitor(event)),
        "visitor": lambda: f.visitor(event).user,
        "other_organiser": lambda: make_organiser(other_event),
    }[who]()
    c = _api(user)
    ids = _in_draft(draft)
    assert c.get(_u(event, f"rounds/{draft.pk}/pins/")).status_code == 403
    r = c.post(_u(event, f"rounds/{draft.pk}/pins/"), {"meeting": ids[0], "pinned": True}, format="json")
    assert r.status_code == 403
    draft.refresh_from_db()
    assert draft.draft.get("pinned", []) == []


def test_organiser_reviews_the_draft_day_by_day_with_its_pins(event, organiser, draft):
    c = _api(organiser)
    ids = _in_draft(draft)
    c.post(_u(event, f"rounds/{draft.pk}/pins/"), {"meeting": ids[0], "pinned": True}, format="json")

    r = c.get(_u(event, f"rounds/{draft.pk}/draft/"))

    assert r.status_code == 200
    review = r.json()
    assert review["total"] == 2 and review["unplaced"] == []
    assert sum(d["meetings"] for d in review["days"]) == 2
    assert review["day"] == review["days"][0]["date"]
    shown = {  # every day's meetings
        m["request"]: m
        for d in review["days"]
        for m in c.get(_u(event, f"rounds/{draft.pk}/draft/"), {"day": d["date"]}).json()["meetings"]
    }
    assert sorted(shown) == ids
    first = MeetingRequest.objects.get(pk=ids[0])
    assert shown[ids[0]]["pinned"] is True and shown[ids[0]]["recipient"] == first.recipient.name
    assert shown[ids[0]]["sender"] == first.sender.name and shown[ids[0]]["where"]
    # times in the show's local time, as on the review screen
    start = datetime.fromisoformat(shown[ids[0]]["start"])
    assert start.utcoffset() == start.astimezone(event.tz).utcoffset()
    assert all(m["pinned"] is False for k, m in shown.items() if k != ids[0])
    # a name filter, and a day without meetings falls back to the first
    r = c.get(_u(event, f"rounds/{draft.pk}/draft/"), {"q": first.sender.name, "day": "not-a-day"})
    assert (r.status_code, [m["request"] for m in r.json()["meetings"]]) == (200, [ids[0]])


def test_draft_review_needs_a_draft_and_an_organiser(event, organiser, draft):
    rnd = Round.objects.create(event=event, name="Earlier round", status=Round.Status.PUBLISHED)
    r = _api(organiser).get(_u(event, f"rounds/{rnd.pk}/draft/"))
    assert (r.status_code, r.json()["detail"]) == (404, "This round has no draft to review.")
    assert _api(f.visitor(event).user).get(_u(event, f"rounds/{draft.pk}/draft/")).status_code == 403
