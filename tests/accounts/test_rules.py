"""The permission matrix: role x object x action, across two companies and two events."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from exhibition.accounts.models import EventStaff, TradeVisitor
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "organiser_admin",
    "organiser_staff",
    "company_admin",
    "company_staff",
    "other_company_admin",
    "delegation_lead",
    "delegation_member",
    "visitor",
    "other_event_organiser",
    "other_event_company_admin",
]


@pytest.fixture
def world():
    a = factories.make_event("event-a", public=False)
    b = factories.make_event("event-b", public=False)
    company = factories.make_company(a, "Company X")
    other_company = factories.make_company(a, "Company Y")
    delegation = factories.make_delegation(a, "Delegation D")
    b_company = factories.make_company(b, "Company Z")
    visitor = factories.make_visitor(a, status=TradeVisitor.Status.PENDING)
    users = {
        "anonymous": AnonymousUser(),
        "organiser_admin": factories.make_organiser(a, EventStaff.Role.ADMIN),
        "organiser_staff": factories.make_organiser(a, EventStaff.Role.STAFF),
        "company_admin": factories.make_member(company, "admin"),
        "company_staff": factories.make_member(company, "staff"),
        "other_company_admin": factories.make_member(other_company, "admin"),
        "delegation_lead": factories.make_member(delegation, "lead"),
        "delegation_member": factories.make_member(delegation, "member"),
        "visitor": visitor.user,
        "other_event_organiser": factories.make_organiser(b, EventStaff.Role.ADMIN),
        "other_event_company_admin": factories.make_member(b_company, "admin"),
    }
    objects = {
        "event": a,
        "company": company,
        "delegation": delegation,
        "visitor": visitor,
        "other_event": b,
        "other_event_company": b_company,
    }
    return users, objects


Y, N = True, False
#                               oa oS ca cs oc dl dm vi xo xc   (anonymous is always N)
MATRIX = {
    ("events.view_event", "event"): [Y, Y, Y, Y, Y, Y, Y, Y, N, N],
    ("events.manage_event", "event"): [Y, Y, N, N, N, N, N, N, N, N],
    ("events.change_event", "event"): [Y, N, N, N, N, N, N, N, N, N],
    ("events.view_dashboard", "event"): [Y, Y, N, N, N, N, N, N, N, N],
    ("events.invite_organiser", "event"): [Y, N, N, N, N, N, N, N, N, N],
    ("events.view_event", "other_event"): [N, N, N, N, N, N, N, N, Y, Y],
    ("events.manage_event", "other_event"): [N, N, N, N, N, N, N, N, Y, N],
    ("accounts.view_organisation", "company"): [Y, Y, Y, Y, N, N, N, N, N, N],
    ("accounts.change_organisation", "company"): [Y, Y, Y, N, N, N, N, N, N, N],
    ("accounts.manage_members", "company"): [Y, Y, Y, N, N, N, N, N, N, N],
    ("accounts.delete_organisation", "company"): [Y, N, N, N, N, N, N, N, N, N],
    ("accounts.view_organisation", "delegation"): [Y, Y, N, N, N, Y, Y, N, N, N],
    ("accounts.manage_members", "delegation"): [Y, Y, N, N, N, Y, N, N, N, N],
    ("accounts.view_organisation", "other_event_company"): [N, N, N, N, N, N, N, N, Y, Y],
    ("accounts.manage_members", "other_event_company"): [N, N, N, N, N, N, N, N, Y, Y],
    ("accounts.view_tradevisitor", "visitor"): [Y, Y, N, N, N, N, N, Y, N, N],
    ("accounts.vet_tradevisitor", "visitor"): [Y, Y, N, N, N, N, N, N, N, N],
}


def test_permission_matrix_matches_every_role_object_and_action(world):
    users, objects = world
    roles = ROLES[1:]
    mismatches = []
    for (perm, obj_name), expected in MATRIX.items():
        obj = objects[obj_name]
        assert users["anonymous"].has_perm(perm, obj) is False, (perm, obj_name)
        for role, want in zip(roles, expected, strict=True):
            got = users[role].has_perm(perm, obj)
            if got != want:
                mismatches.append(f"{role} {perm} {obj_name}: got {got}, want {want}")
    assert mismatches == []


def test_public_event_is_visible_to_anyone_signed_in_or_not(db):
    event = factories.make_event(public=True)
    assert AnonymousUser().has_perm("events.view_event", event) is True
    assert factories.make_user().has_perm("events.manage_event", event) is False
