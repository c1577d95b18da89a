"""Periodic tasks of exhibitors, merged into CELERY_BEAT_SCHEDULE by settings."""

BEAT_SCHEDULE = {
    "exhibitors-sweep-imports": {"task": "exhibition.exhibitors.sweep_imports", "schedule": 120.0},
    "exhibitors-sweep-screening-runs": {
        "task": "exhibition.exhibitors.sweep_screening_runs",
        "schedule": 120.0,
    },
}
