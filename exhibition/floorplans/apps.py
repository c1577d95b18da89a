from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorplansConfig(AppConfig):
    name = "exhibition.floorplans"
    label = "floorplans"
    verbose_name = _("Floor plans")

    def ready(self) -> None:
        from . import selectors  # noqa: F401 - registers the dashboard summary figures
