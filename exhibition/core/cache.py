"""A Redis cache that fails soft.

The cache only ever saves work: when Redis is down, refuses connections or hangs, every
read is a miss and every write is dropped, so pages compute what they would have read
(short socket timeouts bound the wait). After a failure the backend does not touch Redis
again for ``RETRY_AFTER`` seconds (so a dead Redis costs one timeout per process and
interval, not one per call), logs one warning when the outage starts and one line when
Redis answers again.

Configured in settings (``CACHES["default"]["BACKEND"] = "exhibition.core.cache.FailSoftRedisCache"``).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from . import metrics

logger = logging.getLogger(__name__)

try:  # redis-py is a requirement; the guard keeps this importable where it is missing
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError  # type: ignore[misc,assignment]

FAILURES = (RedisError, OSError, EOFError)


class FailSoftRedisCache(RedisCache):
    #: seconds to leave Redis alone after a failure
    RETRY_AFTER = 5.0

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.get("OPTIONS") or {}
        self.retry_after = float(options.pop("RETRY_AFTER", self.RETRY_AFTER))
        super().__init__(server, params)
        self._down_until = 0.0
        self._down = False
        self._state_lock = threading.Lock()

    # --- the breaker -------------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """False while we are leaving a failed Redis alone."""
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, exc: BaseException) -> None:
        with self._state_lock:
            self._down_until = time.monotonic() + self.retry_after
            first = not self._down
            self._down = True
        metrics.CACHE_ERRORS.labels(operation=operation).inc()
        if first:
            logger.warning(
                "Cache unavailable (%s: %s); pages are computed without it until Redis answers",
                type(exc).__name__,
                exc,
            )

    def _succeeded(self) -> None:
        if self._down:
            with self._state_lock:
                was_down, self._down = self._down, False
            if was_down:
                logger.info("Cache available again")

    def _call(self, operation: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.available:
            return default
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except FAILURES as exc:
            self._failed(operation, exc)
            return default
        self._succeeded()
        return result

    # --- Django's cache API ------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # Nothing stored: callers using add() as "first one wins" must not believe they won.
        return self._call("add", False, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        # A counter we cannot read counts from zero (rate limits then let the request through).
        return self._call("incr", delta, key, delta, version)

    def clear(self):
        return self._call("clear", None)
