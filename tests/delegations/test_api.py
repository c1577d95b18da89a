"""The REST API: same services and predicates as the pages."""

from __future__ import annotations

from datetime import time

import pytest
from rest_framework.test import APIClient

from exhibition.accounts.models import Invitation
from exhibition.delegations import services
from exhibition.delegations.models import Delegation, HostingWindow, Visit
from tests.factories import make_sector
from tests.factories.delegations import DAY, make_official_delegation

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
