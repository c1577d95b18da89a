"""Retention and shredder pages and API (organisers); "Your data" page and API (everyone signed in)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from exhibition.accounts.models import User
from exhibition.core.models import OutboxMessage
from exhibition.privacy.models import Job, RetentionRule
from tests import factories
from tests.privacy.test_services import _show_ended

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVACY_MIN_DAYS_AFTER_SHOW = 30


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_retention_page_shows_each_category_and_saves_periods(client, event, organiser):
    _show_ended(event, days_ago=10)
    client.force_login(organiser)
    page = client.get(f"/{event.slug}/privacy/").content.decode()
    for label in (
        "Visitor registrations",
        "Delegation member details",
        "Uploaded documents",
        "Screening evidence",
        "Sent e-mails",
        "IP addresses in logs",
        "Exhibitor imports",
    ):
        assert label in page
    assert "Nothing is due yet" in page and "No shredder run yet." in page

    response = client.post(
        f"/{event.slug}/privacy/",
        {
            "visitor_registrations": 120,
            "delegation_members": 90,
            "uploaded_documents": 180,
            "screening_evidence": 365,
            "outbox_bodies": 30,
            "ip_addresses": 30,
            "exhibitor_imports": 30,
        },
    )
    assert response.status_code == 302
    assert RetentionRule.objects.get(category="visitor_registrations").keep_days == 120

    response = client.post(
        f"/{event.slug}/privacy/",
        {
            "visitor_registrations": 5,
            "delegation_members": 90,
            "uploaded_documents": 180,
            "screening_evidence": 365,
            "outbox_bodies": 30,
            "ip_addresses": 30,
        },
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 30." in response.content.decode()
    assert RetentionRule.objects.get(category="visitor_registrations").keep_days == 120


def test_the_shredder_from_the_page_with_its_archive(
    client, event, organiser, django_capture_on_commit_callbacks
):
    _show_ended(event, days_ago=40)
    OutboxMessage.objects.create(
        event=event, kind="t", recipient="a@example.test", subject="s", body="b", status="sent"
    )
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{event.slug}/privacy/", {"action": "shred"})
    assert response.status_code == 302
    job = Job.objects.get()
    page = client.get(f"/{event.slug}/privacy/").content.decode()
    assert "Sent e-mails: 1" in page and "Download the archive" in page
    archive = client.get(f"/{event.slug}/privacy/runs/{job.pk}/archive/")
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    progress = client.get(f"/{event.slug}/privacy/runs/{job.pk}/progress/").json()
    assert progress == {
        "status": "done",
        "status_label": "Done",
        "done": 1,
        "total": 1,
        "percent": 100,
        "message": "",
    }


def test_who_may_see_and_run_the_shredder(client, event, organiser, company_admin):
    _show_ended(event, days_ago=40)
    staff = factories.make_organiser(event, role="staff", email="staff@example.test")
    client.force_login(staff)
    assert client.get(f"/{event.slug}/privacy/").status_code == 200
    assert client.post(f"/{event.slug}/privacy/", {"action": "shred"}).status_code == 403
    assert _api(staff).post(f"/api/v1/events/{event.slug}/privacy/shredder-runs/").status_code == 403
    client.force_login(company_admin)
    assert client.get(f"/{event.slug}/privacy/").status_code == 403
    assert _api(company_admin).get(f"/api/v1/events/{event.slug}/privacy/retention/").status_code == 403
    assert Job.objects.count() == 0


def test_retention_and_shredder_through_the_api(event, organiser, django_capture_on_commit_callbacks):
    _show_ended(event, days_ago=40)
    client = _api(organiser)
    rules = client.get(f"/api/v1/events/{event.slug}/privacy/retention/").json()
    outbox = next(r for r in rules if r["category"] == "outbox_bodies")
    assert outbox == {
        "category": "outbox_bodies",
        "label": "Sent e-mails",
        "action": "anonymise",
        "keep_days": 30,
        "due_on": (
            timezone.localdate(timezone.now(), event.tz) - timedelta(days=10)
        ).isoformat(),  # the show's day
    }
    bad = client.put(
        f"/api/v1/events/{event.slug}/privacy/retention/", {"days": {"outbox_bodies": 3}}, format="json"
    )
    assert bad.status_code == 400 and bad.json() == {
        "outbox_bodies": ["Between 30 and 3650 days after the show."]
    }
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"/api/v1/events/{event.slug}/privacy/shredder-runs/")
    assert started.status_code == 202
    run = client.get(f"/api/v1/events/{event.slug}/privacy/shredder-runs/{started.json()['id']}/").json()
    assert run["status"] == "done" and run["download_url"].endswith("/archive/")


def test_a_person_downloads_their_data_from_the_page(client, event, django_capture_on_commit_callbacks):
    visitor = factories.make_visitor(event, email="me@example.test")
    client.force_login(visitor.user)
    assert "Your data" in client.get(f"/{event.slug}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/privacy/", {"action": "export"}).status_code == 302
    job = Job.objects.get()
    page = client.get("/privacy/").content.decode()
    assert "Download my data" in page
    download = client.get(f"/privacy/jobs/{job.pk}/download/")
    data = json.loads(b"".join(download.streaming_content))
    assert data["account"][0]["email"] == "me@example.test"
    other = factories.make_visitor(event, email="other@example.test")
    client.force_login(other.user)
    assert client.get(f"/privacy/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"/privacy/jobs/{job.pk}/progress/").status_code == 404
    client.logout()
    assert client.get("/privacy/").status_code == 302


def test_a_person_erases_their_data_through_the_api(event, django_capture_on_commit_callbacks):
    visitor = factories.make_visitor(event, email="me@example.test")
    client = _api(visitor.user)
    wrong = client.post("/api/v1/me/erasure/", {"confirm_email": "you@example.test"}, format="json")
    assert wrong.status_code == 400 and wrong.json() == {
        "confirm_email": ["Type your e-mail address exactly to confirm."]
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/me/erasure/", {"confirm_email": "me@example.test"}, format="json")
    assert response.status_code == 202
    user = User.objects.get(pk=visitor.user.pk)
    assert user.is_active is False and user.email.endswith("@erased.invalid")
    assert Job.objects.get().status == "done"
