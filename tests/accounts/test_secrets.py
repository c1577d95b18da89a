"""Proved addresses and no secrets at rest: a confirmation link plus the password before any
event role counts; reset, confirmation and invitation links are built when the message is
sent and never stored; production is the default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exhibition.accounts import services
from exhibition.accounts.models import Membership, User
from exhibition.core import notifications
from exhibition.core.models import OutboxMessage
from exhibition.core.tasks import deliver_outbox_message
from tests import factories

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def test_an_unconfirmed_member_has_no_role_until_the_address_is_proved(
    client, event, company, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.sign_up(
            email="newbie@aegis.test", password="a-long-pass-phrase-7", full_name="New Bie"
        )
    Membership.objects.create(organisation=company, user=user, role="admin")  # e.g. added in the admin
    assert user.has_perm("exhibitors.view_portal", company) is False
    assert user.has_perm("exhibitors.apply", event) is False
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", mailoutbox[0].body).group(1)
    r = client.post(link, {"password": "not-the-password"})
    assert r.status_code == 400 and "not the password" in r.content.decode()
    assert User.objects.get(pk=user.pk).email_verified_at is None
    r = client.post(link, {"password": "a-long-pass-phrase-7"})
    assert r.status_code == 302
    user = User.objects.get(pk=user.pk)
    assert user.email_verified and user.has_perm("exhibitors.view_portal", company) is True


def test_a_confirmation_link_for_another_address_or_tampered_is_refused(client, db):
    user = factories.make_user(verified=False)
    token = services.confirmation_token(user)
    User.objects.filter(pk=user.pk).update(email="changed@example.test")
    assert client.get(f"/accounts/confirm/{token}/").status_code == 400
    assert client.get(f"/accounts/confirm/{token[:-2]}xx/").status_code == 400


def test_links_are_built_at_send_time_and_never_stored(
    client, event, organiser, company, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite(
            event=event, actor=organiser, email="boss@aegis.test", role="company_admin", organisation=company
        )
        client.post("/accounts/password-reset/", {"email": organiser.email})
        services.sign_up(email="new@example.test", password="a-long-pass-phrase-7")
    sent = {m.subject: m.body for m in mailoutbox}
    assert "/accounts/invitation/" in sent["Your invitation to Milipol Test"]
    assert "/accounts/reset/" in sent["Reset your password"]
    assert "/accounts/confirm/" in sent["Confirm your e-mail address"]
    rows = OutboxMessage.objects.filter(kind__in=["invitation", "password_reset", "confirm_email"])
    assert rows.count() == 3 and all(r.status == OutboxMessage.Status.SENT for r in rows)
    for row in rows:
        assert (
            row.body == ""
            and "/accounts/" not in str(row.payload)
            and set(row.payload) <= {"user", "invitation", "language"}  # ids and a language code: no secret
        )
    admin = factories.make_user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    for row in rows:
        page = client.get(f"/admin/core/outboxmessage/{row.pk}/change/").content.decode()
        assert not re.search(r"/accounts/(invitation|reset|confirm)/[\w:-]{8,}", page)


def test_a_revoked_invitation_is_never_sent(event, organiser, company, mailoutbox):
    invitation = services.invite(
        event=event, actor=organiser, email="boss@aegis.test", role="company_admin", organisation=company
    )
    services.revoke_invitation(invitation=invitation, actor=organiser)
    message = OutboxMessage.objects.get(kind="invitation")
    assert notifications.deliver(message.pk) is False
    message.refresh_from_db()
    assert (message.status, mailoutbox) == (OutboxMessage.Status.FAILED, [])


def test_the_delivery_task_builds_the_link_in_the_worker(event, organiser, company, mailoutbox):
    services.invite(
        event=event, actor=organiser, email="boss@aegis.test", role="company_admin", organisation=company
    )
    deliver_outbox_message(message_id=OutboxMessage.objects.get(kind="invitation").pk)
    assert re.search(r"/accounts/invitation/\S+/", mailoutbox[0].body)


def test_without_debug_the_app_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env["DJANGO_SETTINGS_MODULE"] = "exhibition.settings"
    r = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and "SECRET_KEY must be set" in r.stderr
    env["DEBUG"] = "1"
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
            ),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.stdout.split() == ["True", "False"]
    env.pop("DEBUG")
    env["SECRET_KEY"] = "x" * 60
    r = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import django; django.setup(); from django.conf import settings; "
                "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)"
            ),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert r.stdout.split() == ["False", "True", "True"]  # hardened by default


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG=1"):
        call_command("seed_demo")
