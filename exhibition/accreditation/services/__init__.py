"""Writes of accreditation. Pages, API, tasks, commands and the demo call these functions."""

from .badges import (
    add_staff_badge,
    cancel_staff_badge,
    check_printable,
    code_for,
    issue_for_member,
    issue_for_person,
    issue_for_request,
    issue_manual,
    issue_missing_badges,
    reconcile_badges,
    reissue_badge,
    revoke_badge,
    revoke_for_admission_loss,
    send_badge,
    set_leads_opt_out,
    set_photo,
)
from .checkin import redeem, revocation_list
from .devices import create_device, new_code, register_device, revoke_device, set_device_gate
from .gate_meetings import mark_no_shows
from .leads import capture_lead, delete_lead, update_lead
from .printing import badge_pdf, organisation_pdf, run_print_job, start_print_job
from .setup import (
    delete_setup_object,
    is_set_up,
    rotate_key,
    save_category,
    save_day,
    save_gate,
    save_rule,
    save_zone,
    set_up,
    settings_for,
    signing_key,
    withdraw_key,
)

__all__ = [
    "add_staff_badge", "badge_pdf", "cancel_staff_badge", "capture_lead", "check_printable", "code_for",
    "create_device", "delete_lead", "delete_setup_object", "is_set_up", "issue_for_member", "issue_for_person",
    "issue_for_request", "issue_manual", "issue_missing_badges", "mark_no_shows", "new_code", "organisation_pdf",
    "reconcile_badges", "redeem", "register_device", "reissue_badge", "revocation_list", "revoke_badge",
    "revoke_device", "revoke_for_admission_loss", "rotate_key", "run_print_job", "save_category", "save_day",
    "save_gate", "save_rule", "save_zone", "send_badge", "set_device_gate", "set_leads_opt_out", "set_photo",
    "set_up", "settings_for", "signing_key", "start_print_job", "update_lead", "withdraw_key",
]
