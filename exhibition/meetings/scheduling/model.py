"""Plain data of the B2B meeting scheduler: a problem in, a schedule out.

These dataclasses mirror `exhibition.meetings/v1` (see ``shared/formats/meetings-v1.md``);
`io.read_problem` builds them from JSON and checks them, the Django service builds
them from the database. Nothing here imports Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TypedDict


class ProblemError(ValueError):
    """The problem is malformed (or its pinned meetings cannot all be placed)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Participant:
    id: str
    kind: str = ""
    unavailable: frozenset[str] = frozenset()
    max_meetings: int | None = None
    max_breaks: int | None = None


@dataclass(frozen=True)
class Location:
    id: str
    unavailable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, ...]
    priority: int = 1
    slots: frozenset[str] | None = None  # the only slots it may take, None for any
    fixed_slot: str | None = None
    location: str | None = None

    @property
    def pinned(self) -> bool:
        return self.fixed_slot is not None or self.location is not None


@dataclass(frozen=True)
class Problem:
    """A checked problem. `slots` are in time order; `day_of`/`pos_of` give each slot's
    calendar day (0-based, in the slot's own offset) and its position within that day."""

    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    locations: tuple[Location, ...] = ()
    name: str = ""

    @cached_property
    def slot_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def days(self) -> tuple[tuple[int, ...], ...]:
        """Slot indices per calendar day, in time order."""
        out: list[list[int]] = []
        prev = None
        for i, s in enumerate(self.slots):
            if prev is None or s.start.date() != prev.start.date():
                out.append([])
            out[-1].append(i)
            prev = s
        return tuple(tuple(d) for d in out)

    @cached_property
    def day_of(self) -> tuple[int, ...]:
        day = [0] * len(self.slots)
        for d, idx in enumerate(self.days):
            for i in idx:
                day[i] = d
        return tuple(day)

    @cached_property
    def participant_by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def meeting_by_id(self) -> dict[str, Meeting]:
        return {m.id: m for m in self.meetings}

    @cached_property
    def location_by_id(self) -> dict[str, Location]:
        return {loc.id: loc for loc in self.locations}


@dataclass(frozen=True)
class Assignment:
    meeting: str
    slot: str
    location: str | None = None


class RunInfo(TypedDict, total=False):
    """What the solver reports about a run (`Schedule.info`)."""

    method: str
    elapsed: float  # seconds
    stopped: bool  # stopped early: the best schedule found so far
    seed: int
    bound: int | None  # proved upper bound on the priority sum, if any
    best_at: float  # seconds until the best schedule was found
    moved: int  # a re-run: meetings of the initial schedule in another slot
    dropped: int  # ... and no longer scheduled


@dataclass
class Schedule:
    """Where each scheduled meeting takes place; every other meeting is unscheduled.

    `info` carries what the solver reports about the run (method, elapsed seconds,
    whether it was stopped early); it is not part of the v1 output."""

    assignments: list[Assignment]
    unscheduled: list[str]
    info: RunInfo = field(default_factory=lambda: RunInfo())


@dataclass(frozen=True)
class Evaluation:
    scheduled: int
    total: int
    priority_sum: int
    priority_total: int
    breaks: int
    breaks_by_participant: dict[str, int]
    errors: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.errors
