"""The REST API: same services and predicates as the pages."""

from __future__ import annotations

from datetime import time

import pytest
from rest_framework.test import APIClient

from exhibition.accounts.models import Invitation, Membership, User
from exhibition.core.models import OutboxMessage
from exhibition.delegations import selectors, services
from exhibition.delegations.models import Delegation, Exclusion, HostingWindow, HostWish, StandHosting, Visit
from tests import factories
from tests.factories import make_sector
from tests.factories.delegations import DAY, candidate, make_official_delegation

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def base(show):
    return f"/api/v1/events/{show.event.slug}/"


@pytest.mark.parametrize("n", [1, 3])
def test_delegation_list_query_count(event, organiser, django_assert_num_queries, n):
    for i in range(n):
        make_official_delegation(event, f"D{i}", "CL")
    c = api(organiser)
    with django_assert_num_queries(6):
        r = c.get(f"/api/v1/events/{event.slug}/delegations/")
    assert r.status_code == 200 and r.json()["count"] == n


def test_delegation_list_is_scoped(show, organiser):
    assert [
        d["official_name"] for d in api(show.member).get(base(show) + "delegations/").json()["results"]
    ] == ["Brazil – National Police"]
    assert api(organiser).get(base(show) + "delegations/").json()["count"] == 2
    assert api(show.exhibitor).get(base(show) + "delegations/").status_code == 403


def test_organiser_registers_a_delegation_as_the_page_does(show, organiser):
    url = base(show) + "delegations/"
    r = api(organiser).post(
        url,
        {
            "official_name": "  Chile –  Carabineros ",
            "country": "cl",
            "protocol_level": "high_level",
            "languages": "Spanish, English",
            "head_email": "jefe@carabineros.test",
        },
        format="json",
    )

    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["official_name"], body["country"], body["protocol_level"]) == (
        "Chile – Carabineros",
        "CL",
        "high_level",
    )
    d = Delegation.objects.get(pk=body["id"])
    assert d.organisation.is_admitted and d.organisation.event == show.event
    invited = Invitation.objects.get(email="jefe@carabineros.test")  # the head is invited to sign in
    assert (invited.organisation, invited.role) == (d.organisation, Invitation.Role.DELEGATION_LEAD)
    assert api(organiser).get(url, {"q": "Carabineros"}).json()["count"] == 1

    # Bad input: field-level errors, nothing written.
    bad = api(organiser).post(
        url, {"official_name": " ", "country": "XX", "head_email": "nope"}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()) >= {"official_name", "country", "head_email"}
    assert "Choose a country from the list." in bad.json()["country"]
    taken = api(organiser).post(url, {"official_name": "Chile – Carabineros", "country": "CL"}, format="json")
    assert taken.status_code == 400 and "official_name" in taken.json()
    assert Delegation.objects.filter(official_name__contains="Carabineros").count() == 1

    # Only organisers register.
    for user in (show.head, show.exhibitor):
        assert api(user).post(url, {"official_name": "X", "country": "FR"}, format="json").status_code == 403


def test_days_on_site_are_set_listed_and_removed(show, organiser):
    days = base(show) + f"delegations/{show.delegation.pk}/days/"
    c = api(organiser)
    assert [d["date"] for d in c.get(days).json()] == ["2025-11-18"]

    r = c.post(
        days,
        {
            "date": "2025-11-19",
            "start": "10:30",
            "end": "15:00",
            "start_point": "ENTRANCE-5A",
            "end_point": "5A-LOUNGE",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert (r.json()["start"], r.json()["end_point"]) == ("10:30:00", "5A-LOUNGE")
    again = c.post(  # the same day again: new hours, still one day
        days,
        {
            "date": "2025-11-19",
            "start": "11:00",
            "end": "15:00",
            "start_point": "ENTRANCE-5A",
            "end_point": "ENTRANCE-5A",
        },
        format="json",
    )
    assert again.status_code == 201 and [d["start"] for d in c.get(days).json()] == ["10:00:00", "11:00:00"]

    for bad, field in (
        ({"date": "2025-12-25"}, "date"),  # not a day of the show
        ({"start": "08:00"}, "start"),  # before the show opens
        ({"end": "10:00"}, "end"),  # ends before it starts
        ({"start_point": "5A-101"}, "start_point"),  # a stand, not an entrance or a lounge
    ):
        body = {
            "date": "2025-11-20",
            "start": "10:30",
            "end": "15:00",
            "start_point": "ENTRANCE-5A",
            "end_point": "ENTRANCE-5A",
        }
        r = c.post(days, {**body, **bad}, format="json")
        assert r.status_code == 400 and field in r.json(), (bad, r.json())
    assert len(c.get(days).json()) == 2

    # A day with visits in the programme stays; an empty one goes.
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    first, second = c.get(days).json()
    assert c.delete(days + f"{first['id']}/").status_code == 409
    assert c.delete(days + f"{second['id']}/").status_code == 204
    assert [d["date"] for d in c.get(days).json()] == ["2025-11-18"]

    # The exhibitor does not see another's delegation; the other delegation's head may not change it.
    assert api(show.exhibitor).get(days).status_code in (403, 404)
    assert api(show.other_head).post(days, {"date": "2025-11-20"}, format="json").status_code in (403, 404)


def test_a_delegation_asks_a_company_for_a_visit_and_the_company_answers(show, organiser):
    aegis, bastion = show.companies[0], show.companies[1]
    asked = base(show) + f"delegations/{show.delegation.pk}/visit-requests/"
    head = api(show.head)

    r = head.post(asked, {"company": aegis.pk, "message": "A live demonstration, please."}, format="json")
    assert r.status_code == 201, r.json()
    req = r.json()
    assert (req["company_name"], req["delegation_name"], req["status"]) == (
        "Aegis Systems",
        "Brazil – National Police",
        "pending",
    )
    assert head.post(asked, {"company": show.other.organisation.pk}, format="json").json() == {
        "company": ["Choose an exhibitor of this show."]
    }  # a delegation is not an exhibitor
    assert head.post(asked, {"company": 999999}, format="json").status_code == 400
    assert [x["id"] for x in head.get(asked).json()] == [req["id"]]
    # Another delegation's head neither sees nor asks for this one.
    assert api(show.other_head).get(asked).status_code in (403, 404)
    assert api(show.other_head).post(asked, {"company": aegis.pk}, format="json").status_code in (403, 404)

    # The company sees the requests to it, and only those; another company cannot answer.
    inbox = base(show) + "visit-requests/"
    assert [x["id"] for x in api(show.exhibitor).get(inbox).json()["results"]] == [req["id"]]
    assert api(show.exhibitor2).get(inbox).json()["results"] == []
    answer = base(show) + f"visit-requests/{req['id']}/answer/"
    assert api(show.exhibitor2).post(answer, {"accept": True}, format="json").status_code == 404
    assert api(show.exhibitor).post(answer, {}, format="json").json() == {
        "accept": ["This field is required."]
    }

    r = api(show.exhibitor).post(answer, {"accept": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert show.delegation.candidates.filter(stand__exhibitor=aegis).exists()  # for the planner
    assert api(show.exhibitor).post(answer, {"accept": False}, format="json").status_code == 409
    assert api(organiser).get(inbox).json()["count"] == 1
    assert bastion.delegation_requests.count() == 0


def test_detail_hides_internal_notes_from_the_delegation(show, organiser):
    show.delegation.internal_notes = "secret"
    show.delegation.save()
    path = base(show) + f"delegations/{show.delegation.pk}/"
    assert api(organiser).get(path).json()["internal_notes"] == "secret"
    assert api(show.head).get(path).json()["internal_notes"] is None
    assert api(show.other_head).get(path).status_code == 403
    r = api(show.head).patch(path, {"internal_notes": "x"}, format="json")
    assert r.status_code == 403
    r = api(show.head).patch(path, {"languages": "pt"}, format="json")
    assert r.status_code == 200 and r.json()["languages"] == "pt"


def test_members_and_interests(show, organiser):
    make_sector(show.event, "cyber")
    c = api(show.head)
    path = base(show) + f"delegations/{show.delegation.pk}/"
    r = c.post(
        path + "members/",
        {"name": "Ana", "title": "Colonel", "language": "en", "is_head": True},
        format="json",
    )
    assert r.status_code == 201 and r.json()["is_head"] is True
    assert api(show.member).post(path + "members/", {"name": "X"}, format="json").status_code == 403
    r = c.post(path + "interests/", {"sector": "cyber", "priority": 4}, format="json")
    assert r.status_code == 201 and r.json()["sector"] == "cyber"
    r = c.post(path + "interests/", {"sector": "cyber", "priority": 2}, format="json")
    assert r.status_code == 400 and r.json() == {"sector": ["This interest is already listed."]}
    assert [i["priority"] for i in c.get(path + "interests/").json()] == [4]
    member_id = c.get(path + "members/").json()[0]["id"]
    assert c.delete(path + f"members/{member_id}/").status_code == 204


def test_visits_add_conflict_move_and_programme(show, organiser):
    c = api(organiser)
    path = base(show) + f"delegations/{show.delegation.pk}/"
    r = c.post(path + "visits/", {"stand": "5A-101", "date": "2025-11-18", "start": "11:00"}, format="json")
    assert r.status_code == 201 and r.json()["pinned"] is True
    r = c.post(path + "visits/", {"stand": "5A-102", "date": "2025-11-18", "start": "11:10"}, format="json")
    assert r.status_code == 400
    assert r.json() == {"start": ["It overlaps the visit to stand 5A-101 (11:00–11:20)."]}
    visit_id = Visit.objects.get().pk
    r = c.patch(path + f"visits/{visit_id}/", {"start": "13:00"}, format="json")
    assert r.status_code == 200 and r.json()["start"] == "2025-11-18T13:00:00+01:00"
    assert api(show.head).get(path + "visits/").status_code == 403
    assert c.post(path + "programme/").json() == {
        "added": 1,
        "moved": 0,
        "removed": 0,
        "notified": 2,
    }  # head + host
    programme = api(show.member).get(path + "programme/").json()
    assert [(v["stand"], v["local_start"], v["exhibitor"]) for v in programme["visits"]] == [
        ("5A-101", "13:00", "Aegis Systems")
    ]
    assert api(show.member).post(path + "programme/").status_code == 403


def test_visits_per_hall_as_the_page_lists_them(show, organiser, django_assert_max_num_queries):
    """The organiser's per-hall view through the API: one hall, one day, each visit with its stand,
    exhibitor and delegation; a wrong hall or day is a field error; organisers only."""

    for delegation, at in ((show.delegation, time(11, 0)), (show.other, time(14, 0))):
        services.add_visit(delegation=delegation, actor=organiser, stand=show.stands[0], day=DAY, start=at)
    c, path = api(organiser), base(show) + "delegation-visits/"
    with django_assert_max_num_queries(6):  # 4 here; the same for 2 visits or 200: one query lists them
        r = c.get(path, {"hall": "5A", "date": "2025-11-18"})
    assert r.status_code == 200
    assert [(v["stand"], v["exhibitor"], v["delegation_name"], v["start"]) for v in r.json()] == [
        ("5A-101", "Aegis Systems", "Brazil – National Police", "2025-11-18T11:00:00+01:00"),
        ("5A-101", "Aegis Systems", "Kenya – Civil Protection", "2025-11-18T14:00:00+01:00"),
    ]
    assert c.get(path, {"hall": "9Z", "date": "2025-11-18"}).json() == {"hall": ["There is no hall 9Z."]}
    assert c.get(path, {"hall": "5a", "date": "2025-11-18"}).status_code == 200  # as the plan reads codes
    assert c.get(path, {"hall": "5A", "date": "2025-12-25"}).json() == {
        "date": ["That is not a day of the show."]
    }
    r = c.get(path, {"hall": "5A"})
    assert r.status_code == 400 and list(r.json()) == ["date"]
    assert api(show.head).get(path, {"hall": "5A", "date": "2025-11-18"}).status_code == 403
    assert api(show.exhibitor).get(path, {"hall": "5A", "date": "2025-11-18"}).status_code == 403


def test_hosting_windows(show, organiser):
    c = api(show.exhibitor)
    r = c.post(
        base(show) + "hosting-windows/",
        {"organisation": show.companies[0].pk, "date": "2025-11-18", "start": "10:00", "end": "12:00"},
        format="json",
    )
    assert r.status_code == 201
    r = c.post(
        base(show) + "hosting-windows/",
        {"organisation": show.companies[1].pk, "date": "2025-11-18", "start": "10:00", "end": "12:00"},
        format="json",
    )
    assert r.status_code == 403
    services.add_hosting_window(
        company=show.companies[1], actor=organiser, day=DAY, start=time(9, 30), end=time(11, 0)
    )
    assert [w["organisation"] for w in c.get(base(show) + "hosting-windows/").json()["results"]] == [
        show.companies[0].pk
    ]
    other_window = HostingWindow.objects.get(organisation=show.companies[1])
    assert c.delete(base(show) + f"hosting-windows/{other_window.pk}/").status_code == 404
    assert HostingWindow.objects.count() == 2


def test_planning_endpoint(show, organiser, django_capture_on_commit_callbacks):
    for s in show.stands:
        services.add_candidate(delegation=show.delegation, actor=organiser, stand=s)
    c = api(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            base(show) + "delegation-planning/",
            {"delegation": show.delegation.pk, "time_limit": 0.5},
            format="json",
        )
    assert r.status_code == 202
    run = c.get(base(show) + f"delegation-planning/{r.json()['id']}/").json()
    assert run["status"] == "done" and run["stats"]["visits"] == 4
    assert c.delete(base(show) + f"delegation-planning/{run['id']}/").status_code == 409
    assert api(show.head).post(base(show) + "delegation-planning/", {}, format="json").status_code == 403


def test_summary_has_delegation_figures(show, organiser):
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    services.publish_programme(delegation=show.delegation, actor=organiser)
    data = api(organiser).get(base(show) + "summary/").json()["delegations"]
    assert data["total"] == 2
    assert (
        data["visits_planned"],
        data["visits_published"],
        data["programmes_published"],
        data["on_site"],
    ) == (1, 1, 1, 2)


# --- the page-only actions, now with their endpoints -------------------------------------------------


def _local_starts(delegation, event):
    return {
        v.stand.number: v.start.astimezone(event.tz).time() for v in delegation.visits.select_related("stand")
    }


def test_running_late_replans_the_rest_of_the_day_as_the_timeline_does(show, organiser, other_event):
    for stand, at in zip(show.stands[:3], (time(10, 5), time(11, 0), time(12, 0)), strict=True):
        candidate(show.delegation, stand)
        services.add_visit(delegation=show.delegation, actor=organiser, stand=stand, day=DAY, start=at)
    services.add_visit(
        delegation=show.other, actor=organiser, stand=show.stands[3], day=DAY, start=time(13, 0)
    )
    services.publish_all(event=show.event, actor=organiser)
    other_before = set(show.other.visits.values_list("uid", "start"))
    late = base(show) + f"delegations/{show.delegation.pk}/running-late/"
    c = api(organiser)

    # Field errors: nothing moves.
    before = _local_starts(show.delegation, show.event)
    assert c.post(
        late, {"date": "2025-11-18", "not_before": "11:00", "since": "12:00"}, format="json"
    ).json() == {"since": ["The missed visits start before the delegation is ready again."]}
    assert c.post(late, {"date": "2025-11-19", "not_before": "11:30"}, format="json").json() == {
        "date": ["The delegation is not on site on 2025-11-19."]
    }
    r = c.post(late, {"date": "2025-11-18"}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["not_before"]
    assert _local_starts(show.delegation, show.event) == before

    # Only organisers; another event's delegation is not found.
    assert (
        api(show.head).post(late, {"date": "2025-11-18", "not_before": "11:30"}, format="json").status_code
        == 403
    )
    foreign = make_official_delegation(other_event, "Foreign", "FR")
    assert (
        c.post(
            f"/api/v1/events/{show.event.slug}/delegations/{foreign.pk}/running-late/",
            {"date": "2025-11-18", "not_before": "11:30"},
            format="json",
        ).status_code
        == 404
    )
    assert _local_starts(show.delegation, show.event) == before

    # Overran the 10:05 visit until 11:30: the 11:00 visit was missed and is placed again later.
    r = c.post(late, {"date": "2025-11-18", "not_before": "11:30", "since": "10:30"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["changed_delegations"] == [show.delegation.pk]
    starts = _local_starts(show.delegation, show.event)
    assert starts["5A-101"] == time(10, 5)  # made: kept
    assert starts["5A-102"] >= time(11, 30)  # missed: placed again later
    assert set(show.other.visits.values_list("uid", "start")) == other_before
    programme = api(show.member).get(base(show) + f"delegations/{show.delegation.pk}/programme/").json()
    assert {v["stand"]: v["local_start"] for v in programme["visits"]}["5A-101"] == "10:05"
    assert programme["version"] == 2  # published again, with the change


def test_publish_all_publishes_every_programme(
    show, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    for d, at in ((show.delegation, time(11, 0)), (show.other, time(13, 0))):
        services.add_visit(delegation=d, actor=organiser, stand=show.stands[0], day=DAY, start=at)
    publish = base(show) + "delegation-programmes/publish/"

    for user in (show.head, show.exhibitor):  # only organisers
        assert api(user).post(publish).status_code == 403
    assert not show.delegation.published_visits.exists()

    with django_capture_on_commit_callbacks(execute=True):
        r = api(organiser).post(publish)
    assert r.status_code == 200
    assert r.json() == {"delegations": 2, "added": 2, "moved": 0, "removed": 0, "notified": 4}
    for d in (show.delegation, show.other):
        assert [v.stand.number for v in d.published_visits.select_related("stand")] == ["5A-101"]
    assert {m.to[0] for m in mailoutbox} == {"head@br.test", "head@ke.test", "admin@aegis.test"}
    # nothing changed since: nothing published, nobody told
    assert api(organiser).post(publish).json() == {
        "delegations": 0,
        "added": 0,
        "moved": 0,
        "removed": 0,
        "notified": 0,
    }


def test_withdraw_and_readmit_a_delegation(show, organiser, other_event):
    path = base(show) + f"delegations/{show.delegation.pk}/"
    c = api(organiser)
    assert c.post(path + "withdraw/", {}, format="json").json() == {
        "reason": ["Give the reason (it stays in the audit log)."]
    }
    r = c.post(path + "withdraw/", {"reason": "x" * 201}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["reason"]
    for user in (show.head, show.other_head, show.exhibitor):  # only organisers
        assert api(user).post(path + "withdraw/", {"reason": "No"}, format="json").status_code == 403
    show.delegation.organisation.refresh_from_db()
    assert show.delegation.organisation.is_admitted
    assert api(show.head).get(path).status_code == 200

    r = c.post(path + "withdraw/", {"reason": "Cancelled trip"}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["id"], body["received"], body["received_since"], body["admission_note"]) == (
        show.delegation.pk,
        False,
        None,
        "Cancelled trip",
    )
    head = User.objects.get(pk=show.head.pk)  # roles are cached on the user object: read them afresh
    assert api(head).get(path).status_code == 403  # its members have lost access
    assert api(head).post(path + "readmit/").status_code == 403

    r = c.post(path + "readmit/")
    assert r.status_code == 200
    assert (r.json()["received"], r.json()["admission_note"]) == (True, "Received again")
    assert r.json()["received_since"] is not None
    assert api(User.objects.get(pk=show.head.pk)).get(path).status_code == 200  # back in

    foreign = make_official_delegation(other_event, "Foreign", "FR")
    assert c.post(base(show) + f"delegations/{foreign.pk}/withdraw/", {"reason": "x"}).status_code == 404


def test_exclusions_are_added_listed_and_removed(show, organiser):
    aegis = show.companies[0]
    candidate(show.delegation, show.stands[0])
    candidate(show.delegation, show.stands[1])
    services.add_visit(
        delegation=show.delegation, actor=organiser, stand=show.stands[0], day=DAY, start=time(11, 0)
    )
    path = base(show) + f"delegations/{show.delegation.pk}/exclusions/"
    c = api(organiser)

    # Field errors: nothing excluded.
    for bad, field, message in (
        ({}, "company", "Choose either a company or a country."),
        ({"company": aegis.pk, "country": "FR"}, "company", "Choose either a company or a country."),
        ({"company": show.other.organisation.pk}, "company", "Choose an exhibitor of this show."),
        ({"company": 999999}, "company", "Choose an exhibitor of this show."),
        ({"country": "XX"}, "country", "Choose a country from the list."),
    ):
        r = c.post(path, bad, format="json")
        assert r.status_code == 400 and r.json() == {field: [message]}, (bad, r.json())
    for user in (show.head, show.exhibitor):  # only organisers
        assert api(user).post(path, {"company": aegis.pk}, format="json").status_code == 403
        assert api(user).get(path).status_code == 403
    assert c.get(path).json() == []

    r = c.post(path, {"company": aegis.pk, "reason": "Export licence"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json() == {
        "id": r.json()["id"],
        "company": aegis.pk,
        "company_name": "Aegis Systems",
        "country": "",
        "reason": "Export licence",
    }
    # the candidate and the visit at Aegis are gone, as on the page
    assert [x.stand.number for x in show.delegation.candidates.select_related("stand")] == ["5A-102"]
    assert not show.delegation.visits.exists()
    r = c.post(path, {"country": "de"}, format="json")
    assert r.status_code == 201 and r.json()["country"] == "DE"
    assert not show.delegation.candidates.exists()  # Bastion Optics is German
    assert [(x["company_name"], x["country"]) for x in c.get(path).json()] == [
        ("Aegis Systems", ""),
        (None, "DE"),
    ]

    # another delegation's exclusion is not found from this one
    theirs = services.add_exclusion(delegation=show.other, actor=organiser, country="US")
    assert c.delete(path + f"{theirs.pk}/").status_code == 404
    first = c.get(path).json()[0]["id"]
    assert api(show.head).delete(path + f"{first}/").status_code == 403
    assert c.delete(path + f"{first}/").status_code == 204
    assert [x["country"] for x in c.get(path).json()] == ["DE"]
    assert show.other.exclusions.count() == 1


@pytest.mark.parametrize("n", [1, 3])
def test_exclusion_and_candidate_lists_query_count(show, organiser, django_assert_num_queries, n):
    for company, stand in zip(show.companies[:n], show.stands[:n], strict=True):
        Exclusion.objects.create(delegation=show.delegation, company=company)
        candidate(show.other, stand)
    c = api(organiser)
    with django_assert_num_queries(6):  # with the organiser's roles at the event (3)
        r = c.get(base(show) + f"delegations/{show.delegation.pk}/exclusions/")
    assert len(r.json()) == n
    with django_assert_num_queries(3):  # the event, the delegation, its candidates (roles read above)
        r = c.get(base(show) + f"delegations/{show.other.pk}/candidates/")
    assert len(r.json()) == n


def test_candidate_visits_are_edited_for_the_planner(show, organiser):
    mine = candidate(show.delegation, show.stands[0], score=4, duration=20)
    theirs = candidate(show.other, show.stands[1])
    path = base(show) + f"delegations/{show.delegation.pk}/candidates/"
    c = api(organiser)
    assert c.get(path).json() == [
        {
            "id": mine.pk,
            "stand": "5A-101",
            "exhibitor": "Aegis Systems",
            "source": "sector",
            "score": 4.0,
            "score_adjusted": False,
            "duration": 20,
            "required": False,
        }
    ]

    r = c.patch(path + f"{mine.pk}/", {"score": 8.5, "duration": 30, "required": True}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["score"], r.json()["score_adjusted"], r.json()["duration"], r.json()["required"]) == (
        8.5,
        True,
        30,
        True,
    )
    mine.refresh_from_db()
    assert (mine.score, mine.score_adjusted, mine.duration, mine.required) == (8.5, True, 30, True)
    r = c.patch(path + f"{mine.pk}/", {"required": False}, format="json")  # only what changes
    assert (r.json()["score"], r.json()["duration"], r.json()["required"]) == (8.5, 30, False)

    for bad, field in (
        ({"score": 0}, "score"),
        ({"score": 1e300}, "score"),
        ({"duration": 3}, "duration"),
        ({"duration": 241}, "duration"),
    ):
        r = c.patch(path + f"{mine.pk}/", bad, format="json")
        assert r.status_code == 400 and list(r.json()) == [field], (bad, r.json())
    assert c.patch(path + f"{theirs.pk}/", {"score": 2}, format="json").status_code == 404
    for user in (show.head, show.member, show.exhibitor):
        assert api(user).patch(path + f"{mine.pk}/", {"score": 1}, format="json").status_code == 403
        assert api(user).get(path).status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.score, mine.duration, theirs.score) == (8.5, 30, 10)


def test_hosting_capacity_is_set_by_the_company(show, organiser):
    staff = factories.make_member(show.companies[0], Membership.Role.STAFF, email="staff@aegis.test")
    path = base(show) + "hosting-capacities/"
    assert api(show.exhibitor).get(path).json()["results"] == [
        {
            "stand": "5A-101",
            "hall": "5A",
            "exhibitor": show.companies[0].pk,
            "exhibitor_name": "Aegis Systems",
            "capacity": 1,
        }
    ]
    assert [x["stand"] for x in api(organiser).get(path).json()["results"]] == [
        "5A-101",
        "5A-102",
        "5A-103",
        "5A-104",
    ]
    assert api(show.head).get(path).status_code == 403

    r = api(show.exhibitor).put(path + "5A-101/", {"capacity": 3}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["capacity"] == 3
    assert StandHosting.objects.get(stand=show.stands[0]).capacity == 3
    assert [x["capacity"] for x in api(show.exhibitor).get(path).json()["results"]] == [3]

    for bad in ({"capacity": 0}, {"capacity": 21}, {}):
        r = api(show.exhibitor).put(path + "5A-101/", bad, format="json")
        assert r.status_code == 400 and list(r.json()) == ["capacity"], (bad, r.json())
    # another company's stand and a stand that does not exist are not found; staff may not change it
    assert api(show.exhibitor).put(path + "5A-102/", {"capacity": 2}, format="json").status_code == 404
    assert api(show.exhibitor).put(path + "9Z-999/", {"capacity": 2}, format="json").status_code == 404
    assert api(staff).put(path + "5A-101/", {"capacity": 5}, format="json").status_code == 403
    assert api(show.head).put(path + "5A-101/", {"capacity": 5}, format="json").status_code == 403
    assert StandHosting.objects.get(stand=show.stands[0]).capacity == 3
    assert not StandHosting.objects.filter(stand=show.stands[1]).exists()
    assert api(organiser).put(path + "5A-102/", {"capacity": 2}, format="json").json()["capacity"] == 2


def test_hosting_wishes_are_added_listed_and_removed(show, organiser):
    aegis, bastion = show.companies[0], show.companies[1]
    path = base(show) + "hosting-wishes/"
    c = api(show.exhibitor)
    assert [(d["id"], d["official_name"]) for d in c.get(path + "delegations/").json()["results"]] == [
        (show.delegation.pk, "Brazil – National Police"),
        (show.other.pk, "Kenya – Civil Protection"),
    ]
    assert api(show.head).get(path + "delegations/").status_code == 403

    r = c.post(
        path, {"company": aegis.pk, "delegation": show.delegation.pk, "note": "Demo ready"}, format="json"
    )
    assert r.status_code == 201, r.json()
    wish = r.json()
    assert (wish["company_name"], wish["delegation_name"], wish["note"]) == (
        "Aegis Systems",
        "Brazil – National Police",
        "Demo ready",
    )
    # the organiser sees it on the delegation's page as a suggestion
    assert [w.company for w in selectors.delegation_detail(show.delegation)["wishes"]] == [aegis]

    for bad, field, message in (
        (
            {"company": aegis.pk, "delegation": show.delegation.pk},
            "delegation",
            "This delegation is already on your list.",
        ),
        ({"company": aegis.pk, "delegation": 999999}, "delegation", "Choose a delegation of this show."),
        (
            {"company": show.other.organisation.pk, "delegation": show.other.pk},
            "company",
            "Choose an exhibitor of this show.",
        ),
    ):
        r = c.post(path, bad, format="json")
        assert r.status_code == 400 and r.json() == {field: [message]}, (bad, r.json())
    r = c.post(path, {"company": aegis.pk}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["delegation"]
    # another company's wishes are not the exhibitor's to make
    assert (
        c.post(path, {"company": bastion.pk, "delegation": show.other.pk}, format="json").status_code == 403
    )

    services.add_wish(company=bastion, actor=show.exhibitor2, delegation=show.other)
    assert [w["company_name"] for w in c.get(path).json()["results"]] == ["Aegis Systems"]
    assert [w["company_name"] for w in api(organiser).get(path).json()["results"]] == [
        "Aegis Systems",
        "Bastion Optics",
    ]
    assert api(show.exhibitor2).delete(path + f"{wish['id']}/").status_code == 404
    assert c.delete(path + f"{wish['id']}/").status_code == 204
    assert c.get(path).json()["results"] == []
    assert HostWish.objects.filter(company=bastion).count() == 1


@pytest.mark.parametrize("n", [1, 3])
def test_hosting_lists_query_count(show, organiser, django_assert_num_queries, n):
    for company, stand in zip(show.companies[:n], show.stands[:n], strict=True):
        services.set_capacity(stand=stand, actor=organiser, capacity=2)
        services.add_wish(company=company, actor=organiser, delegation=show.delegation)
    c = api(organiser)
    with django_assert_num_queries(3):
        r = c.get(base(show) + "hosting-wishes/")
    assert r.json()["count"] == n
    with django_assert_num_queries(3):
        r = c.get(base(show) + "hosting-capacities/")
    assert [x["capacity"] for x in r.json()["results"]] == [2] * n + [1] * (4 - n)


def test_candidates_are_added_by_hand_and_proposed_from_the_interests(show, organiser):
    path = base(show) + f"delegations/{show.delegation.pk}/candidates/"
    c = api(organiser)

    r = c.post(path, {"stand": "5a-102", "duration": 30}, format="json")

    assert r.status_code == 201, r.json()
    assert {k: r.json()[k] for k in ("stand", "exhibitor", "duration", "required")} == {
        "stand": "5A-102",
        "exhibitor": "Bastion Optics",
        "duration": 30,
        "required": False,
    }
    for bad, field in (
        ({"stand": "9Z-999"}, "stand"),
        ({"stand": "5A-101", "duration": 2}, "duration"),
        ({}, "stand"),
    ):
        r = c.post(path, bad, format="json")
        assert r.status_code == 400 and list(r.json()) == [field], (bad, r.json())
    assert api(show.head).post(path, {"stand": "5A-101"}, format="json").status_code == 403

    # the head names an exhibitor they want to see; proposing again adds it and keeps the hand-made one
    services.add_interest(
        delegation=show.delegation, actor=show.head, priority=5, exhibitor=show.companies[2]
    )
    r = c.post(path + "propose/")
    assert r.status_code == 200
    assert sorted(x["exhibitor"] for x in r.json()) == ["Bastion Optics", "Cobalt Drones"]
    assert sorted(x["exhibitor"] for x in c.get(path).json()) == ["Bastion Optics", "Cobalt Drones"]
    assert api(show.head).post(path + "propose/").status_code == 403


def test_the_organiser_invites_the_head_of_delegation(show, organiser, django_capture_on_commit_callbacks):
    path = base(show) + f"delegations/{show.delegation.pk}/invite-head/"
    with django_capture_on_commit_callbacks(execute=True):
        r = api(organiser).post(path, {"email": "chefe@pf.gov.br"}, format="json")

    assert r.status_code == 201
    assert (r.json()["email"], r.json()["role"], r.json()["organisation"]) == (
        "chefe@pf.gov.br",
        "delegation_lead",
        show.delegation.organisation_id,
    )
    assert OutboxMessage.objects.filter(recipient="chefe@pf.gov.br").exists()
    r = api(organiser).post(path, {"email": "not an address"}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["email"]
    # the head of delegation and the other delegation's head may not
    for user in (show.head, show.other_head):
        assert api(user).post(path, {"email": "x@pf.gov.br"}, format="json").status_code in (403, 404)
