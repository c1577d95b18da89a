"""Look at a page as a browser lays it out, not as its template happens to be written."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s+")
_AROUND_ANGLE_BRACKETS = re.compile(r" ?([<>]) ?")


def squash(html: str) -> str:
    """``html`` without the whitespace that only lays out its source: every run of whitespace
    becomes one space, and none is left just inside or outside a tag's angle brackets.

    The templates are formatted (djlint): a row is written one cell a line, a long opening tag
    one attribute a line, a translated sentence on its own line inside its element. Compare
    ``squash(fragment) in squash(html)`` to find a fragment however it is laid out; what this
    drops is whitespace a browser shows as at most one space, and only next to a tag."""
    return _AROUND_ANGLE_BRACKETS.sub(r"\1", _WHITESPACE.sub(" ", html))
