from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "exhibition.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from exhibition.core import metrics
        from exhibition.core.webhooks import register_sink

        from . import services

        register_sink(services.record_emitted)
        metrics.register_backlog(services.backlog_figures)
