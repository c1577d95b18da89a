"""Error reporting to Sentry, switched on by ``SENTRY_DSN`` (sentry-sdk's Django and Celery integrations).

settings.py imports this module only when ``SENTRY_DSN`` is set, so sentry-sdk is loaded only then."""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from .logging import current_request_id


def init_sentry(
    *, dsn: str, environment: str = "production", release: str = "", traces_sample_rate: float = 0.0
) -> None:
    def _tag_request_id(event, _hint):
        request_id = current_request_id()
        if request_id:
            event.setdefault("tags", {})["request_id"] = request_id
        return event

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # no e-mail addresses, cookies or IP addresses of users leave the show
        before_send=_tag_request_id,
    )
