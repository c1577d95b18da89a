from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorplansConfig(AppConfig):
    name = "exhibition.floorplans"
    label = "floorplans"
    verbose_name = _("Floor plans")

    def ready(self) -> None:
        # all three import models, which cannot load while apps.py itself is being imported
        from exhibition.events.signals import halls_changed, walking_settings_changed  # noqa: PLC0415 -- imports models

        from . import selectors, setup_todos, uses  # noqa: F401, PLC0415 -- imports models; registers the dashboard figures, to-dos, hall uses
        from .services import bump_plan_version  # noqa: PLC0415 -- imports models
        from .services import walking_settings_changed as recompute  # noqa: PLC0415 -- imports models

        walking_settings_changed.connect(
            lambda sender, event, **kw: recompute(event),
            weak=False,
            dispatch_uid="floorplans.walking_settings_changed",
        )
        halls_changed.connect(
            lambda sender, event, **kw: bump_plan_version(event),
            weak=False,
            dispatch_uid="floorplans.halls_changed",
        )
