"""Uploads: logos are re-encoded images with a name the server chooses, documents are checked by
content, sizes are refused before the body is read, and user files are never served as pages.
The suite keeps files in Django's InMemoryStorage (tests/settings.py): every path here goes
through the storage API, as S3 would in production."""

from __future__ import annotations

import importlib
import io
import struct
import zlib

import pytest
from django.apps import apps
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from PIL import Image

from exhibition.accounts.services import create_api_token
from exhibition.core import uploads
from exhibition.exhibitors.models import (
    ApplicationDocument,
    ExhibitorProfile,
    ExhibitorSettings,
    RestrictedParty,
)
from tests.factories.exhibitors import make_application, make_exhibitor, make_party, pdf_file

pytestmark = pytest.mark.django_db


def png_bytes(size=(8, 8), colour="red", fmt="PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, fmt)
    return buf.getvalue()


SCRIPT = (
    b"<html><body><script>fetch('/api/v1/me/').then(r=>r.text()).then(t=>alert(t))</script></body></html>"
)


def profile_url(event, org):
    return reverse("exhibitors:portal_profile", kwargs={"event_slug": event.slug, "org": org.pk})


def post_logo(client, event, company, upload):
    return client.post(
        profile_url(event, company),
        {"form": "profile", "description_en": "", "description_fr": "", "website": "", "logo": upload},
    )


# --- logos -----------------------------------------------------------------------------------------


def test_a_png_carrying_a_script_named_html_is_stored_as_a_plain_png(client, event, company, company_admin):
    client.force_login(company_admin)

    response = post_logo(
        client, event, company, SimpleUploadedFile("logo.html", png_bytes() + SCRIPT, "text/html")
    )

    assert response.status_code == 302
    name = ExhibitorProfile.objects.get(organisation=company).logo.name
    assert name.startswith(f"exhibitors/logos/{event.pk}/") and name.endswith(".png")
    stored = default_storage.open(name).read()
    assert b"<script>" not in stored and b"html" not in stored.lower()
    with Image.open(io.BytesIO(stored)) as img:
        assert (img.format, img.size, img.getpixel((0, 0))) == ("PNG", (8, 8), (255, 0, 0))


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "WEBP"])
def test_other_image_formats_become_png(client, event, company, company_admin, fmt):
    client.force_login(company_admin)

    post_logo(client, event, company, SimpleUploadedFile(f"logo.{fmt.lower()}", png_bytes(fmt=fmt)))

    name = ExhibitorProfile.objects.get(organisation=company).logo.name
    assert name.endswith(".png")
    assert Image.open(default_storage.open(name)).format == "PNG"


def test_a_large_logo_is_scaled_down_and_loses_its_metadata(client, event, company, company_admin):
    buf = io.BytesIO()
    img = Image.new("RGB", (3000, 1500), "blue")
    exif = img.getexif()
    exif[0x010E] = "secret camera note"  # ImageDescription
    img.save(buf, "JPEG", exif=exif)
    client.force_login(company_admin)

    post_logo(client, event, company, SimpleUploadedFile("photo.jpg", buf.getvalue()))

    stored = default_storage.open(ExhibitorProfile.objects.get(organisation=company).logo.name).read()
    assert Image.open(io.BytesIO(stored)).size == (1024, 512)
    assert b"secret camera note" not in stored


@pytest.mark.parametrize("content", [SCRIPT, b"", b"GIF89a" + b"\x00" * 20, png_bytes()[:40]])
def test_what_is_not_an_image_is_a_field_error_and_nothing_is_stored(
    client, event, company, company_admin, content
):
    client.force_login(company_admin)

    response = post_logo(client, event, company, SimpleUploadedFile("logo.png", content, "image/png"))

    assert response.status_code == 400
    assert (
        "Upload a PNG, JPEG, GIF or WebP image." in response.content.decode()
        or "empty" in response.content.decode()
    )
    assert not ExhibitorProfile.objects.filter(organisation=company).exclude(logo="").exists()


def decompression_bomb(width=30_000, height=30_000) -> bytes:
    """A tiny valid PNG header announcing a huge picture."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [8_000, 30_000])  # 64 and 900 million pixels
def test_an_image_announcing_too_many_pixels_is_refused_before_decoding(
    client, event, company, company_admin, side
):
    client.force_login(company_admin)

    response = post_logo(
        client, event, company, SimpleUploadedFile("bomb.png", decompression_bomb(side, side))
    )

    assert response.status_code == 400
    assert "The image is too large: at most 40 million pixels." in response.content.decode()


def test_replacing_a_logo_deletes_the_old_file(
    client, event, company, company_admin, django_capture_on_commit_callbacks
):
    client.force_login(company_admin)
    post_logo(client, event, company, SimpleUploadedFile("a.png", png_bytes()))
    first = ExhibitorProfile.objects.get(organisation=company).logo.name

    with django_capture_on_commit_callbacks(execute=True):
        post_logo(client, event, company, SimpleUploadedFile("b.png", png_bytes(colour="green")))

    assert not default_storage.exists(first)
    assert default_storage.exists(ExhibitorProfile.objects.get(organisation=company).logo.name)


# --- serving user files ------------------------------------------------------------------------------


def test_media_serves_images_inline_and_nothing_else_as_a_page(client):
    default_storage.save("exhibitors/logos/1/old.html", io.BytesIO(png_bytes() + SCRIPT))
    image_name = default_storage.save("exhibitors/logos/1/new.png", io.BytesIO(png_bytes()))

    legacy = client.get("/media/exhibitors/logos/1/old.html")
    image = client.get(f"/media/{image_name}")

    assert legacy["Content-Type"] == "application/octet-stream"
    assert legacy["Content-Disposition"].startswith("attachment;")
    assert (image["Content-Type"], image.get("Content-Disposition", "inline").split(";")[0]) == (
        "image/png",
        "inline",
    )
    for response in (legacy, image):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.get("/media/../settings.py").status_code == 404


def test_application_documents_are_checked_by_content_and_served_as_attachments(
    client, event, company, company_admin
):
    app = make_application(event, company)
    client.force_login(company_admin)
    step = reverse(
        "exhibitors:application_step", kwargs={"event_slug": event.slug, "pk": app.pk, "step": "documents"}
    )

    fake = client.post(
        step, {"kind": "other", "file": SimpleUploadedFile("cv.pdf", SCRIPT, "application/pdf")}
    )
    real = client.post(step, {"kind": "other", "file": pdf_file("<script>.pdf")})

    assert fake.status_code == 400 and "Upload a PDF document." in fake.content.decode()
    doc = ApplicationDocument.objects.get()
    assert real.status_code == 302 and doc.file.name.endswith(".pdf") and "script" not in doc.file.name
    assert storages["private"].exists(doc.file.name) and not default_storage.exists(doc.file.name)
    download = client.get(reverse("exhibitors:document", kwargs={"event_slug": event.slug, "pk": doc.pk}))
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


# --- sizes: refused before the body is read --------------------------------------------------------------


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes that counts what the server reads of it."""

    def __init__(self, size: int):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b"a" * n
        self.read_bytes += n
        return n


def call_wsgi(path: str, body: CountingBody, *, content_type: str, headers: dict | None = None):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(body.size),
        **(headers or {}),
    }
    seen = {}
    request_started.disconnect(close_old_connections)  # keep the test's database connection
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, hdrs: seen.update(status=status, headers=dict(hdrs)))
        content = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(seen["status"].split()[0]), content


def test_a_50_mb_screening_list_is_refused_unread(event, organiser):
    make_party(event, "Kept Entry")
    token = create_api_token(user=organiser, name="screening import")[1]
    body = CountingBody(50 * 1024 * 1024)

    status, content = call_wsgi(
        f"/api/v1/events/{event.slug}/screening/",
        body,
        content_type="multipart/form-data; boundary=xyz",
        headers={"HTTP_AUTHORIZATION": f"Token {token}"},
    )

    assert status == 413
    assert b"The upload is larger than 5 MB." in content
    assert body.read_bytes == 0
    assert list(RestrictedParty.objects.values_list("name", flat=True)) == ["Kept Entry"]


def test_a_large_import_on_a_page_is_refused_unread_with_a_page(event, organiser):
    body = CountingBody(6 * 1024 * 1024)

    status, content = call_wsgi(
        f"/{event.slug}/exhibitors/manage/import/", body, content_type="multipart/form-data; boundary=xyz"
    )

    assert status == 413 and body.read_bytes == 0
    assert "File too large" in content.decode() and "larger than 5 MB" in content.decode()


def test_any_other_view_takes_at_most_the_default_body(event):
    body = CountingBody(3 * 1024 * 1024)

    status, _content = call_wsgi(
        f"/api/v1/events/{event.slug}/stands/", body, content_type="application/json"
    )

    assert status == 413 and body.read_bytes == 0


def test_a_document_over_the_event_limit_is_stopped_while_it_streams(client, event, company, company_admin):
    ExhibitorSettings.objects.create(event=event, max_document_mb=1)
    app = make_application(event, company)
    client.force_login(company_admin)
    step = reverse(
        "exhibitors:application_step", kwargs={"event_slug": event.slug, "pk": app.pk, "step": "documents"}
    )
    # Within the request's allowance (limit + room for the form) but the file itself is too large:
    # the upload handler stops it as it arrives.
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 20_000) + b"\n%%EOF\n"

    response = client.post(step, {"kind": "other", "file": SimpleUploadedFile("big.pdf", big)})

    assert response.status_code == 413
    assert "The upload is larger than 1 MB." in response.content.decode()
    assert not ApplicationDocument.objects.exists()


def test_upload_handler_counts_each_file():
    handler = uploads.LimitedUploadHandler(None, limit=10)
    handler.new_file("file", "a.csv", "text/csv", 0)
    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(uploads.UploadTooLarge):
        handler.receive_data_chunk(b"678901", 5)
    handler.new_file("file2", "b.csv", "text/csv", 0)
    assert handler.receive_data_chunk(b"1234567890", 0) == b"1234567890"


def test_the_migration_reencodes_logos_stored_before_and_drops_what_is_not_an_image(event, company):
    migration = importlib.import_module("exhibition.exhibitors.migrations.0004_reencode_legacy_logos")
    html = default_storage.save("exhibitors/logos/old/logo.html", io.BytesIO(png_bytes() + SCRIPT))
    junk = default_storage.save("exhibitors/logos/old/logo.gif", io.BytesIO(SCRIPT))
    kept = default_storage.save("exhibitors/logos/old/logo.png", io.BytesIO(png_bytes()))
    other, third = make_exhibitor(event, "Other"), make_exhibitor(event, "Third")
    ExhibitorProfile.objects.filter(organisation=other).update(logo=html)
    ExhibitorProfile.objects.filter(organisation=third).update(logo=junk)
    ExhibitorProfile.objects.create(event=event, organisation=company, logo=kept)

    migration.reencode_logos(apps, None)

    reencoded = ExhibitorProfile.objects.get(organisation=other).logo.name
    assert reencoded.endswith(".png") and Image.open(default_storage.open(reencoded)).format == "PNG"
    assert ExhibitorProfile.objects.get(organisation=third).logo.name == ""
    assert ExhibitorProfile.objects.get(organisation=company).logo.name == kept
    assert (
        not default_storage.exists(html) and not default_storage.exists(junk) and default_storage.exists(kept)
    )
