"""The to-do list of a participant's landing page: what a visitor or an exhibiting company has
to do next at the event, with counts and where to do it.

``events`` cannot import the domains above it (meetings, booking, ...): each registers the
lines it knows about with ``landing_todo`` (a hook, as for the organiser's summary figures).
A provider is called with the event, the user and, for a company's page, the organisation;
it returns its lines, or none when it has nothing to say to this person."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import Event


@dataclass(frozen=True)
class Todo:
    """One line: ``label`` says what (with its count), ``url`` where to act, ``detail`` more in
    a few words. ``state``: "todo" (something to do), "wait" (waiting for someone else), "info"
    (good to know) or "done" (shown ticked, at the end)."""

    key: str
    order: int
    label: str
    url: str = ""
    count: int | None = None
    detail: str = ""
    state: str = "todo"

    @property
    def done(self) -> bool:
        return self.state == "done"


LandingProvider = Callable[[Event, Any, Any], list[Todo]]
_providers: list[LandingProvider] = []


def landing_todo(func: LandingProvider) -> LandingProvider:
    """Register a provider of landing-page lines: ``func(event, user, organisation)``; the
    organisation is None on a visitor's page."""
    _providers.append(func)
    return func


STATE_ORDER = {"todo": 0, "wait": 1, "info": 2, "done": 3}


def landing_todos(event: Event, user: Any, organisation: Any = None) -> list[Todo]:
    """The lines for this person (and company), what to do first, what is done last."""
    todos = [t for provider in _providers for t in provider(event, user, organisation)]
    return sorted(todos, key=lambda t: (STATE_ORDER.get(t.state, 2), t.order, t.key))
