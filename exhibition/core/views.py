"""View mixins shared by the domain apps: the one permission gate for pages, and the one way a
page turns a service's DomainError into what the user sees (``DomainFormMixin``, ``DomainActionMixin``)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views import View
from drf_spectacular.views import SpectacularSwaggerSplitView

from .errors import DomainError, NotAllowed
from .permissions import declared_perm, hides_refusal


class PermissionMixin:
    """Check ``permission_required`` (a permission, or a mapping from HTTP method to one)
    against ``get_permission_object()`` (the event by default) before the view runs.

    A view (or a method of it) that declares no permission is refused: the gate fails closed.
    Anonymous users are sent to sign in; signed-in users without the permission get 403, or
    404 where ``hide_denied`` says that even the object's existence must not leak.
    """

    permission_required: str | dict[str, str] = ""
    hide_denied: bool | str = False  # see core.permissions.hides_refusal
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
            if hides_refusal(self, request.user, self.get_permission_object()):
                raise Http404
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def add_domain_error(form: BaseForm, error: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's DomainError on the form: on its field if the form has it (``aliases`` maps
    the service's name of a field to the form's, where they differ), else above the form."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


# --- the one way a page shows a DomainError -------------------------------------------------------
#
# Services are atomic: when one raises a DomainError nothing was written, and the page only has to
# say why. Page views never write ``except DomainError`` themselves (tests/core/test_form_mixins.py
# holds them to it): a form goes through ``submit()``, a button through ``act()``.

RenderForm = Callable[[BaseForm, int], HttpResponseBase]


class _DomainErrorMixin:
    request: Any
    # True where the page answers a NotAllowed from the service with the 403 page rather than
    # showing its message (the service, not the view's permission, knew the actor may not).
    deny_not_allowed = False

    def _deny(self, exc: DomainError) -> None:
        if self.deny_not_allowed and isinstance(exc, NotAllowed):
            raise PermissionDenied from None


class DomainFormMixin(_DomainErrorMixin):
    """A form whose POST runs one service.

    ``submit(form)``: an invalid form is re-rendered with 400; a valid one goes to ``perform(form)``,
    which calls the service and returns the response (anything else, None or the service's result,
    means ``success()``: the ``success_message`` and a redirect to ``get_success_url()``, this page
    by default). A DomainError lands on the form (on its field when the form has one, else above
    it) and the form is re-rendered with the error's status (400, 403, 409, 429); the service being
    atomic, nothing was written. A page with several forms passes its own ``perform`` and
    ``render(form, status)`` to ``submit`` for the form that was posted.
    """

    form_class: type[BaseForm] | None = None
    template_name = ""
    success_message = ""
    # The service's name of a field -> the form's, where they differ.
    field_aliases: Mapping[str, str] = {}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: Any = None, files: Any = None) -> BaseForm:
        assert self.form_class is not None, f"{type(self).__name__} sets form_class or overrides get_form"
        return self.form_class(data, files, **self.get_form_kwargs())

    def render_form(self, form: BaseForm, status: int = 200) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form}, status=status)

    def perform(self, form: BaseForm) -> object:
        """Call the service with ``form.cleaned_data``; a response, or anything else for ``success()``."""
        raise NotImplementedError

    def get_success_url(self) -> str:
        return self.request.path

    def success(self) -> HttpResponseBase:
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def submit(
        self,
        form: BaseForm,
        perform: Callable[[BaseForm], object] | None = None,
        render: RenderForm | None = None,
    ) -> HttpResponseBase:
        show = render or self.render_form
        if not form.is_valid():
            return show(form, 400)
        try:
            response = (perform or self.perform)(form)
        except DomainError as exc:
            self._deny(exc)
            add_domain_error(form, exc, self.field_aliases)
            return show(form, exc.status_code)
        return response if isinstance(response, HttpResponseBase) else self.success()


class DomainFormView(DomainFormMixin, View):
    """A page of one form: GET shows it, POST is ``submit()``. Put ``PermissionMixin`` first."""

    def get(self, request, *args, **kwargs) -> HttpResponseBase:
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs) -> HttpResponseBase:
        return self.submit(self.get_form(request.POST, request.FILES))


class DomainActionMixin(_DomainErrorMixin):
    """A button whose POST runs one service: ``act(perform, back=..., failed=...)``.

    ``perform()`` calls the service, adds its success message and returns a response, or anything
    else (None, the service's result) to go ``back``. A DomainError is shown as an error message
    and the user goes ``back`` (the same place); a page that re-renders instead, or answers JSON,
    passes ``failed(exc) -> response``.
    """

    def act(
        self,
        perform: Callable[[], object],
        *,
        back: HttpResponseBase | None = None,
        failed: Callable[[DomainError], HttpResponseBase] | None = None,
    ) -> HttpResponseBase:
        try:
            response = perform()
        except DomainError as exc:
            self._deny(exc)
            if failed is not None:
                return failed(exc)
            messages.error(self.request, exc.message)
            response = None
        if isinstance(response, HttpResponseBase):
            return response
        assert back is not None, "act() needs back= when perform() may return no response"
        return back


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
    view = SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")
    return csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(view)
