from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccreditationConfig(AppConfig):
    name = "exhibition.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation")

    def ready(self) -> None:
        from exhibition.accounts.admission import on_admission_lost

        from . import emails, landing, selectors  # noqa: F401 - e-mail builder, summary provider, landing lines
        from .services import revoke_for_admission_loss

        on_admission_lost(revoke_for_admission_loss)
