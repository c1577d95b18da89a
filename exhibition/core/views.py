"""View mixins shared by the domain apps: the one permission gate for pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404

from .errors import DomainError
from .permissions import declared_perm


class PermissionMixin:
    """Check ``permission_required`` (a permission, or a mapping from HTTP method to one)
    against ``get_permission_object()`` (the event by default) before the view runs.

    A view (or a method of it) that declares no permission is refused: the gate fails closed.
    Anonymous users are sent to sign in; signed-in users without the permission get 403, or
    404 where ``hide_denied`` says that even the object's existence must not leak.
    """

    permission_required: str | dict[str, str] = ""
    hide_denied = False
    # False for public pages: an anonymous visitor denied gets the same answer as anyone else.
    offer_sign_in = True

    def get_permission_object(self) -> Any:
        return getattr(self.request, "event", None)

    def dispatch(self, request, *args, **kwargs):
        perm = declared_perm(self, request.method)
        if not perm:
            raise PermissionDenied
        if not request.user.has_perm(perm, self.get_permission_object()):
            if not request.user.is_authenticated and self.offer_sign_in:
                return redirect_to_login(request.get_full_path())
            if self.hide_denied:
                raise Http404
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def add_domain_error(form: Form, error: DomainError) -> None:
    """Show a service's DomainError on the form: on its field if the form has it."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# --- user files and the API docs -------------------------------------------------------------------

INLINE_TYPES = {
    ".png": "image/png",
    ".webp": "image/webp",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}


def serve_media(request, path: str):
    """User files of the default storage, for the embedded demo (production serves MEDIA_URL from its
    own host: see README). Read through the storage API; only images are shown inline, anything else
    is a download; nosniff and a sandboxing policy either way, so no upload ever runs as a page."""
    import posixpath

    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    name = posixpath.normpath(path).lstrip("/")
    if name.startswith("..") or not name or not default_storage.exists(name):
        raise Http404
    ext = posixpath.splitext(name)[1].lower()
    content_type = INLINE_TYPES.get(ext, "application/octet-stream")
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=ext not in INLINE_TYPES,
        filename=posixpath.basename(name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-site"
    return response


def api_docs_view():
    """Swagger UI: its code from our static files (the init script too: the split view); the one
    page whose policy allows inline styles (Swagger UI sets them) and data: images (its icons)."""
    from csp.decorators import csp_update
    from drf_spectacular.views import SpectacularSwaggerSplitView

    view = SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")
    return csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(view)
