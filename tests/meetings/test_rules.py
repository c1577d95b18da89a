"""Permission matrix: role x object x action, including another company's and another event's objects."""

from __future__ import annotations

import pytest

from exhibition.accounts.models import TradeVisitor
from exhibition.meetings import services
from tests.factories import make_member, make_organiser, make_user
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(event, other_event):
    exh = f.exhibitor(event, instant=True)
    vis = f.visitor(event)
    meeting = services.book_instantly(
        actor=vis.user, sender=vis, recipient=exh, start=f.at(event, 1, "10:00")
    )
    return {
        "event": event,
        "other_event": other_event,
        "exh": exh,
        "vis": vis,
        "meeting": meeting,
        "users": {
            "organiser": make_organiser(event),
            "other_organiser": make_organiser(other_event),
            "exh_admin": f.actor_of(exh),
            "exh_staff": make_member(exh.organisation, "staff"),
            "other_company": f.actor_of(f.exhibitor(event)),
            "visitor": vis.user,
            "other_visitor": f.visitor(event).user,
            "pending_visitor": f.visitor(event, status=TradeVisitor.Status.PENDING).user,
            "delegation": f.actor_of(f.delegation(event)),
            "stranger": make_user(),
        },
    }


MATRIX = {
    # perm, object: who may
    ("meetings.view_directory", "event"): {
        "organiser",
        "exh_admin",
        "exh_staff",
        "other_company",
        "visitor",
        "other_visitor",
        "delegation",
    },
    ("meetings.book", "event"): {
        "exh_admin",
        "exh_staff",
        "other_company",
        "visitor",
        "other_visitor",
        "delegation",
    },
    ("meetings.manage_meetings", "event"): {"organiser"},
    ("meetings.manage_meetings", "other_event"): {"other_organiser"},
    ("meetings.act_for", "exh"): {"exh_admin", "exh_staff"},
    ("meetings.act_for", "vis"): {"visitor"},
    ("meetings.change_participant", "exh"): {
        "organiser",
        "exh_admin",
    },  # staff: member, but neither host nor manager
    ("meetings.view_meeting", "meeting"): {"organiser", "exh_admin", "exh_staff", "visitor"},
    ("meetings.change_meeting", "meeting"): {"organiser", "exh_admin", "exh_staff", "visitor"},
}


@pytest.mark.parametrize(("perm", "obj"), list(MATRIX))
def test_permission_matrix(world, perm, obj):
    allowed = {name for name, user in world["users"].items() if user.has_perm(perm, world[obj])}
    assert allowed == MATRIX[(perm, obj)]
