"""What events tells the apps above it, without importing them (the layering contract:
tests/test_layers.py): they connect their receivers in their ``AppConfig.ready``."""

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from .selectors import dashboard_changed

# An event's walking speed changed: walking times derived from it no longer hold. Sent with ``event``.
walking_settings_changed = Signal()

# A hall was added, resized, moved on the site or removed: the plan and the walking times derived
# from it no longer hold. Sent with ``event``.
halls_changed = Signal()


# --- the organiser's dashboard: any write of the show's rows makes its cached figures old ----------------

# Rows written by the thousand that no dashboard figure counts: they must not empty its cache.
_NOT_COUNTED = {
    "accreditation.scan",
    "accreditation.presence",
    "core.auditlogentry",
    "core.outboxmessage",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "core.idempotencykey",
    "webhooks.delivery",
}


def _dashboard_write(sender, **kwargs) -> None:
    if sender._meta.label_lower in _NOT_COUNTED:
        return
    # Once per transaction, after it commits (a reader in between would keep the old figures).
    if any(entry[1] is dashboard_changed for entry in connection.run_on_commit):
        return
    transaction.on_commit(dashboard_changed)


def connect_dashboard() -> None:
    post_save.connect(_dashboard_write, dispatch_uid="events.dashboard.save")
    post_delete.connect(_dashboard_write, dispatch_uid="events.dashboard.delete")
    m2m_changed.connect(_dashboard_write, dispatch_uid="events.dashboard.m2m")
