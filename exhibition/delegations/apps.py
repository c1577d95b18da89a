from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "exhibition.delegations"
    label = "delegations"
    verbose_name = _("Delegations")

    def ready(self) -> None:
        # ready() runs once the app registry is loaded; these modules import models, so they cannot be
        # imported at the top of apps.py, which Django imports while it is still setting the apps up.
        from exhibition.accounts.admission import on_admission_lost  # noqa: PLC0415 -- imports accounts models

        from . import selectors, uses  # noqa: F401, PLC0415 -- imports models; registers the summary, to-do providers
        from .services.admission import withdraw_admission  # noqa: PLC0415 -- imports models

        on_admission_lost(withdraw_admission)
