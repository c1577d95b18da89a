"""Logs: one JSON line per record, written once, with the request id; errors to Sentry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def test_each_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(client):
    fresh = client.get("/api/v1/events/")["X-Request-ID"]
    assert len(fresh) == 32 and fresh.isalnum()
    assert (
        client.get("/api/v1/events/", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")["X-Request-ID"]
        == "lb-7f3a9c21-0001"
    )
    hostile = client.get("/api/v1/events/", HTTP_X_REQUEST_ID='x"}\n{"level":"CRITICAL"')["X-Request-ID"]
    assert len(hostile) == 32 and hostile.isalnum()  # not echoed into our logs


_SCRIPT = """
import logging, django
django.setup()
from django.test import Client
logging.getLogger("exhibition.demo").warning("one line from the app")
logging.getLogger("django.request").error("one line from django")
logging.getLogger("celery.app.trace").info("one line from celery")
logging.getLogger("django.server").info('"GET /api/v1/events/ HTTP/1.1" 401 58')  # runserver's access line
Client().get("/api/v1/events/", HTTP_X_REQUEST_ID="req-logging-test-1")
"""


@pytest.mark.parametrize("debug", ["0", "1"])
def test_every_log_line_is_written_once(tmp_path, debug):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "exhibition.settings",
        "DEBUG": debug,
        "SECRET_KEY": "k" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_FORMAT": "json",
    }
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    messages = [r["message"] for r in records]
    for text in ("one line from the app", "one line from django", "one line from celery"):
        assert messages.count(text) == 1, lines
    assert [r for r in records if r["logger"] == "django.server"] == []  # the request line below says it
    request = [r for r in records if r["logger"] == "exhibition.request"]
    assert len(request) == 1
    assert request[0]["request_id"] == "req-logging-test-1" and request[0]["view"] == "api:event-list"
    assert request[0]["status"] == 401 and isinstance(request[0]["duration_ms"], float)
    # The 401 is said once, by the request line: no second "Unauthorized" warning from django.request.
    assert [
        r for r in records if r["logger"] == "django.request" and r["message"].startswith("Unauthorized")
    ] == []


class _Envelopes(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        elif self.headers.get("Content-Encoding") == "br":  # sentry-sdk compresses with brotli when it can
            import brotli  # noqa: PLC0415 -- optional: sentry-sdk sends brotli only when brotli is installed

            body = brotli.decompress(body)
        _Envelopes.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


_SENTRY_SCRIPT = """
import django
django.setup()
from django.test import Client
from exhibition.events import views

def broken(self, request, *args, **kwargs):
    raise RuntimeError("the landing page broke")

views.HomeView.get = broken   # a bug, as a deployed show might meet one
response = Client(raise_request_exception=False).get("/", HTTP_X_REQUEST_ID="req-sentry-test-01")
assert response.status_code == 500, response.status_code
import sentry_sdk
sentry_sdk.flush(timeout=5)
"""


def test_an_unhandled_error_is_reported_to_sentry_when_a_dsn_is_set(tmp_path):
    server = HTTPServer(("127.0.0.1", 0), _Envelopes)  # a free port: tests run side by side
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Envelopes.received.clear()
    try:
        env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "exhibition.settings",
            "DEBUG": "0",
            "SECRET_KEY": "k" * 50,
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/42",
            "SENTRY_ENVIRONMENT": "test",
        }
        result = subprocess.run(
            [sys.executable, "-c", _SENTRY_SCRIPT],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
        server.server_close()
    events = [
        json.loads(line)
        for body in _Envelopes.received
        for line in body.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["value"] == "the landing page broke"
    assert event["environment"] == "test" and event["tags"]["request_id"] == "req-sentry-test-01"
    assert "user" not in event or "ip_address" not in event.get("user", {})
