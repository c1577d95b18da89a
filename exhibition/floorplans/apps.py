from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorplansConfig(AppConfig):
    name = "exhibition.floorplans"
    label = "floorplans"
    verbose_name = _("Floor plans")

    def ready(self) -> None:
        from exhibition.events.signals import walking_settings_changed

        from . import selectors  # noqa: F401 - registers the dashboard summary figures
        from .services import walking_settings_changed as recompute

        walking_settings_changed.connect(
            lambda sender, event, **kw: recompute(event),
            weak=False,
            dispatch_uid="floorplans.walking_settings_changed",
        )
