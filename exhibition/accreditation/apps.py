from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "exhibition.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self) -> None:
        # apps.py is imported while the app registry is being filled; these modules define or import
        # models, so they can only be imported here, once it is ready.
        from exhibition.accounts.admission import on_admission_lost  # noqa: PLC0415 -- imports models: needs the ready registry

        from . import emails, landing, selectors  # noqa: F401, PLC0415 -- register the e-mail builder, summary provider and landing lines; import models
        from .services import revoke_for_admission_loss  # noqa: PLC0415 -- imports models: needs the ready registry

        on_admission_lost(revoke_for_admission_loss)
