"""Permission matrix: role x object x action, across two companies and two events."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from exhibition.accounts.models import EventStaff, Membership
from exhibition.exhibitors import services
from exhibition.exhibitors.models import ApplicationDocument
from tests import factories
from tests.factories.exhibitors import make_application, pdf_file

ROLES = [
    "anonymous",
    "stranger",
    "organiser",
    "organiser_other_event",
    "admin_a",
    "staff_a",
    "admin_b",
    "admin_a_other_event",
]


@pytest.fixture
def world(event, other_event):
    a = factories.make_company(event, "Company A")
    b = factories.make_company(event, "Company B")
    a2 = factories.make_company(other_event, "Company A")
    users = {
        "anonymous": AnonymousUser(),
        "stranger": factories.make_user(),
        "organiser": factories.make_organiser(event, role=EventStaff.Role.STAFF),
        "organiser_other_event": factories.make_organiser(other_event),
        "admin_a": factories.make_member(a, Membership.Role.ADMIN),
        "staff_a": factories.make_member(a, Membership.Role.STAFF),
        "admin_b": factories.make_member(b, Membership.Role.ADMIN),
    }
    users["admin_a_other_event"] = users["admin_a"]  # the same person, looking at the other event's company
    Membership.objects.create(organisation=a2, user=users["admin_a"], role=Membership.Role.STAFF)
    app_a = make_application(event, a)  # A is applying (a draft): it follows its application, nothing more
    make_application(event, b, state="approved")  # B is admitted
    doc_a = ApplicationDocument(application=app_a, original_name="x.pdf", size=10)
    return {
        "event": event,
        "a": a,
        "b": b,
        "a2": a2,
        "app_a": app_a,
        "doc_a": doc_a,
        "users": users,
        "app_a2": make_application(other_event, a2),
    }


# (permission, object key) -> roles that are allowed
MATRIX = {
    ("exhibitors.view_application", "app_a"): {"organiser", "admin_a", "staff_a"},
    ("exhibitors.change_application", "app_a"): {"admin_a"},
    ("exhibitors.submit_application", "app_a"): {"admin_a"},
    ("exhibitors.withdraw_application", "app_a"): {"admin_a"},
    ("exhibitors.review_application", "app_a"): {"organiser"},
    ("exhibitors.review_application", "event"): {"organiser"},
    ("exhibitors.view_application", "app_a2"): {"organiser_other_event", "admin_a"},
    ("exhibitors.change_application", "app_a2"): set(),  # admin_a is only staff there
    ("exhibitors.view_document", "doc_a"): {"organiser", "admin_a", "staff_a"},
    ("exhibitors.add_document", "doc_a"): {"admin_a"},
    # The portal (profile, staff, badges) is for admitted companies only: not for an applicant.
    ("exhibitors.view_portal", "a"): {"organiser"},
    ("exhibitors.view_portal", "b"): {"organiser", "admin_b"},
    ("exhibitors.change_profile", "a"): {"organiser"},
    ("exhibitors.change_profile", "b"): {"organiser", "admin_b"},
    ("exhibitors.view_staff", "a"): {"organiser"},
    ("exhibitors.invite_staff", "a"): set(),
    ("exhibitors.invite_staff", "b"): {"admin_b"},
    ("exhibitors.invite_staff", "a2"): set(),
    ("exhibitors.request_badge", "a"): {"organiser"},
    ("exhibitors.request_badge", "b"): {"organiser", "admin_b"},
    # Screening stays internal.
    ("exhibitors.view_screening", "app_a"): {"organiser"},
    ("exhibitors.manage_screening", "event"): {"organiser"},
    ("exhibitors.export", "event"): {"organiser"},
    ("exhibitors.import_exhibitors", "event"): {"organiser"},
    ("exhibitors.apply", "event"): {
        "stranger",
        "organiser",
        "organiser_other_event",
        "admin_a",
        "staff_a",
        "admin_b",
    },
    ("exhibitors.view_directory", "event"): set(ROLES),
}


@pytest.mark.parametrize(("perm", "key"), list(MATRIX))
def test_permission_matrix(world, perm, key):
    obj = world[key]
    allowed = {role for role in ROLES if world["users"][role].has_perm(perm, obj)}
    expected = set(MATRIX[(perm, key)])
    if "admin_a" in expected:
        expected.add("admin_a_other_event")
    assert allowed == expected


def test_documents_api_and_page_matrix(client, world, settings, tmp_path):
    """Through the real interface: who gets the application, its documents and the staff list."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path

    users, app, event = world["users"], world["app_a"], world["event"]
    doc = services.add_document(application=app, actor=users["admin_a"], uploaded_file=pdf_file())
    api = f"/api/v1/events/{event.slug}/applications/{app.pk}/"
    staff = f"/api/v1/events/{event.slug}/companies/{world['a'].pk}/staff/"
    page = reverse("exhibitors:document", kwargs={"event_slug": event.slug, "pk": doc.pk})
    # A is still applying: its people follow the application and its documents, but have no
    # staff list (that comes with admission).
    expected = {
        "organiser": (200, 200, 200),
        "organiser_other_event": (404, 404, 404),
        "admin_a": (200, 200, 404),
        "staff_a": (200, 200, 404),
        "admin_b": (404, 404, 404),
        "stranger": (404, 404, 404),
    }
    for role, codes in expected.items():
        client.force_login(users[role])
        got = (client.get(api).status_code, client.get(page).status_code, client.get(staff).status_code)
        assert got == codes, role
    client.force_login(users["admin_b"])
    response = client.patch(api, {"products": "hijack"}, content_type="application/json")
    assert response.status_code == 404
    app.refresh_from_db()
    assert app.products == "Encrypted radios"
    response = client.post(staff, {"email": "spy@b.test"}, content_type="application/json")
    assert response.status_code == 404
    assert world["a"].invitations.count() == 0
