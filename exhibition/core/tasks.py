"""Thin, idempotent tasks for the outbox."""

from __future__ import annotations

import logging

from celery import shared_task

from . import notifications
from .idempotency import forget_old

logger = logging.getLogger(__name__)


@shared_task(
    name="exhibition.core.deliver_outbox_message",
    bind=True,
    max_retries=notifications.MAX_ATTEMPTS,
    ignore_result=True,
)
def deliver_outbox_message(self, *, message_id: int) -> None:
    try:
        notifications.deliver(message_id)
    except Exception as exc:  # transient delivery failure: retry with back-off
        if self.request.is_eager:
            logger.warning("Outbox message %s failed; the sweep will retry it", message_id)
            return
        raise self.retry(
            exc=exc, countdown=notifications.backoff(self.request.retries + 1).total_seconds()
        ) from exc


@shared_task(name="exhibition.core.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Deliver anything left behind (broker was down, worker died). Runs every minute."""
    sent = 0
    for message_id in notifications.due_message_ids():
        try:
            sent += notifications.deliver(message_id)
        except Exception:  # noqa: BLE001 - recorded on the row; next sweep retries
            logger.warning("Outbox message %s failed again", message_id)
    return sent


@shared_task(name="exhibition.core.forget_idempotency_keys", ignore_result=True)
def forget_idempotency_keys() -> int:
    """Daily: answers kept for retries are forgotten after two days."""
    return forget_old()
