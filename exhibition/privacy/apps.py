from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "exhibition.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # registers the categories of the domain apps
        from . import categories  # noqa: F401, PLC0415 -- imports the models: not while apps.py loads
