"""Prometheus metrics (prometheus-client).

Per-process figures (request latency per view, task durations and failures per queue, cache
errors) are prometheus-client metrics. Under gunicorn or a prefork Celery worker several
processes count at once: set ``PROMETHEUS_MULTIPROC_DIR`` to a directory the processes of a
host share (emptied at start, see the README), and ``/metrics`` adds up every process's
files (prometheus-client's multiprocess mode). Without it (the demo, tests) the figures of
the one process are served.

Shared state (queue depths in Redis, the outbox and webhook backlogs in the database) is
read when ``/metrics`` is scraped by :class:`BacklogCollector`, so it is the same whichever
process answers.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable

from celery import signals
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily

from .queues import queue_for

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200)

REQUEST_LATENCY = Histogram(
    "exhibition_http_request_duration_seconds",
    "Time to answer a request, per view.",
    ["view", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "exhibition_http_responses_total", "Responses per view and status class.", ["view", "method", "status"]
)
TASK_DURATION = Histogram(
    "exhibition_task_duration_seconds",
    "Time a Celery task ran, per task and queue.",
    ["task", "queue"],
    buckets=TASK_BUCKETS,
)
TASKS = Counter(
    "exhibition_tasks_total",
    "Celery tasks finished, per task, queue and outcome.",
    ["task", "queue", "outcome"],
)
TASK_FAILURES = Counter(
    "exhibition_task_failures_total", "Celery tasks that raised, per task and queue.", ["task", "queue"]
)
CACHE_ERRORS = Counter(
    "exhibition_cache_errors_total", "Cache calls that failed (Redis down or slow).", ["operation"]
)


# --- providers of shared figures, registered by the apps (a registry: lower apps never import higher)

BacklogProvider = Callable[[], Iterable[tuple[str, dict[str, str], float, str]]]
_providers: list[BacklogProvider] = []


def register_backlog(provider: BacklogProvider) -> BacklogProvider:
    """``provider()`` yields ``(metric_name, labels, value, help)``; read on every scrape."""
    _providers.append(provider)
    return provider


class BacklogCollector:
    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for provider in _providers:
            try:
                rows = list(provider())
            except Exception:  # one failing source must not hide the others
                logger.warning(
                    "Metrics provider %s failed", getattr(provider, "__name__", provider), exc_info=True
                )
                continue
            for name, labels, value, help_text in rows:
                family = families.get(name)
                if family is None:
                    family = families[name] = GaugeMetricFamily(name, help_text, labels=sorted(labels))
                family.add_metric([labels[k] for k in sorted(labels)], value)
        yield from families.values()

    def describe(self):
        return []


def registry() -> CollectorRegistry:
    """The registry to expose: every process's files in multiprocess mode, plus the shared figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        reg = CollectorRegistry()
        multiprocess.MultiProcessCollector(reg)
    else:
        reg = CollectorRegistry()
        for collector in list(REGISTRY._collector_to_names):  # this process's metrics
            reg.register(collector)
    reg.register(BacklogCollector())
    return reg


# --- the request side ---------------------------------------------------------------------------


class MetricsMiddleware:
    """Times every request and labels it with the view's URL name (not the path: bounded labels)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match else "unresolved"
        REQUEST_LATENCY.labels(view=view, method=request.method).observe(elapsed)
        RESPONSES.labels(view=view, method=request.method, status=f"{response.status_code // 100}xx").inc()
        logging.getLogger("exhibition.request").info(
            "%s %s %s",
            request.method,
            view,
            response.status_code,
            extra={
                "method": request.method,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response


# --- the task side --------------------------------------------------------------------------------


def connect_celery_signals() -> None:
    def _queue(task) -> str:
        info = getattr(task.request, "delivery_info", None) or {}
        return info.get("routing_key") or queue_for(task.name)

    @signals.task_prerun.connect(weak=False)
    def _started(task=None, **_kwargs):
        task.request._metrics_started = time.perf_counter()

    @signals.task_postrun.connect(weak=False)
    def _finished(task=None, state=None, **_kwargs):
        started = getattr(task.request, "_metrics_started", None)
        queue = _queue(task)
        if started is not None:
            TASK_DURATION.labels(task=task.name, queue=queue).observe(time.perf_counter() - started)
        TASKS.labels(task=task.name, queue=queue, outcome=(state or "UNKNOWN").lower()).inc()

    @signals.worker_process_shutdown.connect(weak=False)
    def _process_gone(**_kwargs):
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            multiprocess.mark_process_dead(os.getpid())

    @signals.task_failure.connect(weak=False)
    def _failed(sender=None, **_kwargs):
        TASK_FAILURES.labels(task=sender.name, queue=_queue(sender)).inc()
