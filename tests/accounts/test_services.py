from __future__ import annotations

import re

import pytest
from django.test import override_settings

from exhibition.accounts import services
from exhibition.accounts.models import EventStaff, Invitation, Membership, User
from exhibition.core.errors import ConflictError, DomainError, NotAllowed
from exhibition.core.models import AuditLogEntry, OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)


def _link(body: str) -> str:
    return re.search(r"https?://\S+/accounts/invitation/(\S+)/", body).group(1)


def test_sign_up_creates_user_with_lowercased_email(db):
    user = services.sign_up(
        email="Anne.Martin@Example.TEST", password="a-long-pass-phrase-7", full_name="Anne Martin"
    )
    assert user.email == "anne.martin@example.test"
    assert user.check_password("a-long-pass-phrase-7")


def test_sign_up_twice_reveals_nothing_keeps_one_user_and_tells_the_owner(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.sign_up(email="a@example.test", password="a-long-pass-phrase-7")
    with django_capture_on_commit_callbacks(execute=True):
        second = services.sign_up(email="A@example.test", password="another-long-phrase-8")
    assert first is not None and second is None  # the caller answers the same either way
    assert User.objects.filter(email__iexact="a@example.test").count() == 1
    assert User.objects.get(email="a@example.test").check_password("a-long-pass-phrase-7")
    assert [m.subject for m in mailoutbox] == ["Confirm your e-mail address", "Your exhibition account"]
    assert "already has one" in mailoutbox[1].body and "/accounts/password-reset/" in mailoutbox[1].body


def test_sign_up_with_weak_password_is_refused_on_password_field(db):
    with pytest.raises(DomainError) as err:
        services.sign_up(email="b@example.test", password="123")
    assert err.value.field == "password"
    assert not User.objects.filter(email="b@example.test").exists()


def test_organiser_invites_company_admin_and_email_carries_signed_link(
    event, organiser, company, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invite(
            event=event, actor=organiser, email="New@Aegis.test", role="company_admin", organisation=company
        )
    assert inv.email == "new@aegis.test"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new@aegis.test"]
    assert "Milipol Test" in mailoutbox[0].subject
    assert services.invitation_from_token(_link(mailoutbox[0].body)).pk == inv.pk
    assert OutboxMessage.objects.get(kind="invitation").status == OutboxMessage.Status.SENT
    assert AuditLogEntry.objects.filter(action="invitation.sent", object_id=str(inv.pk)).count() == 1


def test_accepting_invitation_creates_account_and_membership(event, organiser, company):
    inv = services.invite(
        event=event, actor=organiser, email="new@aegis.test", role="company_staff", organisation=company
    )
    user = services.accept_invitation(invitation=inv, full_name="New Person", password="a-long-pass-phrase-7")
    assert Membership.objects.get(user=user).role == Membership.Role.STAFF
    assert user.has_perm("accounts.view_organisation", company) is True
    with pytest.raises(ConflictError):
        services.accept_invitation(invitation=inv, full_name="X", password="a-long-pass-phrase-7")
    with pytest.raises(DomainError):
        services.invitation_from_token(services.invitation_token(inv))


def test_existing_user_accepts_organiser_invitation_when_signed_in(event, organiser):
    colleague = factories.make_user(email="colleague@example.test")
    inv = services.invite(
        event=event, actor=organiser, email="colleague@example.test", role="organiser_staff"
    )
    services.accept_invitation(invitation=inv, user=colleague)
    assert EventStaff.objects.get(event=event, user=colleague).role == "staff"


def test_invitation_for_someone_else_cannot_be_accepted_by_signed_in_user(event, organiser):
    inv = services.invite(event=event, actor=organiser, email="someone@example.test", role="organiser_staff")
    intruder = factories.make_user()
    with pytest.raises(NotAllowed):
        services.accept_invitation(invitation=inv, user=intruder)
    assert not EventStaff.objects.filter(user=intruder).exists()
    assert Invitation.objects.get(pk=inv.pk).accepted_at is None


@override_settings(INVITATION_MAX_AGE=-1)
def test_expired_invitation_link_is_refused(event, organiser):
    inv = services.invite(event=event, actor=organiser, email="late@example.test", role="organiser_staff")
    with pytest.raises(DomainError) as err:
        services.invitation_from_token(services.invitation_token(inv))
    assert err.value.code == "expired"


def test_tampered_invitation_link_is_refused(event, organiser):
    inv = services.invite(event=event, actor=organiser, email="x@example.test", role="organiser_staff")
    token = services.invitation_token(inv)
    with pytest.raises(DomainError) as err:
        services.invitation_from_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    assert err.value.code == "invalid"


def test_company_admin_cannot_invite_into_another_company_and_nothing_is_written(event, company_admin):
    other = factories.make_company(event, "Rival Corp")
    with pytest.raises(NotAllowed):
        services.invite(
            event=event,
            actor=company_admin,
            email="spy@example.test",
            role="company_staff",
            organisation=other,
        )
    assert Invitation.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_company_admin_cannot_invite_organisers(event, company_admin):
    with pytest.raises(NotAllowed):
        services.invite(event=event, actor=company_admin, email="boss@example.test", role="organiser_admin")
    assert Invitation.objects.count() == 0


def test_role_must_fit_organisation_kind(event, organiser, company):
    with pytest.raises(DomainError) as err:
        services.invite(
            event=event, actor=organiser, email="x@example.test", role="delegation_lead", organisation=company
        )
    assert err.value.field == "organisation"


def test_organisation_of_another_event_is_refused(event, organiser, other_event):
    foreign = factories.make_company(other_event, "Foreign Co")
    with pytest.raises(DomainError) as err:
        services.invite(
            event=event, actor=organiser, email="x@example.test", role="company_admin", organisation=foreign
        )
    assert err.value.field == "organisation"
    assert Invitation.objects.count() == 0


def test_register_visitor_once_then_conflict(event):
    user = factories.make_user()
    v = services.register_visitor(
        event=event, user=user, organisation_name="City Police", job_title="Chief", country="FR"
    )
    assert v.status == "pending"
    with pytest.raises(ConflictError):
        services.register_visitor(
            event=event, user=user, organisation_name="City Police", job_title="Chief", country="FR"
        )


def test_vet_visitor_needs_organiser(event, organiser, company_admin):
    v = factories.make_visitor(event, status="pending")
    with pytest.raises(NotAllowed):
        services.vet_visitor(visitor=v, actor=company_admin, approve=True)
    v.refresh_from_db()
    assert v.status == "pending"
    assert services.vet_visitor(visitor=v, actor=organiser, approve=True).status == "approved"
