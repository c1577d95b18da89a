"""Thin, idempotent tasks of stand booking."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="exhibition.booking.release_expired_holds", ignore_result=True)
def release_expired_holds() -> int:
    """Free the stands whose hold ran out (every minute, see beat.py). Safe to run twice."""
    return services.release_expired_holds()
