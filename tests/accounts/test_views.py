from __future__ import annotations

import re

import pytest

from exhibition.accounts import services
from exhibition.accounts.models import Membership, User
from tests import factories

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_and_password(client, event, organiser):
    response = client.post(
        "/accounts/login/", {"username": "ORG@example.test", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(f"/{event.slug}/").context["user"] == organiser


def test_wrong_password_shows_error(client, organiser):
    response = client.post("/accounts/login/", {"username": "org@example.test", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()


def test_sign_up_page_creates_an_unconfirmed_account_and_says_check_your_inbox(client, db):
    response = client.post(
        "/accounts/signup/",
        {"full_name": "Anne", "email": "anne@example.test", "password": "a-long-pass-phrase-7"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/signup/sent/"
    assert (
        "Check your inbox" in response.content.decode() and "anne@example.test" in response.content.decode()
    )
    anne = User.objects.get(email="anne@example.test")
    assert (anne.full_name, anne.email_verified) == ("Anne", False)
    assert "_auth_user_id" not in client.session  # not signed in until the address is proved


def test_sign_up_with_a_taken_address_answers_exactly_as_for_a_new_one(client, organiser):
    new = client.post(
        "/accounts/signup/",
        {"full_name": "X", "email": "new@example.test", "password": "a-long-pass-phrase-7"},
        follow=True,
    )
    taken = client.post(
        "/accounts/signup/",
        {"full_name": "X", "email": "org@example.test", "password": "a-long-pass-phrase-7"},
        follow=True,
    )
    assert (new.status_code, taken.status_code) == (200, 200)
    assert new.redirect_chain == [("/accounts/signup/sent/", 302)] == taken.redirect_chain

    def page(response, email):
        return re.sub(
            r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode().replace(email, "@")
        )

    assert page(new, "new@example.test") == page(taken, "org@example.test")
    organiser.refresh_from_db()
    assert organiser.check_password(factories.PASSWORD)


def test_password_reset_email_through_outbox_and_new_password_works(
    client, organiser, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://show.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]  # a Host header the proxy let through
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": "org@example.test"}, HTTP_HOST="evil.example")
    assert len(mailoutbox) == 1
    url = re.search(r"https?://\S+/accounts/reset/\S+/", mailoutbox[0].body).group(0)
    assert url.startswith("https://show.example.org/accounts/reset/")  # never the request's host
    path = url.split("show.example.org", 1)[1]
    response = client.get(path, follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "brand-new-phrase-42", "new_password2": "brand-new-phrase-42"}
    )
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.check_password("brand-new-phrase-42")


def test_password_reset_for_unknown_email_sends_nothing_and_says_the_same(client, db, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.test"}, follow=True)
    assert "If an account exists" in response.content.decode()
    assert mailoutbox == []


def test_invitation_page_accepts_and_signs_in(client, event, organiser, company):
    inv = services.invite(
        event=event, actor=organiser, email="staff@aegis.test", role="company_staff", organisation=company
    )
    url = f"/accounts/invitation/{services.invitation_token(inv)}/"
    assert "Aegis Systems" in client.get(url).content.decode()
    response = client.post(url, {"full_name": "Staff Person", "password": "a-long-pass-phrase-7"})
    assert response.status_code == 302
    assert Membership.objects.get(user__email="staff@aegis.test").organisation == company
    assert "already been used" in client.get(url).content.decode()


def test_invitation_page_with_bad_token(client, db):
    response = client.get("/accounts/invitation/garbage/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
