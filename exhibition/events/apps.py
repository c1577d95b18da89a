from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "exhibition.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from .signals import connect_dashboard  # noqa: PLC0415 -- imports models: not while apps.py loads

        connect_dashboard()
