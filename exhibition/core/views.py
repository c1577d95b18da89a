"""View mixins shared by the domain apps: the one permission gate for pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms import Form

from .errors import DomainError


class PermissionMixin:
    """Check ``permission_required`` against ``get_permission_object()`` (the event by default).

    Anonymous users are sent to sign in; signed-in users without the permission get 403.
    """

    permission_required: str = ""

    def get_permission_object(self) -> Any:
        return getattr(self.request, "event", None)

    def dispatch(self, request, *args, **kwargs):
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.get_permission_object()
        ):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def add_domain_error(form: Form, error: DomainError) -> None:
    """Show a service's DomainError on the form: on its field if the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
