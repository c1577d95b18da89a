"""Writes of the meetings domain. Every write of pages, API, tasks, commands and the demo
goes through these functions."""

from .booking import LOST_RACE, all_slots, book, check_slot, day_slots, lock_resources, pick_host
from .participants import (
    SETTINGS_FIELDS,
    add_host,
    block_place,
    create_place,
    delete_place,
    ensure_participant,
    meeting_settings,
    remove_host,
    set_availability,
    set_caps,
    stand_place,
    unblock_place,
    upcoming_meetings_of_host,
    update_place,
    update_profile,
    update_settings,
)
from .requests import (
    accept_request,
    block_time,
    book_instantly,
    cancel_meeting,
    contact_emails,
    decline_request,
    expire_requests,
    may_book,
    pending_between,
    propose_other_time,
    record_outcome,
    request_meeting,
    reschedule_meeting,
    send_meeting_reminders,
    sync_delegation_visits,
    unblock_time,
    withdraw_request,
)
from .rounds import (
    build_problem,
    cancel_scheduling,
    create_round,
    pin_draft_meeting,
    publish_round,
    run_scheduler,
    start_scheduling,
    stop_scheduling,
)

__all__ = [
    "LOST_RACE", "SETTINGS_FIELDS", "accept_request", "add_host", "all_slots", "block_place", "block_time",
    "book", "book_instantly", "build_problem", "cancel_meeting", "cancel_scheduling", "check_slot",
    "contact_emails", "create_place", "create_round", "day_slots", "decline_request", "delete_place",
    "ensure_participant", "expire_requests", "lock_resources", "may_book", "meeting_settings", "pending_between", "pick_host",
    "pin_draft_meeting", "propose_other_time", "publish_round", "record_outcome", "remove_host", "request_meeting",
    "reschedule_meeting", "run_scheduler", "send_meeting_reminders", "set_availability", "set_caps",
    "stand_place", "start_scheduling", "stop_scheduling", "sync_delegation_visits", "unblock_place", "unblock_time",
    "upcoming_meetings_of_host", "update_place", "update_profile", "update_settings", "withdraw_request",
]
