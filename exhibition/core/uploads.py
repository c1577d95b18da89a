"""Uploads: size limits enforced before the body is read, images re-encoded, documents checked
by their content, every file kept through Django's storage API.

Size. Each view may declare ``upload_limit`` (bytes, or a callable ``(request, **url_kwargs)``
giving them); others get ``settings.REQUEST_BODY_MAX_BYTES``. :class:`UploadLimitMiddleware`
answers 413 from the request's ``Content-Length`` alone, before a byte of the body is read (a
WSGI server hands Django no more than that length), and installs :class:`LimitedUploadHandler`,
which stops a file that grows past the limit while it streams in. Both run before the CSRF
check and before any view reads ``request.POST``.

Images. :func:`reencode_image` decodes the upload with Pillow and writes a new PNG, with a
name and extension the server chooses: whatever the uploader called the file, and whatever
else it carried (a script, metadata), what is stored is a plain image.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import FileUploadHandler, load_handler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

MB = 1024 * 1024
MULTIPART_SLACK = 64 * 1024  # boundaries, headers and the other fields of a form around the file
MAX_IMAGE_PIXELS = 40_000_000  # decoded size: a 2 MB file must not unpack into gigabytes
LOGO_MAX_SIDE = 1024


class UploadTooLarge(RequestDataTooBig):
    def __init__(self, limit: int):
        super().__init__(f"upload larger than {limit} bytes")
        self.limit = limit


def default_limit() -> int:
    return getattr(settings, "REQUEST_BODY_MAX_BYTES", 2_621_440)


def limit_for(view_func: Any, request: HttpRequest, view_kwargs: dict[str, Any]) -> int:
    """The body size the view accepts: its ``upload_limit`` (a number or a callable), else the default."""
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    limit = (
        getattr(view_class, "upload_limit", None) if view_class else getattr(view_func, "upload_limit", None)
    )
    if callable(limit):
        limit = limit(request, **view_kwargs)
    return int(limit) if limit else default_limit()


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each uploaded file as they arrive; past the limit the upload stops."""

    def __init__(self, request: HttpRequest | None = None, limit: int = 0):
        super().__init__(request)
        self.limit = limit or default_limit()
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge(self.limit)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The upload is larger than %(mb)s MB. Choose a smaller file.") % {"mb": _megabytes(limit)}
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": message, "code": "too_large"}, status=413)
    return HttpResponse(render_to_string("413.html", {"message": message}, request=request), status=413)


def _megabytes(limit: int) -> str:
    mb = limit / MB
    return f"{mb:.0f}" if mb >= 1 else f"{mb:.1f}"


class UploadLimitMiddleware:
    """Refuses a body larger than the view accepts before reading it, and parses form bodies
    here (under the limit) so that a file growing past it is a clear 413, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        limit = limit_for(view_func, request, view_kwargs)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit + MULTIPART_SLACK:
            return too_large_response(request, limit)
        request.upload_handlers = [LimitedUploadHandler(request, limit)] + [
            load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS
        ]
        is_api = hasattr(
            view_func, "cls"
        )  # a DRF view parses (with these handlers) when it reads request.data
        if not is_api and request.content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            try:
                request.POST  # noqa: B018 - parse now, under the limit, before the CSRF check does
            except UploadTooLarge as exc:
                return too_large_response(request, exc.limit)
            except RequestDataTooBig:
                return too_large_response(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            except MultiPartParserError:
                return HttpResponse(
                    _("The form data could not be read."),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
        return None


# --- images -------------------------------------------------------------------------------------


def reencode_image(
    upload: Any, *, field: str = "logo", max_side: int = LOGO_MAX_SIDE, name: str = "image.png"
) -> ContentFile:
    """A new PNG drawn from the pixels of ``upload`` (PNG, JPEG, GIF or WebP), at most
    ``max_side`` pixels wide and high, without the uploader's metadata, name or extension.
    Anything Pillow cannot decode is a DomainError on ``field``."""
    refuse = DomainError(_("Upload a PNG, JPEG, GIF or WebP image."), field=field)
    too_many_pixels = DomainError(
        _("The image is too large: at most %(n)s million pixels.") % {"n": MAX_IMAGE_PIXELS // 1_000_000},
        field=field,
    )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ("PNG", "JPEG", "GIF", "WEBP"):
                raise refuse
            width, height = probe.size
            if width * height > MAX_IMAGE_PIXELS:
                raise too_many_pixels
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            img.seek(0)  # the first frame of an animation
            img.load()
            picture = ImageOps.exif_transpose(img)
            has_alpha = picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info
            picture = picture.convert("RGBA" if has_alpha else "RGB")
    except DomainError:
        raise
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, MemoryError):
        raise refuse from None
    picture.thumbnail((max_side, max_side))
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=name)


# --- documents -------------------------------------------------------------------------------------

PDF_MAGIC = b"%PDF-"


def is_pdf(upload: Any, size: int) -> bool:
    """Starts like a PDF (``%PDF-`` in its first KB, as readers accept) and ends like one."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(size - 2048, 0))
    tail = upload.read(2048)
    upload.seek(0)
    return PDF_MAGIC in head and b"%%EOF" in tail
