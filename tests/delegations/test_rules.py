"""The permission matrix: role x object x action, including another delegation's, another
company's and another event's objects."""

from __future__ import annotations

import pytest

from exhibition.delegations.models import VisitRequest
from tests import factories
from tests.factories.delegations import make_official_delegation

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(show, organiser, other_event):
    stranger_org = factories.make_organiser(other_event, email="org@other.test")
    visitor = factories.make_visitor(show.event, email="visitor@x.test").user
    foreign = make_official_delegation(other_event, "Other show delegation", "FR")
    return {
        "organiser": organiser,
        "head": show.head,
        "member": show.member,
        "other_head": show.other_head,
        "exhibitor": show.exhibitor,
        "visitor": visitor,
        "other_event_organiser": stranger_org,
        "foreign": foreign,
    }


DELEGATION_PERMS = [
    "view_delegation",
    "change_delegation",
    "view_internal_notes",
    "manage_programme",
    "view_programme",
    "request_visit",
]

EXPECTED = {
    "organiser": {
        "view_delegation",
        "change_delegation",
        "view_internal_notes",
        "manage_programme",
        "view_programme",
        "request_visit",
    },
    "head": {"view_delegation", "change_delegation", "view_programme", "request_visit"},
    "member": {"view_delegation", "view_programme"},
    "other_head": set(),
    "exhibitor": set(),
    "visitor": set(),
    "other_event_organiser": set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_delegation_permissions_matrix(people, show, role):
    user = people[role]
    granted = {p for p in DELEGATION_PERMS if user.has_perm(f"delegations.{p}", show.delegation)}
    assert granted == EXPECTED[role]


@pytest.mark.parametrize("role", [r for r in EXPECTED if r != "other_event_organiser"])
def test_nobody_here_may_touch_another_events_delegation(people, role):
    user = people[role]
    assert [p for p in DELEGATION_PERMS if user.has_perm(f"delegations.{p}", people["foreign"])] == []
    # ... while that event's own organiser may
    assert people["other_event_organiser"].has_perm("delegations.manage_programme", people["foreign"])


@pytest.mark.parametrize(
    "role,expected",
    [
        ("organiser", {"list_delegations", "plan_programmes", "host_delegations", "view_own_delegation"}),
        ("head", {"view_own_delegation"}),
        ("member", {"view_own_delegation"}),
        ("exhibitor", {"host_delegations"}),
        ("visitor", set()),
        ("other_event_organiser", set()),
    ],
)
def test_event_permissions(people, show, role, expected):
    perms = ["list_delegations", "plan_programmes", "host_delegations", "view_own_delegation"]
    assert {p for p in perms if people[role].has_perm(f"delegations.{p}", show.event)} == expected


@pytest.mark.parametrize(
    "role,own,other",
    [
        ("organiser", {"view_hosting", "change_hosting"}, {"view_hosting", "change_hosting"}),
        ("exhibitor", {"view_hosting", "change_hosting"}, set()),
        ("head", set(), set()),
        ("visitor", set(), set()),
        ("other_event_organiser", set(), set()),
    ],
)
def test_hosting_permissions(people, show, role, own, other):
    user = people[role]
    assert {
        p for p in ("view_hosting", "change_hosting") if user.has_perm(f"delegations.{p}", show.companies[0])
    } == own
    assert {
        p for p in ("view_hosting", "change_hosting") if user.has_perm(f"delegations.{p}", show.companies[1])
    } == other


def test_company_staff_sees_but_does_not_change_hosting(show):
    staff = factories.make_member(show.companies[0], "staff", email="staff@aegis.test")
    assert staff.has_perm("delegations.view_hosting", show.companies[0])
    assert not staff.has_perm("delegations.change_hosting", show.companies[0])


def test_only_the_requested_company_answers(people, show):
    req = VisitRequest.objects.create(delegation=show.delegation, company=show.companies[0])
    assert people["exhibitor"].has_perm("delegations.answer_request", req)
    assert people["organiser"].has_perm("delegations.answer_request", req)
    assert not show.exhibitor2.has_perm("delegations.answer_request", req)
    assert not people["head"].has_perm("delegations.answer_request", req)
