"""Periodic tasks of accreditation, merged into CELERY_BEAT_SCHEDULE by settings."""

BEAT_SCHEDULE = {
    "accreditation-reconcile-badges": {"task": "exhibition.accreditation.reconcile_badges", "schedule": 60.0},
    "accreditation-issue-missing-badges": {
        "task": "exhibition.accreditation.issue_missing_badges",
        "schedule": 5 * 60.0,
    },
    "accreditation-mark-no-shows": {"task": "exhibition.accreditation.mark_no_shows", "schedule": 5 * 60.0},
    "accreditation-sweep-print-jobs": {
        "task": "exhibition.accreditation.sweep_print_jobs",
        "schedule": 120.0,
    },
}
