from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "exhibition.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from . import categories  # noqa: F401 - registers the categories of the domain apps
