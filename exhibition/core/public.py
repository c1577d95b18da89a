"""Views that are public on purpose: no permission to declare, anyone may call them.

The permission gate refuses any view that declares no permission, unless the view is marked
here. Two ways, both explicit and greppable:

* decorate the view function (or ``View.as_view()`` result) with :func:`public`;
* the URL names in :data:`PUBLIC_URL_NAMES` are public whatever view serves them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

#: URL names served to anyone: load-balancer probes and the metrics scrape (the latter guarded
#: by METRICS_TOKEN when set, see exhibition/core/health.py).
PUBLIC_URL_NAMES: frozenset[str] = frozenset({"healthz", "readyz", "metrics"})


def public(view: F) -> F:
    """Mark a view as public on purpose (``view.is_public``)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def is_public(view: Callable | None, url_name: str | None = None) -> bool:
    return bool(getattr(view, "is_public", False)) or (url_name in PUBLIC_URL_NAMES)
