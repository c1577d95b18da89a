from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorplansConfig(AppConfig):
    name = "exhibition.floorplans"
    label = "floorplans"
    verbose_name = _("Floorplans")
