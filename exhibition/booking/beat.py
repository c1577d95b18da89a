"""Periodic tasks of stand booking, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT_SCHEDULE = {
    "release-expired-holds": {"task": "exhibition.booking.release_expired_holds", "schedule": 60.0}
}
