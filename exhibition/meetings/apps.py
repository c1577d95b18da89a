from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from exhibition.delegations.signals import programme_published


class MeetingsConfig(AppConfig):
    name = "exhibition.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # apps.py is imported while the app registry is being filled; these modules define or import
        # models, so they can only be imported here, once it is ready.
        from exhibition.accounts.admission import on_admission_lost  # noqa: PLC0415 -- imports models: needs the ready registry
        from exhibition.delegations.selectors import appointments_provider  # noqa: PLC0415 -- imports models: needs the ready registry

        from . import landing, selectors, uses  # noqa: F401, PLC0415 -- register the summary provider and landing lines; import models
        from .selectors.agenda import delegation_appointments  # noqa: PLC0415 -- imports models: needs the ready registry
        from .services import sync_delegation_visits  # noqa: PLC0415 -- imports models: needs the ready registry
        from .services.admission import withdraw_admission  # noqa: PLC0415 -- imports models: needs the ready registry

        on_admission_lost(withdraw_admission)
        appointments_provider(delegation_appointments)  # the delegation's programme shows its meetings
        programme_published.connect(
            lambda sender, event, delegation_organisation, **kw: sync_delegation_visits(
                event=event, delegation_organisation=delegation_organisation
            ),
            weak=False,
            dispatch_uid="meetings.programme_published",
        )
