"""Periodic tasks of delegations, merged into CELERY_BEAT_SCHEDULE by settings."""

BEAT_SCHEDULE = {
    "delegations-sweep-planning-runs": {
        "task": "exhibition.delegations.sweep_planning_runs",
        "schedule": 60.0,
    },
}
