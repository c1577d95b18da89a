"""Periodic tasks of privacy, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT_SCHEDULE = {"privacy-shred-due": {"task": "exhibition.privacy.shred_due", "schedule": 6 * 60 * 60.0}}
