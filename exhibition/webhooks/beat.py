"""Periodic tasks of webhooks, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT_SCHEDULE = {"webhooks-sweep": {"task": "exhibition.webhooks.sweep", "schedule": 30.0}}
