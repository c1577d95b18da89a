from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client as client_class

from exhibition.accounts import services
from exhibition.accounts.models import ApiToken, Membership, TradeVisitor, User
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


# --- sign-up: errors one per line, and back to where the person was going -------------------------


def _errors(response) -> list[str]:
    """The items of the page's first list of field errors."""
    errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S).group(1)
    return re.findall(r"<li>(.*?)</li>", errors)


def test_every_reason_a_password_is_refused_is_a_line_of_its_own(client, db):
    response = client.post(
        "/accounts/signup/", {"full_name": "Anne", "email": "anne@example.test", "password": "123456"}
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert not User.objects.filter(email="anne@example.test").exists()


def test_the_invitation_form_lists_password_errors_too(client, event, organiser, company):
    inv = services.invite(
        event=event, actor=organiser, email="staff@aegis.test", role="company_staff", organisation=company
    )
    response = client.post(
        f"/accounts/invitation/{services.invitation_token(inv)}/",
        {"full_name": "Staff", "password": "123456"},
    )
    assert response.status_code == 400
    assert _errors(response) == [
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    ]
    assert not User.objects.filter(email="staff@aegis.test").exists()


def test_the_sign_in_page_keeps_next_in_its_create_an_account_link(client, db):
    page = client.get("/accounts/login/?next=/milipol-test/register/").content.decode()
    assert 'href="/accounts/signup/?next=/milipol-test/register/"' in page
    signup = client.get("/accounts/signup/?next=/milipol-test/register/").content.decode()
    assert '<input type="hidden" name="next" value="/milipol-test/register/">' in signup
    assert 'href="/accounts/login/?next=/milipol-test/register/"' in signup


@pytest.mark.parametrize("target", ["/milipol-test/register/", "/milipol-test/exhibitors/apply/"])
def test_the_confirmation_link_leads_back_to_the_page_the_person_came_from(
    client, event, target, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/accounts/signup/?next={target}",
            {
                "full_name": "Ana",
                "email": "ana@example.test",
                "password": "a-long-pass-phrase-7",
                "next": target,
            },
        )
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+)", mailoutbox[0].body).group(1)
    assert link.endswith(f"/?next={target.replace('/', '%2F')}")
    other_browser = client_class()
    assert other_browser.get(link).status_code == 200
    response = other_browser.post(link, {"password": "a-long-pass-phrase-7"})
    assert (response.status_code, response["Location"]) == (302, target)
    assert User.objects.get(email="ana@example.test").email_verified


def test_a_next_to_another_site_never_reaches_the_email_nor_the_redirect(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/?next=https://evil.example/",
            {"full_name": "Ana", "email": "ana@example.test", "password": "a-long-pass-phrase-7"},
        )
    assert "evil" not in mailoutbox[0].body and "next=" not in mailoutbox[0].body
    link = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", mailoutbox[0].body).group(1)
    response = client_class().post(f"{link}?next=//evil.example/", {"password": "a-long-pass-phrase-7"})
    assert (response.status_code, response["Location"]) == (302, "/")


# --- the visitor registration form ------------------------------------------------------------------


def test_the_registration_form_asks_for_a_country_named_in_the_readers_language(client, event):
    client.force_login(factories.make_user())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(f"/{event.slug}/register/").content.decode()
    options = re.findall(r'<option value="(\w*)"( selected)?>([^<]*)</option>', page)
    assert options[0][0] == ""  # "Choose a country" (its French comes with the catalogue)
    assert ("DE", "", "Allemagne") in options and ("DE", "", "Germany") not in options
    assert [code for code, selected, _name in options if selected] == [""]  # no country chosen for them
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/{event.slug}/register/").content.decode()
    assert '<option value="DE">Germany</option>' in page
    assert re.search(
        r'<select name="country" required[^>]*>\s*<option value="" selected>Choose a country</option>', page
    )


def test_registering_without_a_country_is_refused_on_the_country_field(client, event):
    user = factories.make_user()
    client.force_login(user)
    response = client.post(
        f"/{event.slug}/register/", {"organisation_name": "City Police", "job_title": "Chief", "country": ""}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"country": ["This field is required."]}
    assert not TradeVisitor.objects.filter(user=user).exists()


def _main(response) -> str:
    """The page's own content, without the header and footer every page shares."""
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]


# --- my account -------------------------------------------------------------------------------------


def test_my_account_shows_and_saves_name_and_language(client, db):
    user = factories.make_user(email="ana@example.test", full_name="Ana", language="en")
    client.force_login(user)
    page = client.get("/accounts/").content.decode()
    assert "My account" in page and "ana@example.test" in page
    assert 'value="Ana"' in page and '<option value="en" selected>English</option>' in page
    assert 'href="/accounts/password/"' in page and 'href="/privacy/' in page
    response = client.post("/accounts/", {"full_name": "Ana Silva", "language": "fr"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana Silva", "fr")


def test_my_account_refuses_an_empty_name_and_changes_nothing(client, db):
    user = factories.make_user(full_name="Ana", language="en")
    client.force_login(user)
    response = client.post("/accounts/", {"full_name": "", "language": "fr"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"full_name": ["This field is required."]}
    user.refresh_from_db()
    assert (user.full_name, user.language) == ("Ana", "en")


def test_my_account_offers_api_tokens_only_to_those_who_use_the_api(client, event, organiser, company_admin):
    visitor = factories.make_visitor(event).user
    delegate = factories.make_member(factories.make_delegation(event), "lead")
    offered = {}
    for name, user in (
        ("organiser", organiser),
        ("exhibitor", company_admin),
        ("visitor", visitor),
        ("delegate", delegate),
    ):
        client.force_login(user)
        offered[name] = 'href="/accounts/tokens/"' in _main(client.get("/accounts/"))
    assert offered == {"organiser": True, "exhibitor": True, "visitor": False, "delegate": False}
    services.create_api_token(user=visitor, name="Script")  # one made already: offered, to revoke it
    client.force_login(visitor)
    assert 'href="/accounts/tokens/"' in _main(client.get("/accounts/"))


def test_my_account_is_for_signed_in_people(client, db):
    response = client.get("/accounts/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/accounts/")


def test_changing_the_password_keeps_me_signed_in_and_kills_my_tokens(client, organiser):
    services.create_api_token(user=organiser, name="Gate tablet 3")
    client.force_login(organiser)
    wrong = client.post(
        "/accounts/password/",
        {
            "old_password": "nope",
            "new_password1": "brand-new-phrase-42",
            "new_password2": "brand-new-phrase-42",
        },
    )
    assert wrong.status_code == 200 and "Your old password was entered incorrectly" in wrong.content.decode()
    response = client.post(
        "/accounts/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "brand-new-phrase-42",
            "new_password2": "brand-new-phrase-42",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/accounts/", 302)]
    assert "Your password is changed." in response.content.decode()
    organiser.refresh_from_db()
    assert organiser.check_password("brand-new-phrase-42")
    assert not ApiToken.objects.filter(user=organiser).exists()
    assert response.context["user"] == organiser  # still signed in
