"""Probes for load balancers and the metrics scrape.

``/healthz``  the process is alive and serving (no I/O at all): restart it when this fails.
``/readyz``   send traffic here: the database answers, every migration is applied, Redis
              answers, the queues and the outbox backlog are under their thresholds. JSON
              with every check; 200 or 503.
``/metrics``  Prometheus text format (see exhibition/core/metrics.py), only with
              ``Authorization: Bearer <METRICS_TOKEN>``; in production (``DEBUG=0``) without a
              ``METRICS_TOKEN`` it answers 404, with ``DEBUG=1`` and no token to anyone.

:class:`ProbeMiddleware` answers these three paths first, before host validation and the
HTTPS redirect: a load balancer probes a backend by its address, over plain HTTP.
"""

from __future__ import annotations

import hmac
import logging
import time
from datetime import timedelta
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from . import metrics
from .models import OutboxMessage
from .queues import QUEUES

logger = logging.getLogger(__name__)

_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")  # kombu's Redis priority lists
_last_failing = ""
_migrations_applied = False  # once true, true for the life of the process (new migrations = new release)


def _redis():
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)


def queue_depths() -> dict[str, int]:
    """Messages waiting per queue in the broker (Redis lists); empty without Redis."""
    if not settings.REDIS_URL:
        return {}
    client = _redis()
    pipe = client.pipeline(transaction=False)
    for queue in QUEUES:
        for suffix in _PRIORITY_SUFFIXES:
            pipe.llen(queue + suffix)
    counts = pipe.execute()
    n = len(_PRIORITY_SUFFIXES)
    return {queue: sum(counts[i * n : (i + 1) * n]) for i, queue in enumerate(QUEUES)}


def outbox_backlog() -> tuple[int, float]:
    """Pending outbox messages, and the age in seconds of the oldest (0 when none)."""
    pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return pending.count(), age


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _check_migrations() -> dict[str, Any]:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return {"ok": False, "unapplied": len(plan)}
        _migrations_applied = True
    return {"ok": True}


def _check_redis() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "skipped": "no REDIS_URL: tasks run in the web process"}
    _redis().ping()
    return {"ok": True}


def _check_queues() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "skipped": "no REDIS_URL"}
    limits = settings.READYZ_QUEUE_LIMITS
    depths = queue_depths()
    over = {q: n for q, n in depths.items() if n > limits.get(q, 10**9)}
    return {"ok": not over, "depths": depths, "limits": limits}


def _check_outbox() -> dict[str, Any]:
    limit = settings.READYZ_OUTBOX_LIMIT
    stale = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING,
        created_at__lt=timezone.now() - timedelta(seconds=settings.READYZ_OUTBOX_AGE),
    ).count()
    return {"ok": stale <= limit, "stale": stale, "limit": limit}


CHECKS = {
    "database": _check_database,
    "migrations": _check_migrations,
    "redis": _check_redis,
    "queues": _check_queues,
    "outbox": _check_outbox,
}


NEEDS_DATABASE = {"migrations", "outbox"}


def readiness() -> tuple[bool, dict[str, Any]]:
    results: dict[str, Any] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "database unreachable"}
            continue
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 - a failing dependency is the answer, not an error
            result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    ok = all(r["ok"] for r in results.values())
    global _last_failing
    failing = ", ".join(k for k, r in results.items() if not r["ok"])
    if failing != _last_failing:  # probes come every few seconds: log the changes only
        if failing:
            logger.warning("Not ready: %s", failing, extra={"checks": results})
        else:
            logger.info("Ready again")
        _last_failing = failing
    return ok, results


# --- views ------------------------------------------------------------------------------------


def healthz(request):
    return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


def readyz(request):
    ok, checks = readiness()
    return JsonResponse(
        {"status": "ready" if ok else "not ready", "checks": checks},
        status=200 if ok else 503,
        headers={"Cache-Control": "no-store"},
    )


def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token and not settings.DEBUG:
        # Closed by default in production: the figures tell how busy the show is, to anyone.
        return HttpResponse(
            "Not found: /metrics answers once METRICS_TOKEN is set.\n",
            status=404,
            content_type="text/plain",
            headers={"Cache-Control": "no-store"},
        )
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return HttpResponse(
                "Unauthorized\n",
                status=401,
                content_type="text/plain",
                headers={"WWW-Authenticate": "Bearer"},
            )
    return HttpResponse(
        generate_latest(metrics.registry()),
        content_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )


PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics_view}


class ProbeMiddleware:
    """Answers the probe paths before anything else (host check, HTTPS redirect, sessions)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PROBES.get(request.path_info.rstrip("/") or "/")
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)


# --- shared figures for /metrics ----------------------------------------------------------------


@metrics.register_backlog
def _queue_and_outbox_figures():
    if settings.REDIS_URL:
        try:
            for queue, depth in queue_depths().items():
                yield (
                    "exhibition_queue_depth",
                    {"queue": queue},
                    depth,
                    "Tasks waiting in the broker, per queue.",
                )
        except Exception:  # noqa: BLE001 - Redis down: the depth is unknown, not zero
            logger.warning("Queue depths unavailable (Redis unreachable)")
    pending, age = outbox_backlog()
    yield "exhibition_outbox_backlog", {}, pending, "Outbox messages not yet sent."
    yield "exhibition_outbox_oldest_seconds", {}, age, "Age of the oldest unsent outbox message."
