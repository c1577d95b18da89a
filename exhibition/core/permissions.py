"""The API's permission class: the same ``rules`` predicates as the pages, failing closed.

Kept apart from ``core.api`` so that DRF can import it from its settings without a cycle.
"""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.exceptions import NotFound


def declared_perm(view, method: str) -> str | None:
    """The permission a view declares for a method: ``permission_required`` is a string, or a
    mapping from HTTP method to permission (``HEAD`` and ``OPTIONS`` follow ``GET``)."""
    declared = getattr(view, "permission_required", None)
    if isinstance(declared, dict):
        if method in ("HEAD", "OPTIONS"):
            method = "GET"
        return declared.get(method)
    return declared or None


def hides_refusal(view, user, obj) -> bool:
    """Whether a refusal answers 404 rather than 403 (``hide_denied``, pages and API alike): True
    hides every refusal; a permission's name hides it from those who lack that one too, who
    may not know the object exists (others, who may see it, are told they may not change it)."""
    hide = getattr(view, "hide_denied", False)
    if isinstance(hide, str):
        return not user.has_perm(hide, obj)
    return bool(hide)


class RulesPermission(permissions.BasePermission):
    """Checks the view's declared permission (``permission_required``: one, or one per HTTP
    method) with ``user.has_perm`` against ``view.get_permission_object()``: the event for
    event-scoped views, the object itself where the view fetches one. A view or method that
    declares no permission is refused; ``hide_denied`` answers a refusal with 404."""

    def has_permission(self, request, view) -> bool:
        perm = declared_perm(view, request.method)
        if perm is None:
            return False
        obj = view.get_permission_object() if hasattr(view, "get_permission_object") else None
        if request.user.has_perm(perm, obj):
            return True
        if request.user.is_authenticated and hides_refusal(view, request.user, obj):
            raise NotFound
        return False
