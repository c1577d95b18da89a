from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from . import logging as log
from . import (
    metrics,
    schema,  # noqa: F401 - registers the OpenAPI field extensions
)


class CoreConfig(AppConfig):
    name = "exhibition.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # registers the queue and outbox figures for /metrics
        from . import health  # noqa: F401, PLC0415 -- imports core.models: not before the registry is ready

        log.connect_celery_signals()
        metrics.connect_celery_signals()
