"""Thin, idempotent webhook tasks, on the short queue."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="exhibition.webhooks.deliver", ignore_result=True)
def deliver(*, delivery_id: int) -> None:
    """Try one delivery if it is due and unclaimed; a gone or finished delivery is a no-op."""
    services.deliver(delivery_id)


@shared_task(name="exhibition.webhooks.sweep", ignore_result=True)
def sweep() -> int:
    """Queue every delivery whose next try is due (every 30 s, see schedule.py)."""
    ids = services.due_delivery_ids()
    for delivery_id in ids:
        services.enqueue(delivery_id)
    return len(ids)
