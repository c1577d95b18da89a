from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "exhibition.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from exhibition.accounts.admission import on_admission_lost

        from . import landing, selectors  # noqa: F401 - register the summary provider and landing lines
        from .services.admission import withdraw_admission

        on_admission_lost(withdraw_admission)
