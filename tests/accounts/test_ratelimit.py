"""Lockout and rate limits: a clear 429 with Retry-After on every door (sign-in page, token
endpoint, sign-up, reset, invitation), per address and per account; shared by every web
process through Redis (proved with two real gunicorn processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from django.db import connection
from rest_framework.test import APIClient

from exhibition.accounts import services
from exhibition.accounts.models import User
from tests import factories
from tests.conftest import require_services
from tests.redis_server import free_port

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def test_the_eleventh_wrong_password_on_the_page_gets_429_even_with_the_right_one(client, organiser):
    for _ in range(9):
        r = client.post("/accounts/login/", {"username": organiser.email, "password": "wrong"})
        assert r.status_code == 200
    r = client.post("/accounts/login/", {"username": organiser.email, "password": "wrong"})
    assert r.status_code == 429
    r = client.post("/accounts/login/", {"username": organiser.email, "password": factories.PASSWORD})
    assert r.status_code == 429 and int(r["Retry-After"]) == 15 * 60
    html = r.content.decode()
    assert (
        "Too many failed sign-in attempts. Try again in 15 minutes." in html
        and "You can sign in again from" in html
    )
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_is_locked_out_per_account_from_any_address(organiser):
    api = APIClient()
    for i in range(10):
        r = api.post(
            "/api/v1/auth/token/",
            {"email": organiser.email, "password": "wrong"},
            format="json",
            REMOTE_ADDR=f"10.0.0.{i}",
        )
    assert r.status_code == 429
    r = api.post(
        "/api/v1/auth/token/",
        {"email": organiser.email, "password": factories.PASSWORD},
        format="json",
        REMOTE_ADDR="10.0.0.99",
    )
    assert r.status_code == 429 and r["Retry-After"] == "900" and r.json()["code"] == "locked_out"
    other = factories.make_user()  # another account from a fresh address is not held up
    r = api.post(
        "/api/v1/auth/token/",
        {"email": other.email, "password": factories.PASSWORD, "name": "x"},
        format="json",
        REMOTE_ADDR="10.0.1.1",
    )
    assert r.status_code == 201


def test_sign_up_reset_and_invitation_are_rate_limited_per_address(client, event, organiser, company):
    for i in range(10):
        client.post(
            "/accounts/signup/",
            {"full_name": "X", "email": f"x{i}@example.test", "password": "a-long-pass-phrase-7"},
        )
    r = client.post(
        "/accounts/signup/",
        {"full_name": "X", "email": "x99@example.test", "password": "a-long-pass-phrase-7"},
    )
    assert r.status_code == 429 and int(r["Retry-After"]) > 0
    assert "Too many attempts. Try again in" in r.content.decode()
    assert not User.objects.filter(email="x99@example.test").exists()
    for _ in range(5):
        client.post("/accounts/password-reset/", {"email": organiser.email})
    r = client.post("/accounts/password-reset/", {"email": organiser.email})
    assert r.status_code == 429 and "Too many attempts" in r.content.decode()
    invitation = services.invite(
        event=event, actor=organiser, email="new@aegis.test", role="company_staff", organisation=company
    )
    url = f"/accounts/invitation/{services.invitation_token(invitation)}/"
    for _ in range(10):
        client.post(url, {"full_name": "", "password": ""}, REMOTE_ADDR="10.9.9.9")
    r = client.post(url, {"full_name": "New", "password": "a-long-pass-phrase-7"}, REMOTE_ADDR="10.9.9.9")
    assert r.status_code == 429 and not User.objects.filter(email="new@aegis.test").exists()


# --- two real web processes sharing Redis --------------------------------------------------------------


@pytest.fixture
def two_web_processes(transactional_db):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        require_services("Redis (set REDIS_URL)")
    if connection.vendor != "postgresql":
        require_services("PostgreSQL (set DATABASE_URL)")

    redis.Redis.from_url(redis_url).flushdb()
    s = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "exhibition.settings",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": os.environ["SECRET_KEY"],
    }
    procs, ports = [], []
    for _ in range(2):
        port = free_port()
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "exhibition.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "1",
                    "--log-level",
                    "warning",
                ],
                cwd=REPO,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
        ports.append(port)
    deadline = time.monotonic() + 30
    for port in ports:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/auth/token/", timeout=2)
                break
            except urllib.error.HTTPError:  # it answers (405 to a GET): up
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
    yield ports
    for p in procs:
        p.terminate()
        p.wait(timeout=10)


def _token(port: int, email: str, password: str) -> tuple[int, dict]:
    body = json.dumps({"email": email, "password": password, "name": "script"}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers)


@pytest.mark.services
def test_the_lockout_is_shared_by_every_web_process_through_redis(two_web_processes):
    a, b = two_web_processes
    user = factories.make_user(email="target@example.test")
    codes = [_token(a if i % 2 else b, user.email, "wrong")[0] for i in range(9)]
    assert codes == [400] * 9
    assert _token(a, user.email, "wrong")[0] == 429  # the 10th failure locks the account
    for port in (a, b):  # the 11th attempt, on either process, right password or not
        status, headers = _token(port, user.email, factories.PASSWORD)
        assert status == 429 and int(headers["Retry-After"]) == 900
