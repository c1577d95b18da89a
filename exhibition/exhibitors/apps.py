from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitorsConfig(AppConfig):
    name = "exhibition.exhibitors"
    label = "exhibitors"
    verbose_name = _("Exhibitors")

    def ready(self) -> None:
        # register the dashboard figures and landing lines
        from . import landing, selectors, uses  # noqa: F401, PLC0415 -- import models: not while apps.py loads
