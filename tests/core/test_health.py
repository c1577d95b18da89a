"""/healthz, /readyz and /metrics: what a load balancer and Prometheus see."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta

import pytest
import redis
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.urls import resolve
from django.utils import timezone

from exhibition.core import health
from exhibition.core.gate import PUBLIC_VIEWS, is_public
from exhibition.core.models import OutboxMessage
from tests.conftest import require_services

pytestmark = pytest.mark.django_db


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["show.example.org"])
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_a_balancer_probing_by_address_over_plain_http(client, path):
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["status"] in ("ok", "ready")


def test_healthz_says_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert json.loads(response.content) == {"status": "ok"}


def test_readyz_lists_every_check(client):
    body = json.loads(client.get("/readyz").content)
    assert body["status"] == "ready"
    assert list(body["checks"]) == ["database", "migrations", "redis", "queues", "outbox"]
    assert all(check["ok"] for check in body["checks"].values())


def test_readyz_is_503_while_a_migration_is_not_applied(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    MigrationRecorder.Migration.objects.filter(app="webhooks", name="0001_initial").delete()  # a leaf
    response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 503 and body["status"] == "not ready"
    assert body["checks"]["migrations"]["ok"] is False and body["checks"]["migrations"]["unapplied"] >= 1
    assert body["checks"]["database"]["ok"] is True


@override_settings(READYZ_OUTBOX_LIMIT=2, READYZ_OUTBOX_AGE=300)
def test_readyz_is_503_when_the_outbox_backlog_passes_its_threshold(client):
    old = timezone.now() - timedelta(minutes=10)
    for i in range(3):
        OutboxMessage.objects.create(
            kind="t", recipient=f"p{i}@example.test", subject="s", body="b", created_at=old
        )
    OutboxMessage.objects.create(
        kind="t", recipient="fresh@example.test", subject="s", body="b"
    )  # just queued
    response = client.get("/readyz")
    outbox = json.loads(response.content)["checks"]["outbox"]
    assert response.status_code == 503
    assert (outbox["ok"], outbox["stale"], outbox["limit"]) == (False, 3, 2)


@pytest.mark.services
def test_readyz_is_503_when_a_queue_is_too_deep_and_when_redis_is_unreachable(client, settings):
    url = os.environ.get("REDIS_URL")
    if not url:
        require_services("Redis (set REDIS_URL)")

    broker = redis.Redis.from_url(url)
    broker.flushdb()
    settings.REDIS_URL = url
    settings.READYZ_QUEUE_LIMITS = {"short": 10, "planners": 1}
    broker.lpush("planners", "a", "b")
    broker.lpush("short", "c")
    body = json.loads(client.get("/readyz").content)
    assert body["checks"]["queues"] == {
        "ok": False,
        "depths": {"short": 1, "planners": 2},
        "limits": {"short": 10, "planners": 1},
        "ms": body["checks"]["queues"]["ms"],
    }
    broker.flushdb()

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/readyz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["redis"]["ok"] is False and "ConnectionError" in body["checks"]["redis"]["error"]
    assert body["checks"]["database"]["ok"] is True


@override_settings(METRICS_TOKEN="scrape-token")
def test_metrics_count_requests_per_view_and_the_outbox_backlog(client):
    OutboxMessage.objects.create(kind="t", recipient="p@example.test", subject="s", body="b")
    scrape = {"HTTP_AUTHORIZATION": "Bearer scrape-token"}
    before = _sample(
        client.get("/metrics", **scrape).content.decode(),
        'exhibition_http_request_duration_seconds_count{method="GET",view="api:event-list"}',
    )
    for _ in range(3):
        client.get("/api/v1/events/")
    text = client.get("/metrics", **scrape).content.decode()
    assert (
        _sample(text, 'exhibition_http_request_duration_seconds_count{method="GET",view="api:event-list"}')
        == before + 3
    )
    assert (
        _sample(text, 'exhibition_http_responses_total{method="GET",status="4xx",view="api:event-list"}') >= 3
    )
    assert _sample(text, "exhibition_outbox_backlog") == 1.0
    assert "# TYPE exhibition_task_duration_seconds histogram" in text


@override_settings(METRICS_TOKEN="s3cret-token")
def test_metrics_need_the_token_when_one_is_set(client):
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token").status_code == 200


@override_settings(METRICS_TOKEN="", DEBUG=False)
def test_metrics_are_closed_in_production_until_a_token_is_set(client):
    response = client.get("/metrics")
    assert response.status_code == 404
    assert b"METRICS_TOKEN" in response.content and b"exhibition_" not in response.content


def test_probe_urls_are_marked_public_for_the_permission_gate():
    for name, path in (("healthz", "/healthz"), ("readyz", "/readyz"), ("metrics", "/metrics")):
        match = resolve(path)
        assert match.url_name == name and name in PUBLIC_VIEWS
        assert is_public(match.view_name, match.namespaces)


def _sample(text: str, series: str) -> float:
    found = re.search(r"^" + re.escape(series) + r" ([0-9.e+]+)$", text, re.M)
    return float(found.group(1)) if found else 0.0
