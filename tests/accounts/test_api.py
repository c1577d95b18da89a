"""The account API: one's own account (``me/``) and accepting an invitation (``invitations/accept/``),
through the same services as the *My account* and invitation pages."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from exhibition.accounts import services
from exhibition.accounts.models import EventStaff, Invitation, Membership, User
from exhibition.core.models import AuditLogEntry
from tests import factories

pytestmark = pytest.mark.django_db

ACCEPT = "/api/v1/invitations/accept/"


def _api(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


# --- editing one's account ------------------------------------------------------------------------


def test_patch_me_changes_name_and_language_as_the_account_page_does():
    user = factories.make_user(email="ana@example.test", full_name="Ana")

    r = _api(user).patch("/api/v1/me/", {"full_name": "  Ana Lopez ", "language": "fr"}, format="json")

    assert (r.status_code, r.json()) == (
        200,
        {
            "id": user.pk,
            "email": "ana@example.test",
            "full_name": "Ana Lopez",
            "language": "fr",
            "email_verified": True,
        },
    )
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana Lopez", "fr")
    entry = AuditLogEntry.objects.get(action="user.profile_changed")
    assert entry.data["fields"] == ["full_name", "language"]


def test_patch_me_with_only_the_language_keeps_the_name():
    user = factories.make_user(full_name="Ana")
    r = _api(user).patch("/api/v1/me/", {"language": "fr"}, format="json")
    assert r.status_code == 200
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana", "fr")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"full_name": "   "}, "full_name"),  # trimmed to nothing: the service's "Enter your name."
        ({"full_name": ""}, "full_name"),
        ({"language": "de"}, "language"),
        ({"full_name": "x" * 151}, "full_name"),
    ],
)
def test_patch_me_bad_input_is_a_field_error_and_nothing_changes(body, field):
    user = factories.make_user(full_name="Ana")
    r = _api(user).patch("/api/v1/me/", body, format="json")
    assert r.status_code == 400
    assert list(r.json()) == [field]
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana", "en")
    assert not AuditLogEntry.objects.filter(action="user.profile_changed").exists()


def test_patch_me_service_message_for_a_blank_name():
    user = factories.make_user(full_name="Ana")
    r = _api(user).patch("/api/v1/me/", {"full_name": "   "}, format="json")
    assert r.json() == {"full_name": ["Enter your name."]}


def test_patch_me_refused_to_anonymous():
    r = _api().patch("/api/v1/me/", {"full_name": "Someone"}, format="json")
    assert r.status_code in (401, 403)
    assert not AuditLogEntry.objects.filter(action="user.profile_changed").exists()


def test_patch_me_does_not_change_the_password_or_the_address():
    user = factories.make_user(email="ana@example.test")
    r = _api(user).patch(
        "/api/v1/me/", {"email": "evil@example.test", "password": "new-pass-phrase-77"}, format="json"
    )
    assert r.status_code == 200
    user.refresh_from_db()
    assert user.email == "ana@example.test"
    assert user.check_password(factories.PASSWORD)


# --- accepting an invitation -------------------------------------------------------------------------


def test_signed_in_person_accepts_a_company_invitation(event, organiser, company):
    person = factories.make_user(email="new@aegis.test", verified=False)
    inv = services.invite(
        event=event, actor=organiser, email="new@aegis.test", role="company_staff", organisation=company
    )

    r = _api(person).post(ACCEPT, {"token": services.invitation_token(inv)}, format="json")

    assert r.status_code == 200
    inv.refresh_from_db()
    assert r.json() == {
        "id": inv.pk,
        "event": event.slug,
        "role": "company_staff",
        "organisation": company.pk,
        "accepted_at": r.json()["accepted_at"],
    }
    assert (inv.accepted_by, inv.accepted_at is not None) == (person, True)
    assert Membership.objects.get(user=person, organisation=company).role == Membership.Role.STAFF
    person.refresh_from_db()
    assert person.email_verified  # the invitation reached the address: that proves it
    assert person.has_perm("accounts.view_organisation", company)


def test_accepting_an_organiser_invitation_makes_the_person_an_organiser(event, organiser):
    colleague = factories.make_user(email="colleague@example.test")
    inv = services.invite(
        event=event, actor=organiser, email="colleague@example.test", role="organiser_staff"
    )
    r = _api(colleague).post(ACCEPT, {"token": services.invitation_token(inv)}, format="json")
    assert (r.status_code, r.json()["role"], r.json()["organisation"]) == (200, "organiser_staff", None)
    assert EventStaff.objects.get(event=event, user=colleague).role == EventStaff.Role.STAFF


def test_an_invitation_sent_to_someone_else_is_refused_and_nothing_changes(event, organiser, company):
    inv = services.invite(
        event=event, actor=organiser, email="new@aegis.test", role="company_admin", organisation=company
    )
    intruder = factories.make_user(email="intruder@example.test")

    r = _api(intruder).post(ACCEPT, {"token": services.invitation_token(inv)}, format="json")

    assert r.status_code == 403
    assert r.json()["detail"] == "This invitation was sent to another e-mail address."
    inv.refresh_from_db()
    assert (inv.accepted_at, inv.accepted_by) == (None, None)
    assert not Membership.objects.filter(user=intruder).exists()


def test_a_used_invitation_is_a_field_error(event, organiser):
    colleague = factories.make_user(email="colleague@example.test")
    inv = services.invite(
        event=event, actor=organiser, email="colleague@example.test", role="organiser_staff"
    )
    token = services.invitation_token(inv)
    assert _api(colleague).post(ACCEPT, {"token": token}, format="json").status_code == 200

    r = _api(colleague).post(ACCEPT, {"token": token}, format="json")

    assert (r.status_code, r.json()) == (
        400,
        {"token": ["This invitation has already been used. Sign in instead."]},
    )


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 1001])
def test_a_bad_token_is_a_field_error(event, token):
    user = factories.make_user()
    r = _api(user).post(ACCEPT, {"token": token}, format="json")
    assert r.status_code == 400
    assert list(r.json()) == ["token"]


def test_a_tampered_or_revoked_link_is_not_valid(event, organiser):
    colleague = factories.make_user(email="colleague@example.test")
    inv = services.invite(
        event=event, actor=organiser, email="colleague@example.test", role="organiser_staff"
    )
    token = services.invitation_token(inv)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    r = _api(colleague).post(ACCEPT, {"token": tampered}, format="json")
    assert r.json() == {"token": ["This invitation link is not valid."]}
    services.revoke_invitation(invitation=inv, actor=organiser)
    r = _api(colleague).post(ACCEPT, {"token": token}, format="json")
    assert (r.status_code, r.json()) == (400, {"token": ["This invitation link is not valid."]})
    assert not EventStaff.objects.filter(user=colleague).exists()


@override_settings(INVITATION_MAX_AGE=-1)
def test_an_expired_invitation_says_so(event, organiser):
    colleague = factories.make_user(email="colleague@example.test")
    inv = services.invite(
        event=event, actor=organiser, email="colleague@example.test", role="organiser_staff"
    )
    r = _api(colleague).post(ACCEPT, {"token": services.invitation_token(inv)}, format="json")
    assert (r.status_code, r.json()) == (400, {"token": ["This invitation has expired. Ask for a new one."]})
    assert Invitation.objects.get(pk=inv.pk).accepted_at is None


def test_accepting_needs_a_signed_in_person(event, organiser):
    inv = services.invite(event=event, actor=organiser, email="new@example.test", role="organiser_staff")
    r = _api().post(ACCEPT, {"token": services.invitation_token(inv)}, format="json")
    assert r.status_code in (401, 403)
    assert Invitation.objects.get(pk=inv.pk).accepted_at is None
    assert not User.objects.filter(email="new@example.test").exists()


def test_accepting_is_rate_limited_per_address(event, organiser):
    colleague = factories.make_user(email="colleague@example.test")
    intruder = factories.make_user(email="intruder@example.test")
    inv = services.invite(
        event=event, actor=organiser, email="colleague@example.test", role="organiser_staff"
    )
    token = services.invitation_token(inv)
    for _ in range(10):
        assert _api(intruder).post(ACCEPT, {"token": token}, format="json").status_code == 403
    r = _api(colleague).post(ACCEPT, {"token": token}, format="json")
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert Invitation.objects.get(pk=inv.pk).accepted_at is None
