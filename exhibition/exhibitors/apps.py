from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitorsConfig(AppConfig):
    name = "exhibition.exhibitors"
    label = "exhibitors"
    verbose_name = _("Exhibitors")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the dashboard figures
