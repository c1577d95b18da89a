from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    """Stand sales: holds, confirmations, organiser allocation, quotes, invoices and payments.

    Split from ``exhibitors`` (applications, screening, profiles, staff, directory) because
    selling scarce stands has its own locking rules and its own accounting records.
    """

    name = "exhibition.booking"
    label = "booking"
    verbose_name = _("Stand booking")

    def ready(self) -> None:
        from . import landing, selectors, tasks  # noqa: F401 - register the summary provider, landing lines, tasks
