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
        # ready() runs once the app registry is loaded: these modules import models, so they cannot be
        # imported while the app is being set up; importing them registers the summary and to-do providers,
        # the landing lines, the stand panel's part and the Celery tasks.
        from . import landing, panel, selectors, tasks  # noqa: F401, PLC0415 -- models are not loaded before ready()
