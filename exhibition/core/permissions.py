"""The API's permission class: the same ``rules`` predicates as the pages, failing closed.

Kept apart from ``core.api`` so that DRF can import it from its settings without a cycle.
"""

from __future__ import annotations

from rest_framework import permissions


def declared_perm(view, method: str) -> str | None:
    """The permission a view declares for a method: ``permission_required`` is a string, or a
    mapping from HTTP method to permission (``HEAD`` and ``OPTIONS`` follow ``GET``)."""
    declared = getattr(view, "permission_required", None)
    if isinstance(declared, dict):
        if method in ("HEAD", "OPTIONS"):
            method = "GET"
        return declared.get(method)
    return declared or None


class RulesPermission(permissions.BasePermission):
    """Checks the view's declared permission with ``user.has_perm`` against
    ``view.get_permission_object()`` (the event for event-scoped views, the object itself
    where the view says so). A view or method that declares no permission is refused.

    ``object_permission_map`` (method -> permission) adds a check on the object a detail
    view fetched."""

    def has_permission(self, request, view) -> bool:
        perm = declared_perm(view, request.method)
        if perm is None:
            return False
        obj = view.get_permission_object() if hasattr(view, "get_permission_object") else None
        return request.user.has_perm(perm, obj)

    def has_object_permission(self, request, view, obj) -> bool:
        mapping = getattr(view, "object_permission_map", None) or {}
        perm = mapping.get("GET" if request.method in ("HEAD", "OPTIONS") else request.method)
        if perm is None:
            return True
        return request.user.has_perm(perm, obj)
