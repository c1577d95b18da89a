"""Request-rate limits shared by every web process through the cache (Redis in production).

Failed sign-ins are locked out by django-axes (see settings); this module limits how often
the other doors may be knocked on (sign-up, password reset, invitation acceptance, e-mail
confirmation), per address and per account. Fixed windows: one counter per key and window,
created with ``add`` and bumped with ``incr`` (atomic in Redis). A cache that fails lets the
request through and logs: a rate limiter must never take the site down.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import ngettext

from .errors import DomainError

logger = logging.getLogger(__name__)
CACHE_ALIAS = "ratelimit"


class RateLimited(DomainError):
    """Too many attempts: HTTP 429 with ``Retry-After``."""

    status_code = 429
    default_code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(int(retry_after), 1)
        minutes = math.ceil(self.retry_after / 60)
        super().__init__(
            ngettext(
                "Too many attempts. Try again in %(n)s minute.",
                "Too many attempts. Try again in %(n)s minutes.",
                minutes,
            )
            % {"n": minutes}
            if self.retry_after >= 60
            else ngettext(
                "Too many attempts. Try again in %(n)s second.",
                "Too many attempts. Try again in %(n)s seconds.",
                self.retry_after,
            )
            % {"n": self.retry_after}
        )


def client_ip(request) -> str:
    """The client's address. Behind the TLS proxy, ``REMOTE_ADDR`` is the proxy's unless the
    proxy is trusted to set ``X-Forwarded-For`` (``USE_X_FORWARDED_FOR``, see settings)."""
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def check(scope: str, keys: Iterable[str], *, limit: int, window: int) -> None:
    """Count one attempt against each key; raise :class:`RateLimited` when any is over ``limit``
    attempts in the current ``window`` seconds."""
    cache = caches[CACHE_ALIAS]
    now = time.time()
    start = int(now // window) * window
    worst = 0
    for key in keys:
        if not key:
            continue
        name = f"rl:{scope}:{key.lower()}:{start}"
        try:
            cache.add(name, 0, timeout=window + 5)
            count = cache.incr(name)
        except Exception:  # the cache is down: let the request through
            logger.warning("rate limit %s not checked: cache unavailable", scope, exc_info=True)
            return
        if count > limit:
            worst = max(worst, math.ceil(start + window - now))
    if worst:
        raise RateLimited(worst)


# Limits per door: (attempts, window in seconds), counted per client address and per account.
LIMITS = {
    "signup": (10, 3600),
    "password_reset": (5, 3600),
    "invitation": (10, 600),
    "verify_email": (10, 3600),
}


def limit(request, scope: str, *, account: str = "") -> None:
    attempts, window = LIMITS[scope]
    check(
        scope,
        [f"ip:{client_ip(request)}", f"acct:{account}" if account else ""],
        limit=attempts,
        window=window,
    )
