from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "exhibition.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from exhibition.accounts.admission import on_admission_lost

        from . import selectors  # noqa: F401 - registers the summary provider
        from .services.admission import withdraw_admission

        on_admission_lost(withdraw_admission)
