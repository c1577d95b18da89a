"""Writes for stand booking. Every change of a stand's status goes through here.

Locking ("lock once, lock late", as pretix does it): a service reads and validates what it
can outside the transaction, then opens a short transaction, locks the contended stand
rows with ``SELECT ... FOR UPDATE`` in one fixed order (primary key), re-checks the state
it read, writes, and queues its e-mails for after the commit. Invoice numbers come from
one counter row per event, locked and incremented in the invoice's own transaction, so a
rolled-back invoice gives its number back: numbers are gap-free and never reused.

Lock order, everywhere: stands (by pk) -> bookings -> invoice counter -> invoice.
The partial unique constraint ``booking_one_active_per_stand`` is the database's last
guard: with the locks it never fires; without them a lost race becomes an error instead
of a stand sold twice.

One module per concept (holds, allocation, billing, and what they share); import them from
here."""

from .allocation import assign_stand, move_booking, swap_stands, vacate_stand
from .billing import (
    issue_invoice,
    issue_invoices_in_bulk,
    record_payment,
    remind_invoice,
    remind_overdue_invoices,
    update_booking_settings,
)
from .common import booking_settings, lock_stands, taken_message
from .holds import confirm_booking, hold_stand, release_booking, release_expired_holds

__all__ = [
    "assign_stand",
    "booking_settings",
    "confirm_booking",
    "hold_stand",
    "issue_invoice",
    "issue_invoices_in_bulk",
    "lock_stands",
    "move_booking",
    "record_payment",
    "release_booking",
    "release_expired_holds",
    "remind_invoice",
    "remind_overdue_invoices",
    "swap_stands",
    "taken_message",
    "update_booking_settings",
    "vacate_stand",
]
