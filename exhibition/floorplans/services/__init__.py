"""Writes to the floor plan. Every geometry change locks its hall row (one editor at a time
per hall), checks the placement against the hall's stands and features, writes, and records
the audit log. One module per concept; import them from here."""

from ..pricing import price_for
from ..shapes import g_feature, g_hall, g_stand
from .common import (
    GRID,
    MAX_METRES,
    bump_plan_version,
    plan_settings,
    stands_touching,
    walking_settings_changed,
)
from .doors import create_door, delete_door, update_door
from .features import create_feature, delete_feature, update_feature
from .pavilions import create_pavilion, delete_pavilion, update_pavilion
from .settings import PlanSettingsSaved, update_plan_settings
from .stand_csv import (
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    ImportFailed,
    ImportReport,
    export_stands_csv,
    import_stands_csv,
)
from .stands import (
    EDITABLE,
    GEOMETRY,
    create_stand,
    delete_stand,
    merge_stands,
    reprice_event,
    split_stand,
    update_stand,
)

__all__ = [
    "CSV_COLUMNS",
    "EDITABLE",
    "GEOMETRY",
    "GRID",
    "MAX_METRES",
    "REQUIRED_COLUMNS",
    "ImportFailed",
    "ImportReport",
    "PlanSettingsSaved",
    "bump_plan_version",
    "create_door",
    "create_feature",
    "create_pavilion",
    "create_stand",
    "delete_door",
    "delete_feature",
    "delete_pavilion",
    "delete_stand",
    "export_stands_csv",
    "g_feature",
    "g_hall",
    "g_stand",
    "import_stands_csv",
    "merge_stands",
    "plan_settings",
    "price_for",
    "reprice_event",
    "split_stand",
    "stands_touching",
    "update_door",
    "update_feature",
    "update_pavilion",
    "update_plan_settings",
    "update_stand",
    "walking_settings_changed",
]
