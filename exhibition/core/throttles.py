"""API throttles, counted in the shared cache (Redis in production: every web process sees the
same counts)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class HeavyThrottle(UserRateThrottle):
    """For endpoints that cost seconds or megabytes (the walking matrix, PDFs, planner runs):
    ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["heavy"]`` per user (per address when anonymous),
    read on each request so that a deployment (or a test) may change it."""

    scope = "heavy"

    def get_rate(self):
        return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(self.scope)
