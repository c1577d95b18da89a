from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "exhibition.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import (
            health,  # noqa: F401 - registers the queue and outbox figures for /metrics
            metrics,
        )
        from . import logging as log

        log.connect_celery_signals()
        metrics.connect_celery_signals()
        from . import schema  # noqa: F401 - registers the OpenAPI field extensions
