"""API tokens: several per person, named, hashed at rest, expiring, listed and revocable by
their owner (page and API), and all dead once the password changes or the account is off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from exhibition.accounts import services
from exhibition.accounts.models import ApiToken
from tests import factories

pytestmark = pytest.mark.django_db


def _mint(email, name="Laptop", password=factories.PASSWORD, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": password, "name": name, **extra}, format="json"
    )


def _me(token):
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return c.get("/api/v1/me/")


def test_several_named_tokens_hashed_at_rest_and_expiring_in_30_days(organiser):
    first, second = _mint(organiser.email, "Gate tablet 3").json(), _mint(organiser.email, "CRM sync").json()
    assert first["token"] != second["token"]
    rows = {t.name: t for t in ApiToken.objects.filter(user=organiser)}
    assert set(rows) == {"Gate tablet 3", "CRM sync"}
    for minted in (first, second):
        row = ApiToken.objects.get(token_key=minted["id"])
        assert minted["token"] not in (row.digest, row.token_key) and len(row.digest) == 128
        assert abs(row.expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
        assert _me(minted["token"]).json()["email"] == organiser.email


def test_an_expired_token_is_refused(organiser):
    minted = _mint(organiser.email).json()
    ApiToken.objects.filter(token_key=minted["id"]).update(expiry=timezone.now() - timedelta(seconds=1))
    assert _me(minted["token"]).status_code == 401
    assert services.delete_expired_tokens() == 1


def test_the_owner_lists_and_revokes_tokens_through_the_api_and_nobody_else_can(organiser):
    keep, drop = _mint(organiser.email, "Keep").json(), _mint(organiser.email, "Drop").json()
    other = factories.make_user()
    other_token = services.create_api_token(user=other, name="Other")[1]
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {keep['token']}")
    listed = c.get("/api/v1/auth/tokens/").json()
    assert sorted(t["name"] for t in listed) == ["Drop", "Keep"] and all("token" not in t for t in listed)
    assert c.delete(f"/api/v1/auth/tokens/{drop['id']}/").status_code == 204
    assert _me(drop["token"]).status_code == 401 and _me(keep["token"]).status_code == 200
    other_key = ApiToken.objects.get(user=other).token_key
    assert c.delete(f"/api/v1/auth/tokens/{other_key}/").status_code == 404
    assert _me(other_token).status_code == 200


def test_the_tokens_page_creates_shows_once_and_revokes(client, organiser):
    client.force_login(organiser)
    r = client.post("/accounts/tokens/", {"name": "Badge printer", "days": 7})
    html = r.content.decode()
    secret = re.search(r'id="new-token"[^>]*value="([^"]+)"', html).group(1)
    assert "shown only once" in html and _me(secret).status_code == 200
    row = ApiToken.objects.get(user=organiser)
    assert abs(row.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    page = client.get("/accounts/tokens/").content.decode()
    assert "Badge printer" in page and secret not in page
    client.post("/accounts/tokens/", {"revoke": row.token_key})
    assert _me(secret).status_code == 401


def test_a_token_needs_a_name_and_a_sensible_life(client, organiser):
    client.force_login(organiser)
    r = client.post("/accounts/tokens/", {"name": " ", "days": 900})
    assert r.status_code == 400 and ApiToken.objects.count() == 0
    assert "This field is required." in r.content.decode() or "Name the token" in r.content.decode()


def test_a_token_minted_before_a_password_reset_is_refused_after_it(
    client, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    minted = _mint(organiser.email).json()
    assert _me(minted["token"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": organiser.email})
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mailoutbox[-1].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    r = client.post(
        form_url, {"new_password1": "brand-new-phrase-42", "new_password2": "brand-new-phrase-42"}
    )
    assert r.status_code == 302
    assert _me(minted["token"]).status_code == 401
    assert ApiToken.objects.filter(user=organiser).count() == 0


def test_any_password_change_kills_the_old_tokens(organiser):
    minted = _mint(organiser.email).json()
    organiser.set_password("changed-in-the-admin-77")
    organiser.save()  # even a change that bypasses our services
    assert _me(minted["token"]).status_code == 401


def test_deactivating_an_account_revokes_its_tokens(organiser):
    minted = _mint(organiser.email).json()
    services.deactivate_user(user=organiser, actor=None, reason="left the company")
    assert _me(minted["token"]).status_code == 401
    assert ApiToken.objects.filter(user=organiser).count() == 0


def test_an_unconfirmed_account_gets_no_token(db):
    user = factories.make_user(verified=False)
    r = _mint(user.email)
    assert r.status_code == 403 and ApiToken.objects.count() == 0
