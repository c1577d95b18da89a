from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from exhibition.core import metrics
from exhibition.core.webhooks import register_sink


class WebhooksConfig(AppConfig):
    name = "exhibition.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from . import services  # noqa: PLC0415 -- imports the models: not while apps.py loads

        register_sink(services.record_emitted)
        metrics.register_backlog(services.backlog_figures)
