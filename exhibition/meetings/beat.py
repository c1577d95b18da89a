"""Periodic tasks of meetings, merged into CELERY_BEAT_SCHEDULE by settings."""

BEAT_SCHEDULE = {
    "meetings-expire-requests": {"task": "exhibition.meetings.expire_requests", "schedule": 15 * 60.0},
    "meetings-reminders": {"task": "exhibition.meetings.send_meeting_reminders", "schedule": 5 * 60.0},
    "meetings-sweep-rounds": {"task": "exhibition.meetings.sweep_rounds", "schedule": 60.0},
}
