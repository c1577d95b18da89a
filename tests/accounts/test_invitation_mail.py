"""An invitation reads in one language, the inviter's for someone with no account yet (the
invitee's own when they have one), and one address gets one open invitation at a time."""

from __future__ import annotations

import pytest
from django.utils import translation

from exhibition.accounts import services
from exhibition.accounts.models import Invitation
from exhibition.core.errors import ConflictError
from tests import factories

pytestmark = pytest.mark.django_db


def _invite(organiser, event, email, language="fr", role="organiser_staff"):
    with translation.override(language):
        return services.invite(event=event, actor=organiser, email=email, role=role)


def test_an_invitation_from_a_french_page_is_french_throughout(
    event, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(organiser, event, "claire.martin@example.test")
    (mail,) = mailoutbox
    assert mail.subject == "Votre invitation à Milipol Test"
    assert "vous invite à rejoindre Milipol Test en tant que Membre de l'équipe organisatrice" in mail.body
    assert "invites you" not in mail.body and "as Organiser" not in mail.body


def test_someone_with_an_account_reads_it_in_their_own_language(
    event, organiser, django_capture_on_commit_callbacks, mailoutbox
):
    factories.make_user("jane@example.test", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(organiser, event, "jane@example.test", language="fr")
    (mail,) = mailoutbox
    assert mail.subject == "Your invitation to Milipol Test"
    assert "as Organiser staff" in mail.body


def test_one_open_invitation_per_address(event, organiser):
    _invite(organiser, event, "claire.martin@example.test", language="en")
    with pytest.raises(ConflictError) as refused:
        _invite(organiser, event, "CLAIRE.MARTIN@example.test", language="en", role="organiser_admin")
    assert refused.value.field == "email"
    assert "already has an invitation waiting, as Organiser staff" in refused.value.message
    assert Invitation.objects.filter(email__iexact="claire.martin@example.test").count() == 1
    # once revoked, a new one may go
    services.revoke_invitation(invitation=Invitation.objects.get(), actor=organiser)
    _invite(organiser, event, "claire.martin@example.test", language="en", role="organiser_admin")
    assert Invitation.objects.filter(revoked_at__isnull=True).get().role == "organiser_admin"


def test_the_sign_in_page_is_named_after_the_platform_not_the_host(client, settings):
    settings.SITE_NAME = "Milipol Connect"
    assert "<title>Sign in · Milipol Connect</title>" in client.get("/accounts/login/").content.decode()
