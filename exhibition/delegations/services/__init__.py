"""Writes for delegations (one module per topic; everything is re-exported here)."""

from .candidates import (  # noqa: F401
    add_candidate,
    add_exclusion,
    propose_candidates,
    remove_exclusion,
    update_candidate,
)
from .delegations import (  # noqa: F401
    add_interest,
    add_member,
    invite_head,
    readmit_delegation,
    register_delegation,
    remove_day,
    remove_interest,
    remove_member,
    set_day,
    update_delegation,
    update_member,
    withdraw_delegation,
)
from .hosting import (  # noqa: F401
    add_hosting_window,
    add_wish,
    answer_request,
    remove_hosting_window,
    remove_wish,
    request_visit,
    set_capacity,
)
from .problem import BuiltProblem, build_problem  # noqa: F401
from .programme import (  # noqa: F401
    RunStillBeating,
    add_visit,
    cancel_planning,
    check_placement,
    current_plan,
    duration_for,
    execute_planning,
    move_visit,
    pin_visit,
    publish_all,
    publish_programme,
    remove_visit,
    running_late,
    start_planning,
    sweep_planning_runs,
    write_back,
)
