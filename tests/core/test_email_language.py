"""E-mails are written in the recipient's language (their account's; else the site's default),
whoever's request caused them and whichever process sends them; they come from the show's name
and are plain text, not HTML."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from exhibition.accounts import services as account_services
from exhibition.core import notifications
from exhibition.core.models import OutboxMessage
from tests import factories
from tests.factories import meetings as f

pytestmark = pytest.mark.django_db


def _request_meeting(client, sender, recipient, *, browsing: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = browsing
    client.force_login(sender.user)
    url = reverse("meetings:participant", kwargs={"event_slug": sender.event.slug, "pk": recipient.pk})
    return client.post(url, {"action": "request", "message": "", "priority": "3"})


def test_a_request_sent_from_a_french_page_reaches_an_english_host_in_english(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    host = f.exhibitor(event, "Aegis Systems")
    visitor = f.visitor(event, email="sofia@example.test")
    visitor.user.language = "fr"
    visitor.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _request_meeting(client, visitor, host, browsing="fr")
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[f.actor_of(host).email]]
    assert mailoutbox[0].subject == f"Meeting request from {visitor.name}"
    assert f"{visitor.name} would like to meet you at Milipol Test." in mailoutbox[0].body


def test_a_request_sent_from_an_english_page_reaches_a_french_host_in_french(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    host = f.exhibitor(event, "Aegis Systems")
    host_user = f.actor_of(host)
    host_user.language = "fr"
    host_user.save(update_fields=["language"])
    visitor = f.visitor(event)
    with django_capture_on_commit_callbacks(execute=True):
        _request_meeting(client, visitor, host, browsing="en")
    assert [m.to for m in mailoutbox] == [[host_user.email]]
    assert mailoutbox[0].subject == f"Demande de rendez-vous de {visitor.name}"
    assert "would like" not in mailoutbox[0].body


def test_a_message_queued_in_a_french_request_for_a_person_without_an_account_is_in_the_default():
    with translation.override("fr"):
        subject, _body = notifications.render_email(
            "password_reset", {"url": "https://x.test/"}, to="nobody@example.test"
        )
    assert subject == "Reset your password"  # settings.LANGUAGE_CODE, not the page's French


def test_the_language_a_caller_knows_counts_only_for_a_person_without_an_account(db):
    factories.make_user(email="anne@example.test", language="en")
    assert notifications.recipient_language("Anne@Example.test", "fr") == "en"
    assert notifications.recipient_language("guest@example.test", "fr") == "fr"
    assert notifications.recipient_language("guest@example.test", "xx") == "en"
    assert notifications.recipient_language(None) == "en"


def test_a_link_rendered_when_the_worker_sends_it_is_in_the_recipients_language(
    event, organiser, company, mailoutbox
):
    """The invitation is rendered at send time (by Celery): the worker's active language never
    decides; the invitee's account does, and for someone with no account yet, the language the
    organiser invited them in (all of it: the role's name too)."""
    factories.make_user(email="boss@aegis.test", language="fr")
    with translation.override("fr"):
        account_services.invite(
            event=event, actor=organiser, email="boss@aegis.test", role="company_admin", organisation=company
        )
        account_services.invite(
            event=event, actor=organiser, email="new@aegis.test", role="company_staff", organisation=company
        )
    with translation.override("en"):
        for message in OutboxMessage.objects.order_by("id"):
            notifications.deliver(message.pk)
    sent = {m.to[0]: m for m in mailoutbox}
    assert sent["boss@aegis.test"].subject == "Votre invitation à Milipol Test"
    assert "Acceptez l'invitation ici" in sent["boss@aegis.test"].body
    assert sent["new@aegis.test"].subject == "Votre invitation à Milipol Test"  # no account: the inviter's
    assert "en tant que Collaborateur de l'entreprise" in sent["new@aegis.test"].body


def test_a_password_reset_asked_on_a_french_page_is_sent_in_the_accounts_language(
    client, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": organiser.email})
    assert [m.subject for m in mailoutbox] == ["Reset your password"]
    assert "choose a new password here:" in mailoutbox[0].body


def test_a_shows_messages_come_from_its_name_and_others_from_the_default(
    event, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "noreply@show.example"
    event.name = "Milipol\r\nBcc: x@evil.example"
    event.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        notifications.queue_email(
            to="a@example.test", kind="t", template="password_reset", context={"url": "u"}, event=event
        )
        notifications.queue_email(
            to="b@example.test", kind="t", template="password_reset", context={"url": "u"}
        )
    assert [m.from_email for m in mailoutbox] == [
        '"Milipol Bcc: x@evil.example" <noreply@show.example>',
        "noreply@show.example",
    ]
    assert "Bcc" not in mailoutbox[0].message()["To"] and not mailoutbox[0].bcc


def test_an_email_is_plain_text_names_are_not_html_escaped(event, mailoutbox):
    subject, body = notifications.render_email(
        "exhibitors_application",
        {"name": "O'Neil & Sons <Ltd>", "state": "approved", "application": type("A", (), {"pk": 1})},
        event=event,
    )
    assert subject == "O'Neil & Sons <Ltd>: your application is approved"
    assert "The application of O'Neil & Sons <Ltd> to exhibit" in body
    assert not re.search(r"&(amp|lt|gt|#x27);", subject + body)


def test_a_show_name_with_accents_is_encoded_in_the_from_header(event, mailoutbox, settings):
    settings.DEFAULT_FROM_EMAIL = "Exhibition <noreply@show.example>"
    event.name = "Salon de l'Été"
    event.save(update_fields=["name"])
    message = notifications.queue_email(
        to="a@example.test", kind="t", template="password_reset", context={"url": "u"}, event=event
    )
    notifications.deliver(message.pk)
    sent = mailoutbox[0].message()["From"]
    assert str(make_header(decode_header(sent))) == "Salon de l'Été <noreply@show.example>"
