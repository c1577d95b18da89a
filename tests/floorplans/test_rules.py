"""Who may see and change the floor plan: role x object x action, on a public and a private event."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from exhibition.accounts.models import EventStaff, TradeVisitor
from tests import factories
from tests.factories.floorplans import make_stand

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "stranger",
    "organiser_admin",
    "organiser_staff",
    "exhibitor",
    "delegation",
    "visitor",
    "pending_visitor",
    "other_event_organiser",
    "other_event_exhibitor",
]


@pytest.fixture
def world():
    a = factories.make_event("plan-a", public=False)
    b = factories.make_event("plan-b", public=False)
    stand_a = make_stand(a, factories.make_hall(a, "1"), "1-A1", 1, 1)
    stand_b = make_stand(b, factories.make_hall(b, "1"), "1-A1", 1, 1)
    users = {
        "anonymous": AnonymousUser(),
        "stranger": factories.make_user(),
        "organiser_admin": factories.make_organiser(a, EventStaff.Role.ADMIN),
        "organiser_staff": factories.make_organiser(a, EventStaff.Role.STAFF),
        "exhibitor": factories.make_member(factories.make_company(a), "admin"),
        "delegation": factories.make_member(factories.make_delegation(a), "lead"),
        "visitor": factories.make_visitor(a).user,
        "pending_visitor": factories.make_visitor(a, status=TradeVisitor.Status.PENDING).user,
        "other_event_organiser": factories.make_organiser(b, EventStaff.Role.ADMIN),
        "other_event_exhibitor": factories.make_member(factories.make_company(b), "admin"),
    }
    return {"event": a, "stand": stand_a, "other_stand": stand_b, "users": users}


# Only the admitted: a visitor still waiting for vetting does not see a private show's halls.
VIEW_PRIVATE = {"organiser_admin", "organiser_staff", "exhibitor", "delegation", "visitor"}
ORGANISERS = {"organiser_admin", "organiser_staff"}


@pytest.mark.parametrize("role", ROLES)
def test_view_plan_of_a_private_event_needs_admission_there(world, role):
    user = world["users"][role]

    assert user.has_perm("floorplans.view_plan", world["event"]) is (role in VIEW_PRIVATE)
    assert user.has_perm("floorplans.view_plan", world["stand"]) is (role in VIEW_PRIVATE)


@pytest.mark.parametrize("role", ROLES)
def test_view_plan_of_a_public_event_is_for_everyone(world, role):
    world["event"].is_public = True
    world["event"].save()

    assert world["users"][role].has_perm("floorplans.view_plan", world["event"]) is True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", ["floorplans.change_plan", "floorplans.view_stand_commercials"])
def test_change_plan_and_commercials_are_for_organisers_of_that_event_only(world, role, perm):
    user = world["users"][role]

    assert user.has_perm(perm, world["event"]) is (role in ORGANISERS)
    assert user.has_perm(perm, world["stand"]) is (role in ORGANISERS)
    assert user.has_perm(perm, world["other_stand"]) is (role == "other_event_organiser")
