"""The cache fails soft: with a real Redis stopped or frozen, pages that read it still answer.

A private redis-server (on a free port) is started, stopped, frozen (SIGSTOP: connections open,
no answers) and started again; the shared Redis is never touched.
"""

from __future__ import annotations

import logging
import re
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from exhibition.floorplans import services
from exhibition.floorplans.selectors import forget_local_graphs
from tests import factories
from tests.conftest import require_services
from tests.redis_server import PrivateRedis

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def private_redis():
    if not PrivateRedis.available():
        require_services("redis-server (apt-get install redis-server)")
    with PrivateRedis() as server:
        caches = {
            "default": {
                "BACKEND": "exhibition.core.cache.FailSoftRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "RETRY_AFTER": 0.3},
            }
        }
        # The sign-in lockout and rate limits keep their counts under their own alias (settings);
        # not what these tests stop and freeze: the suite's own, in memory. The same LOCATION, or
        # django-axes, which keeps the cache it first met, would count in a store no test clears
        # and lock a later test's sign-in out.
        caches["ratelimit"] = settings.CACHES["ratelimit"]
        with override_settings(CACHES=caches):
            forget_local_graphs()
            yield server
    forget_local_graphs()


@pytest.fixture
def small_plan(event, organiser):
    hall = factories.make_hall(event, "5A", width=60, depth=40, position=1)
    services.create_door(
        event=event, actor=organiser, code="E-5A", name="Entrance 5A", hall_a=hall, hall_b=None, x=0, y=20
    )
    for number, x in (("5A-A1", 10), ("5A-A2", 40)):
        services.create_stand(
            event=event, actor=organiser, hall=hall, number=number, x=x, y=10, width=6, depth=4
        )


def _route(client, event):
    url = reverse("floorplans:route", kwargs={"event_slug": event.slug}) + "?from=5A-A1&to=5A-A2"
    started = time.monotonic()
    response = client.get(url)
    elapsed = time.monotonic() - started
    line = re.search(r'<polyline class="route-line" points="([^"]+)"', response.content.decode())
    return response.status_code, (line.group(1) if line else None), elapsed


def _cache_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "exhibition.core.cache"]


def test_route_page_is_computed_without_the_cache_while_redis_is_stopped(
    client, event, organiser, small_plan, private_redis, caplog
):
    client.force_login(factories.make_visitor(event).user)
    status, route, _ = _route(client, event)
    assert status == 200 and route
    assert [k for k in _keys(private_redis) if "floorplans:graph" in k]  # the graph went into Redis

    private_redis.stop()
    forget_local_graphs()
    caplog.set_level(logging.INFO, logger="exhibition.core.cache")
    answers = [_route(client, event) for _ in range(4)]

    assert [(s, r) for s, r, _ in answers] == [(200, route)] * 4
    assert max(t for *_, t in answers) < 2.0
    messages = _cache_messages(caplog)
    assert len(messages) == 1 and messages[0].startswith("Cache unavailable (ConnectionError")

    private_redis.start()
    time.sleep(0.4)  # the backend leaves a failed Redis alone for RETRY_AFTER (0.3 s here)
    forget_local_graphs()
    assert _route(client, event)[:2] == (200, route)
    assert _cache_messages(caplog)[1:] == ["Cache available again"]
    assert [k for k in _keys(private_redis) if "floorplans:graph" in k]


def test_route_page_answers_quickly_while_redis_hangs(
    client, event, organiser, small_plan, private_redis, caplog
):
    client.force_login(factories.make_visitor(event).user)
    expected = _route(client, event)[1]
    private_redis.freeze()
    try:
        forget_local_graphs()
        answers = [_route(client, event) for _ in range(3)]
    finally:
        private_redis.thaw()
    assert [(s, r) for s, r, _ in answers] == [(200, expected)] * 3
    # One socket timeout (0.5 s) for the first read, then Redis is left alone: no request waits long.
    assert answers[0][2] < 2.5 and max(t for *_, t in answers[1:]) < 1.0
    assert sum(m.startswith("Cache unavailable (TimeoutError") for m in _cache_messages(caplog)) == 1


def test_cache_calls_with_redis_down_are_misses_and_dropped_writes(private_redis):
    private_redis.stop()
    assert cache.get("k", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is False  # "first one wins" callers must not believe they won
    assert cache.incr("counter", 3) == 3
    assert cache.get_or_set("k", lambda: "computed") == "computed"
    assert cache.delete("k") is False


def _keys(server: PrivateRedis) -> list[str]:
    return [k.decode() for k in redis.Redis.from_url(server.url).keys("*")]
