from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "exhibition.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # registers the e-mail builders (links made at send time)
        from . import services  # noqa: F401, PLC0415 -- imports the models: not while apps.py loads
