"""Which Celery queue each task runs on, and how long it may run there.

Two queues, each with its own workers (see the README's deployment section):

``short``
    Everything that a person is waiting for within seconds: e-mail (the outbox), webhooks,
    stand-hold expiry, reminders, later the gate sync. Several processes per worker host.
``planners``
    Long, CPU-heavy work: delegation planning runs, meeting rounds, the walking matrix,
    screening runs, the privacy shredder and data exports. One process per worker host, so
    a 60-minute meeting round never holds up an e-mail.

Kept free of Django imports: ``settings.py`` reads it.
"""

from __future__ import annotations

SHORT = "short"
PLANNERS = "planners"
QUEUES = (SHORT, PLANNERS)

# Task name -> queue, for every task that is not short. A name that is not here runs on
# ``short`` (the default queue); tests/core/test_queues.py checks each name exists.
PLANNER_TASKS = (
    "exhibition.delegations.run_planning",  # up to 600 s of solving plus reading and writing
    "exhibition.meetings.schedule_round",  # up to 3,600 s of solving
    "exhibition.floorplans.compute_walking_matrix",
    "exhibition.exhibitors.rescreen_event",
    "exhibition.privacy.run_shredder",
    "exhibition.privacy.build_export",
    "exhibition.privacy.erase_person",
)

# Hard and soft time limits (seconds). The planners' hard limit covers the longest solver
# limit a form accepts (a meeting round: 3,600 s) plus building the problem and storing the
# result; the broker's visibility timeout (below) is longer still, so Redis never hands a
# running planner task to a second worker.
PLANNER_TIME_LIMIT = 2 * 60 * 60
PLANNER_SOFT_TIME_LIMIT = PLANNER_TIME_LIMIT - 5 * 60
SHORT_TIME_LIMIT = 5 * 60
SHORT_SOFT_TIME_LIMIT = 4 * 60
VISIBILITY_TIMEOUT = 3 * 60 * 60

TASK_ROUTES = {name: {"queue": PLANNERS} for name in PLANNER_TASKS}


def queue_for(task_name: str) -> str:
    return TASK_ROUTES.get(task_name, {}).get("queue", SHORT)


class QueueTimeLimits:
    """Celery task annotation: each of our tasks gets the time limits of its queue.

    (A plain ``{"*": ...}`` map would be applied after, and so override, the per-name entries.)
    """

    def annotate(self, task) -> dict | None:
        if not task.name.startswith("exhibition."):
            return None
        if queue_for(task.name) == PLANNERS:
            return {"time_limit": PLANNER_TIME_LIMIT, "soft_time_limit": PLANNER_SOFT_TIME_LIMIT}
        return {"time_limit": SHORT_TIME_LIMIT, "soft_time_limit": SHORT_SOFT_TIME_LIMIT}

    def annotate_any(self) -> None:
        return None
