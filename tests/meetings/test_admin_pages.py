"""The meeting-administration pages: an exhibitor's meeting team, caps on the participant page,
the organiser's meeting settings and place blockings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from exhibition.core.errors import DomainError
from exhibition.core.models import AuditLogEntry
from exhibition.meetings import services
from exhibition.meetings.models import ExhibitorHost, MeetingSettings, PlaceBlocking, Round
from exhibition.meetings.services.booking import day_slots
from tests.factories import make_member, make_organiser, make_user
from tests.factories import meetings as f
from tests.support.html import squash

pytestmark = pytest.mark.django_db


def _url(event, name, **kw):
    return reverse(f"meetings:{name}", kwargs={"event_slug": event.slug, **kw})


def _login(client, user):
    client.force_login(user)
    return client


def _actions(action):
    return list(AuditLogEntry.objects.filter(action=action).values_list("object_id", flat=True))


@pytest.fixture
def exh(event):
    """An exhibitor with its admin and a staff member as hosts, and a member who does not take meetings."""
    p = f.exhibitor(event, "Aegis Systems", hosts=2)
    make_member(p.organisation, "staff", full_name="Nora Newcomer", email="nora@aegis.test")
    return p


def _admin(exh):
    return exh.hosts.order_by("id")[0].user


def _staff_host(exh):
    return exh.hosts.order_by("id")[1]


def _nora(exh):
    return exh.organisation.memberships.get(user__email="nora@aegis.test").user


# --- the meeting team -------------------------------------------------------------------------


def test_team_tab_only_for_exhibitors(client, event, exh):
    page = _login(client, _admin(exh)).get(_url(event, "profile")).content.decode()
    assert f'href="{_url(event, "team")}"' in page
    client.logout()
    vis = f.visitor(event)
    page = _login(client, vis.user).get(_url(event, "profile")).content.decode()
    assert _url(event, "team") not in page
    assert client.get(_url(event, "team")).status_code == 404


def test_team_page_lists_hosts_candidates_and_caps(client, event, exh):
    exh.max_meetings = 5
    exh.save()
    resp = _login(client, _admin(exh)).get(_url(event, "team"))
    assert resp.status_code == 200
    assert [h.user.email for h in resp.context["hosts"]] == [_admin(exh).email, _staff_host(exh).user.email]
    assert [h.upcoming for h in resp.context["hosts"]] == [0, 0]
    assert list(resp.context["form"].fields["user"].queryset) == [_nora(exh)]
    page = squash(resp.content.decode())
    assert 'aria-current="page">Meeting team</a>' in page
    assert "<dt>Open requests sent</dt><dd>30 (show default)</dd>" in page
    assert "<dt>Meetings</dt><dd>5</dd>" in page
    assert "Nora Newcomer (nora@aegis.test)" in page


@pytest.mark.parametrize("n", [1, 3])
def test_team_page_query_count(client, event, django_assert_num_queries, n):
    p = f.exhibitor(event, hosts=n)
    _login(client, f.actor_of(p))
    client.get(_url(event, "team"))  # warm: session
    with django_assert_num_queries(10):
        resp = client.get(_url(event, "team"))
    assert len(resp.context["hosts"]) == n


def test_admin_adds_member_as_host(client, event, exh):
    resp = _login(client, _admin(exh)).post(_url(event, "team"), {"action": "add", "user": _nora(exh).pk})
    assert resp.status_code == 302
    host = ExhibitorHost.objects.get(participant=exh, user=_nora(exh))
    assert host.is_active
    assert _actions("meetings.host_added") == [str(host.pk)]
    page = client.get(resp["Location"]).content.decode()
    assert "Nora Newcomer now takes meetings." in page
    assert "<td>nora@aegis.test</td>" in page
    assert "Every member of the company already takes meetings." in page


def test_add_host_refuses_someone_outside_the_company(client, event, exh):
    outsider = f.actor_of(f.exhibitor(event, "Other Co"))
    resp = _login(client, _admin(exh)).post(_url(event, "team"), {"action": "add", "user": outsider.pk})
    assert resp.status_code == 400
    assert resp.context["form"].errors == {
        "user": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert not ExhibitorHost.objects.filter(user=outsider, participant=exh).exists()
    assert _actions("meetings.host_added") == []


def test_add_host_without_choice_is_a_field_error(client, event, exh):
    resp = _login(client, _admin(exh)).post(_url(event, "team"), {"action": "add"})
    assert resp.status_code == 400
    assert resp.context["form"].errors == {"user": ["This field is required."]}
    assert exh.hosts.count() == 2


def test_removed_host_can_be_added_again(client, event, exh):
    host = _staff_host(exh)
    _login(client, _admin(exh))
    assert client.post(_url(event, "team"), {"action": "remove", "id": host.pk}).status_code == 302
    resp = client.get(_url(event, "team"))
    assert host.user in list(resp.context["form"].fields["user"].queryset)
    assert client.post(_url(event, "team"), {"action": "add", "user": host.user.pk}).status_code == 302
    host.refresh_from_db()
    assert host.is_active and exh.hosts.count() == 2  # the same row, active again


def test_admin_removes_host(client, event, exh):
    host = _staff_host(exh)
    resp = _login(client, _admin(exh)).post(_url(event, "team"), {"action": "remove", "id": host.pk})
    assert resp.status_code == 302
    host.refresh_from_db()
    assert host.is_active is False
    assert _actions("meetings.host_removed") == [str(host.pk)]
    resp = client.get(resp["Location"])
    assert [h.pk for h in resp.context["hosts"]] == [exh.hosts.order_by("id")[0].pk]
    assert f"{host.user.full_name} no longer takes meetings." in resp.content.decode()


def test_host_with_upcoming_meeting_cannot_be_removed(client, event, exh):
    f.move_to_future(event)
    exh.instant_booking = True
    exh.save()
    host, vis = _staff_host(exh), f.visitor(event)
    services.book_instantly(
        actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"), host=host
    )
    _login(client, _admin(exh))
    assert [h.upcoming for h in client.get(_url(event, "team")).context["hosts"]] == [0, 1]
    resp = client.post(_url(event, "team"), {"action": "remove", "id": host.pk})
    assert resp.status_code == 409
    assert (
        f'<div class="errors" role="alert"><p>{host.user.full_name} still has 1 upcoming meeting. Cancel it, '
        f"or wait until it is over, before removing {host.user.full_name} from the meeting team.</p></div>"
    ) in resp.content.decode()
    host.refresh_from_db()
    assert host.is_active
    assert _actions("meetings.host_removed") == []


def test_host_whose_meetings_are_over_can_be_removed(client, event, exh):
    exh.instant_booking = True
    exh.save()
    host, vis = _staff_host(exh), f.visitor(event)
    meeting = services.book_instantly(
        actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00"), host=host
    )  # the test show is over
    resp = _login(client, _admin(exh)).post(_url(event, "team"), {"action": "remove", "id": host.pk})
    assert resp.status_code == 302
    host.refresh_from_db()
    meeting.refresh_from_db()
    assert (host.is_active, meeting.host_id) == (False, host.pk)


def test_last_host_cannot_be_removed(client, event):
    p = f.exhibitor(event, hosts=1)
    host = p.hosts.get()
    resp = _login(client, host.user).post(_url(event, "team"), {"action": "remove", "id": host.pk})
    assert resp.status_code == 400
    assert (
        "is the only person taking meetings for the company. Add a colleague first" in resp.content.decode()
    )
    host.refresh_from_db()
    assert host.is_active


def test_staff_member_sees_team_but_cannot_change_it(client, event, exh):
    nora = _nora(exh)
    resp = _login(client, nora).get(_url(event, "team"))
    assert resp.status_code == 200
    assert resp.context["form"] is None
    page = resp.content.decode()
    assert 'value="remove"' not in page
    assert "Only the company admin and the people taking meetings change the team." in page
    assert client.post(_url(event, "team"), {"action": "add", "user": nora.pk}).status_code == 403
    assert (
        client.post(_url(event, "team"), {"action": "remove", "id": _staff_host(exh).pk}).status_code == 403
    )
    assert exh.hosts.filter(is_active=True).count() == 2
    assert not exh.hosts.filter(user=nora).exists()


def test_removed_host_loses_the_right_to_change_the_company(client, event, exh):
    host = _staff_host(exh)
    assert host.user.has_perm("meetings.change_participant", exh)
    services.remove_host(participant=exh, actor=_admin(exh), host=host)
    user = type(host.user).objects.get(pk=host.user.pk)  # fresh: roles are cached per user object
    assert not user.has_perm("meetings.change_participant", exh)
    assert (
        _login(client, user).post(_url(event, "team"), {"action": "add", "user": _nora(exh).pk}).status_code
        == 403
    )


def test_cannot_remove_another_companys_host(client, event, exh):
    other = f.exhibitor(event, hosts=2)
    foreign = other.hosts.order_by("id")[1]
    resp = _login(client, _admin(exh)).post(_url(event, "team"), {"action": "remove", "id": foreign.pk})
    assert resp.status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


@pytest.mark.parametrize(("who", "code"), [("organiser", 403), ("delegation", 404), ("stranger", 403)])
def test_team_page_refused_to_non_exhibitors(client, event, who, code):
    user = {
        "organiser": lambda: make_organiser(event),
        "delegation": lambda: f.actor_of(f.delegation(event)),
        "stranger": make_user,
    }[who]()
    assert _login(client, user).get(_url(event, "team")).status_code == code


def test_team_page_sends_anonymous_to_sign_in(client, event):
    resp = client.get(_url(event, "team"))
    assert resp.status_code == 302 and "login" in resp["Location"]


# --- caps on the participant page ---------------------------------------------------------------


def test_organiser_sees_caps_on_participant_page(client, event, organiser, exh):
    exh.opted_in = False  # hidden from the directory, still managed
    exh.max_requests = 7
    exh.save()
    resp = _login(client, organiser).get(_url(event, "participant", pk=exh.pk))
    assert resp.status_code == 200
    assert resp.context["caps_form"].initial == {"max_requests": 7, "max_meetings": None}
    page = squash(resp.content.decode())
    assert "<dt>Open requests sent</dt><dd>7</dd>" in page
    assert "<dt>Meetings</dt><dd>24 (show default)</dd>" in page
    assert "Send request" not in page  # the organiser does not book
    assert f'href="{_url(event, "places")}"' in page  # the organiser's tabs


def test_directory_links_participants_for_organisers(client, event, organiser, exh):
    page = _login(client, organiser).get(_url(event, "directory")).content.decode()
    assert f'href="{_url(event, "participant", pk=exh.pk)}"' in page
    assert 'aria-current="page">Directory</a>' in page


def test_organiser_sets_caps(client, event, organiser, exh):
    resp = _login(client, organiser).post(
        _url(event, "participant", pk=exh.pk),
        {"action": "caps", "caps-max_requests": "5", "caps-max_meetings": ""},
    )
    assert resp.status_code == 302
    exh.refresh_from_db()
    assert (exh.max_requests, exh.max_meetings) == (5, None)
    assert AuditLogEntry.objects.get(action="meetings.caps_set").data == {
        "max_requests": 5,
        "max_meetings": None,
    }
    assert "Caps of Aegis Systems saved." in client.get(resp["Location"]).content.decode()


def test_caps_bad_input_is_a_field_error(client, event, organiser, exh):
    resp = _login(client, organiser).post(
        _url(event, "participant", pk=exh.pk),
        {"action": "caps", "caps-max_requests": "-1", "caps-max_meetings": "many"},
    )
    assert resp.status_code == 400
    assert resp.context["caps_form"].errors == {
        "max_requests": ["Ensure this value is greater than or equal to 0."],
        "max_meetings": ["Enter a whole number."],
    }
    exh.refresh_from_db()
    assert (exh.max_requests, exh.max_meetings) == (None, None)
    assert _actions("meetings.caps_set") == []


@pytest.mark.parametrize("who", ["visitor", "exh_admin"])
def test_only_organisers_set_caps(client, event, exh, who):
    user = f.visitor(event).user if who == "visitor" else f.actor_of(f.exhibitor(event))
    _login(client, user)
    assert "caps_form" not in client.get(_url(event, "participant", pk=exh.pk)).context
    resp = client.post(_url(event, "participant", pk=exh.pk), {"action": "caps", "caps-max_requests": "0"})
    assert resp.status_code == 403
    exh.refresh_from_db()
    assert exh.max_requests is None


def test_organiser_without_participant_cannot_send_requests(client, event, organiser, exh):
    resp = _login(client, organiser).post(
        _url(event, "participant", pk=exh.pk), {"action": "request", "priority": "3"}
    )
    assert resp.status_code == 403
    assert exh.received_requests.count() == 0


def test_organiser_cannot_reach_another_events_participant(client, event, other_event, organiser):
    foreign = f.exhibitor(other_event)
    assert _login(client, organiser).get(_url(event, "participant", pk=foreign.pk)).status_code == 404


# --- meeting settings ---------------------------------------------------------------------------

SETTINGS = {
    "slot_minutes": "20",
    "request_expiry_hours": "48",
    "reminder_hours": "12",
    "meeting_reminder_minutes": "30",
    "default_max_requests": "10",
    "default_max_meetings": "15",
}


def test_settings_page_shows_the_defaults(client, event, organiser):
    resp = _login(client, organiser).get(_url(event, "settings"))
    assert resp.status_code == 200
    assert {k: resp.context["form"][k].value() for k in SETTINGS} == {
        "slot_minutes": 30,
        "request_expiry_hours": 72,
        "reminder_hours": 24,
        "meeting_reminder_minutes": 60,
        "default_max_requests": 30,
        "default_max_meetings": 24,
    }
    assert 'aria-current="page">Settings</a>' in resp.content.decode()
    assert not MeetingSettings.objects.exists()


def test_organiser_saves_settings_and_the_slot_grid_follows(client, event, organiser):
    resp = _login(client, organiser).post(_url(event, "settings"), SETTINGS)
    assert resp.status_code == 302
    conf = MeetingSettings.objects.get(event=event)
    assert {k: getattr(conf, k) for k in SETTINGS} == {k: int(v) for k, v in SETTINGS.items()}
    first_day = event.days.order_by("date").first()
    start, end = day_slots(event, first_day)[0]
    assert (end - start).total_seconds() == 20 * 60
    assert AuditLogEntry.objects.get(action="meetings.settings_changed").data["slot_minutes"] == "20"
    assert "Meeting settings saved." in client.get(resp["Location"]).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("slot_minutes", "5", "A slot lasts 10 to 240 minutes."),
        ("slot_minutes", "", "This field is required."),
        ("request_expiry_hours", "0", "Requests stay open at least one hour."),
        (
            "reminder_hours",
            "48",
            (
                "The reminder must come before the request expires: fewer hours than the expiry, "
                "or 0 for no reminder."
            ),
        ),
        ("meeting_reminder_minutes", "181", "Meeting reminders go out at most 180 minutes before a meeting."),
        ("default_max_meetings", "-3", "Ensure this value is greater than or equal to 0."),
        ("default_max_requests", "40000", "Ensure this value is less than or equal to 32767."),
        ("default_max_requests", "ten", "Enter a whole number."),
    ],
)
def test_settings_bad_input_is_a_field_error(client, event, organiser, field, value, error):
    resp = _login(client, organiser).post(_url(event, "settings"), {**SETTINGS, field: value})
    assert resp.status_code == 400
    assert resp.context["form"].errors == {field: [error]}
    assert 'class="errorlist' in resp.content.decode()
    assert not MeetingSettings.objects.exists()
    assert _actions("meetings.settings_changed") == []


def test_slot_length_frozen_while_a_round_has_a_draft(client, event, organiser):
    Round.objects.create(event=event, name="Round 1", status=Round.Status.DRAFT)
    _login(client, organiser)
    resp = client.post(_url(event, "settings"), SETTINGS)
    assert resp.status_code == 409
    assert resp.context["form"].errors["slot_minutes"][0].startswith("A matchmaking round is being scheduled")
    assert not MeetingSettings.objects.exists()
    resp = client.post(_url(event, "settings"), {**SETTINGS, "slot_minutes": "30"})  # the rest may change
    assert resp.status_code == 302
    assert MeetingSettings.objects.get(event=event).default_max_meetings == 15


@pytest.mark.parametrize("who", ["exh_admin", "visitor", "other_organiser"])
def test_settings_organisers_only(client, event, other_event, who):
    user = {
        "exh_admin": lambda: f.actor_of(f.exhibitor(event)),
        "visitor": lambda: f.visitor(event).user,
        "other_organiser": lambda: make_organiser(other_event),
    }[who]()
    _login(client, user)
    assert client.get(_url(event, "settings")).status_code == 403
    assert client.post(_url(event, "settings"), SETTINGS).status_code == 403
    assert not MeetingSettings.objects.exists()


# --- place blockings ----------------------------------------------------------------------------


def _block(client, event, place, start="2025-11-18T12:00", end="2025-11-18T14:00", reason="Press briefing"):
    return client.post(
        _url(event, "places"),
        {
            "action": "block",
            "block-place": place.pk,
            "block-start": start,
            "block-end": end,
            "block-reason": reason,
        },
    )


def test_block_a_place_in_the_shows_local_time(client, event, organiser):
    table = f.table(event, "T1")
    resp = _block(_login(client, organiser), event, table)
    assert resp.status_code == 302
    b = PlaceBlocking.objects.get()
    assert (b.place, b.start, b.end, b.reason) == (
        table,
        datetime(2025, 11, 18, 11, 0, tzinfo=UTC),
        datetime(2025, 11, 18, 13, 0, tzinfo=UTC),
        "Press briefing",
    )
    assert _actions("meetings.place_blocked") == [str(table.pk)]
    page = squash(client.get(resp["Location"]).content.decode())
    assert "T1 is blocked at that time." in page
    assert "Tue 18 Nov 12:00–14:00 · Press briefing" in page


def test_a_blocked_place_cannot_be_booked(client, event, organiser):
    table = f.table(event, "T1")
    _block(_login(client, organiser), event, table)
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    with pytest.raises(DomainError, match=r"^The place is blocked at that time\.$"):
        services.book_instantly(
            actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "12:30"), place=table
        )


def test_blocking_warns_about_meetings_already_there(client, event, organiser):
    table = f.table(event, "T1")
    exh, vis = f.exhibitor(event, instant=True), f.visitor(event)
    services.book_instantly(
        actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "12:30"), place=table
    )
    resp = _block(_login(client, organiser), event, table)
    page = client.get(resp["Location"]).content.decode()
    assert "1 meeting already booked there at that time keeps its place: move it if needed." in page


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"block-end": "2025-11-18T11:00"}, {"end": ["The blocking must end after it starts."]}),
        ({"block-start": "tomorrow"}, {"start": ["Enter a valid date/time."]}),
        ({"block-place": ""}, {"place": ["This field is required."]}),
        (
            {"block-reason": "x" * 201},
            {"reason": ["Ensure this value has at most 200 characters (it has 201)."]},
        ),
    ],
)
def test_block_bad_input_is_a_field_error(client, event, organiser, data, errors):
    table = f.table(event, "T1")
    post = {
        "action": "block",
        "block-place": table.pk,
        "block-start": "2025-11-18T12:00",
        "block-end": "2025-11-18T14:00",
        "block-reason": "",
        **data,
    }
    resp = _login(client, organiser).post(_url(event, "places"), post)
    assert resp.status_code == 400
    assert resp.context["block_form"].errors == errors
    assert not PlaceBlocking.objects.exists()


def test_cannot_block_another_events_place(client, event, other_event, organiser):
    foreign = f.table(other_event, "T1")
    resp = _block(_login(client, organiser), event, foreign)
    assert resp.status_code == 400
    assert list(resp.context["block_form"].errors) == ["place"]
    assert not PlaceBlocking.objects.exists()


def test_remove_a_blocking(client, event, organiser):
    table = f.table(event, "T1")
    b = services.block_place(
        place=table, actor=organiser, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00")
    )
    resp = _login(client, organiser).post(_url(event, "places"), {"action": "unblock", "id": b.pk})
    assert resp.status_code == 302
    assert not PlaceBlocking.objects.exists()
    entry = AuditLogEntry.objects.get(action="meetings.place_unblocked")
    assert (entry.object_id, entry.data["start"]) == (str(table.pk), "2025-11-18T11:00:00+00:00")
    assert "Blocking of T1 removed." in client.get(resp["Location"]).content.decode()


def test_cannot_remove_another_events_blocking(client, event, other_event, organiser):
    foreign = f.table(other_event, "T1")
    b = PlaceBlocking.objects.create(
        place=foreign, start=f.at(other_event, 1, "12:00"), end=f.at(other_event, 1, "13:00")
    )
    assert (
        _login(client, organiser).post(_url(event, "places"), {"action": "unblock", "id": b.pk}).status_code
        == 404
    )
    assert PlaceBlocking.objects.filter(pk=b.pk).exists()


@pytest.mark.parametrize("who", ["exh_admin", "visitor"])
def test_blockings_organisers_only(client, event, who):
    table = f.table(event, "T1")
    b = PlaceBlocking.objects.create(place=table, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00"))
    user = f.actor_of(f.exhibitor(event)) if who == "exh_admin" else f.visitor(event).user
    _login(client, user)
    assert _block(client, event, table).status_code == 403
    assert client.post(_url(event, "places"), {"action": "unblock", "id": b.pk}).status_code == 403
    assert list(PlaceBlocking.objects.values_list("pk", flat=True)) == [b.pk]


@pytest.mark.parametrize("n", [1, 3])
def test_places_page_query_count(client, event, organiser, django_assert_num_queries, n):
    for i in range(n):
        t = f.table(event, f"T{i}")
        PlaceBlocking.objects.create(place=t, start=f.at(event, 1, "12:00"), end=f.at(event, 1, "13:00"))
    _login(client, organiser)
    client.get(_url(event, "places"))  # warm: session
    with django_assert_num_queries(10):
        resp = client.get(_url(event, "places"))
    assert [len(p.blockings.all()) for p in resp.context["page"].object_list] == [1] * n
