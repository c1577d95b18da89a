"""What the apps above the floor plan keep on a door, so that removing it, renaming its code or
turning an entrance into a door to another hall never strands them silently: delegations start and
end their days at entrance codes. floorplans cannot import those apps (the layering contract:
tests/test_layers.py); each registers, in its ``AppConfig.ready``, a function that says in a few
words what uses the door ("2 delegation days start or end here"), or nothing.

``door_use(door) -> list[str]``: ``door`` is the stored door, before the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DoorUse = Callable[[Any], list[str]]

_door_uses: list[DoorUse] = []


def door_use(func: DoorUse) -> DoorUse:
    if func not in _door_uses:
        _door_uses.append(func)
    return func


def uses_of_door(door: Any) -> list[str]:
    return [words for provider in _door_uses for words in provider(door)]
