from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.utils import translation

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
    assert [m.subject for m in mailoutbox] == ["Confirm your e-mail address", "Your account"]
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
    assert "prefilled" not in mailoutbox[0].body  # said only when an import prefilled the application
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


# --- the visitor hears of the organiser's decision ------------------------------------------------


def test_an_approved_visitor_gets_an_email_with_the_ways_in(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://show.example.org"
    v = factories.make_visitor(event, status="pending", email="ana@example.test", full_name="Ana Silva")
    with django_capture_on_commit_callbacks(execute=True):
        services.vet_visitor(visitor=v, actor=organiser, approve=True)
    [mail] = mailoutbox
    assert mail.to == ["ana@example.test"]
    assert mail.subject == "Your registration for Milipol Test is approved"
    assert mail.body.startswith(
        "Hello Ana Silva,\n\nThe organiser of Milipol Test has approved your registration"
    )
    for url in (
        "https://show.example.org/milipol-test/",
        "https://show.example.org/milipol-test/meetings/",
        "https://show.example.org/milipol-test/accreditation/badge/",
    ):
        assert f"\n{url}\n" in mail.body
    assert OutboxMessage.objects.get().kind == "visitor_approved"


def test_a_refused_visitor_is_told_in_their_language_with_the_reason(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    v = factories.make_visitor(event, status="pending", email="luc@example.test", language="fr")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.vet_visitor(visitor=v, actor=organiser, approve=False, reason="Pas un professionnel")
    [mail] = mailoutbox
    assert mail.to == ["luc@example.test"]
    assert "Message de l'organisateur\u00a0:\nPas un professionnel\n" in mail.body
    assert "Message from the organiser" not in mail.body


def test_a_refusal_without_a_reason_and_a_withdrawal_say_what_happened(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    v = factories.make_visitor(event, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        services.vet_visitor(visitor=v, actor=organiser, approve=False)
    v2 = factories.make_visitor(event, status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        services.vet_visitor(visitor=v2, actor=organiser, approve=False, reason="Badge lent to a friend")
    refused, withdrawn = mailoutbox
    assert refused.subject == withdrawn.subject == "Your registration for Milipol Test"
    assert "has not accepted your registration as a trade visitor." in refused.body
    assert "Message from the organiser" not in refused.body
    assert "has withdrawn the approval of your registration" in withdrawn.body
    assert "Message from the organiser:\nBadge lent to a friend\n" in withdrawn.body


def test_vetting_again_to_the_same_decision_sends_nothing_more(
    event, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    v = factories.make_visitor(event, status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        services.vet_visitor(visitor=v, actor=organiser, approve=True)
        services.vet_visitor(visitor=v, actor=organiser, approve=True)
    assert len(mailoutbox) == 1


def test_a_refused_vetting_sends_nothing(event, company_admin, mailoutbox):
    v = factories.make_visitor(event, status="pending")
    with pytest.raises(NotAllowed):
        services.vet_visitor(visitor=v, actor=company_admin, approve=False)
    assert OutboxMessage.objects.count() == 0 and mailoutbox == []


def test_update_profile_saves_name_and_language_and_refuses_nonsense(db):
    user = factories.make_user(full_name="Old", language="en")
    services.update_profile(user=user, full_name="  Ana Silva ", language="fr")
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana Silva", "fr")
    assert AuditLogEntry.objects.filter(action="user.profile_changed", object_id=str(user.pk)).count() == 1
    for kwargs, field in (
        ({"full_name": " ", "language": "fr"}, "full_name"),
        ({"full_name": "A", "language": "xx"}, "language"),
    ):
        with pytest.raises(DomainError) as err:
            services.update_profile(user=user, **kwargs)
        assert err.value.field == field
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana Silva", "fr")
