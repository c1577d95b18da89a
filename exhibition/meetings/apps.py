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

        from exhibition.delegations.signals import programme_published

        from .services import sync_delegation_visits

        programme_published.connect(
            lambda sender, event, delegation_organisation, **kw: sync_delegation_visits(
                event=event, delegation_organisation=delegation_organisation
            ),
            weak=False,
            dispatch_uid="meetings.programme_published",
        )
