"""Badge photos: checked by their content (never by name or declared type) and re-encoded, so
that what is stored and printed is a plain JPEG that we wrote, with no metadata."""

from __future__ import annotations

import base64
import io
import warnings

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from exhibition.core.errors import DomainError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIZE = (240, 300)
SIZE = (600, 800)  # 3:4 portrait, as printed
THUMB = (120, 160)
FORMATS = {"JPEG", "PNG", "WEBP"}


def process_photo(data: bytes) -> tuple[bytes, str]:
    """``(JPEG bytes, thumbnail data: URI)``; raises DomainError(field="photo") for anything that
    is not a usable photo."""
    if not data:
        raise DomainError(_("Choose a photo."), field="photo")
    if len(data) > MAX_BYTES:
        raise DomainError(_("The photo is too large (8 MB at most)."), field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in FORMATS:
                raise DomainError(_("Upload a JPEG, PNG or WebP photo."), field="photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(_("The photo has too many pixels."), field="photo")
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise DomainError(_("This file is not a photo we can read."), field="photo") from None
    image = ImageOps.exif_transpose(image)
    if image.width < MIN_SIZE[0] or image.height < MIN_SIZE[1]:
        raise DomainError(
            _("The photo is too small: at least %(w)s × %(h)s pixels.")
            % {"w": MIN_SIZE[0], "h": MIN_SIZE[1]},
            field="photo",
        )
    image = image.convert("RGB")
    fitted = ImageOps.fit(image, SIZE, method=Image.Resampling.LANCZOS, centering=(0.5, 0.35))
    out = io.BytesIO()
    fitted.save(out, "JPEG", quality=85, optimize=True)
    thumb = ImageOps.fit(fitted, THUMB, method=Image.Resampling.LANCZOS)
    tout = io.BytesIO()
    thumb.save(tout, "JPEG", quality=70)
    return out.getvalue(), "data:image/jpeg;base64," + base64.b64encode(tout.getvalue()).decode()
