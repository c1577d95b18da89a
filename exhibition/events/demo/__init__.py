"""The Milipol-sized demo show, built deterministically (seeded random generator).

Small demo objects (events, demo logins) go through the services; the thousands of
companies, delegations and visitors are bulk-inserted in the same shape the services
produce, so that the seed stays well under a minute on SQLite. Later domains extend
the show through ``DEMO_EXTENSIONS`` (stands, meetings, ...).

Two modules: ``show`` (the build) and ``words`` (the names, sectors, countries and words it
draws from)."""

from .show import (
    DAYS_AHEAD,
    DEMO_EXTENSION_APPS,
    DEMO_LOGINS,
    DEMO_NAME,
    DEMO_PASSWORD,
    DEMO_SLUG,
    OTHER_SLUG,
    DemoShow,
    build_demo,
    reset_demo,
    show_dates,
)
from .words import (
    AGENCIES,
    DELEGATION_COUNTRIES,
    EXHIBITOR_COUNTRIES,
    FIRST,
    JOBS,
    LAST,
    RANKS,
    SECTORS,
    SUFFIXES,
    WORDS_A,
    WORDS_B,
)

__all__ = [
    "AGENCIES",
    "DAYS_AHEAD",
    "DELEGATION_COUNTRIES",
    "DEMO_EXTENSION_APPS",
    "DEMO_LOGINS",
    "DEMO_NAME",
    "DEMO_PASSWORD",
    "DEMO_SLUG",
    "EXHIBITOR_COUNTRIES",
    "FIRST",
    "JOBS",
    "LAST",
    "OTHER_SLUG",
    "RANKS",
    "SECTORS",
    "SUFFIXES",
    "WORDS_A",
    "WORDS_B",
    "DemoShow",
    "build_demo",
    "reset_demo",
    "show_dates",
]
