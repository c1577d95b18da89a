"""Project-level checks: migrations in step with models, production settings, the demo seed."""

from __future__ import annotations

import collections
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "exhibition.settings",
        "DEBUG": "0",
        "SECRET_KEY": "p" * 20 + "roduction-key-with-plenty-of-entropy-8f3k2l9x0q",
        "ALLOWED_HOSTS": "show.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/prod.sqlite3",
        "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "exhibition.settings", "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_openapi_schema_generates_and_validates(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/auth/token/" in text
    assert "/api/v1/events/{event_slug}/summary/" in text


def test_the_api_documentation_has_a_section_per_domain(tmp_path):
    """Each operation sits in exactly one of the documented sections (not all in one "v1")."""
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    sections = [t["name"] for t in schema["tags"]]
    assert sections[:3] == ["people", "shows", "floor plans"] and len(sections) == 10
    used = collections.Counter(
        tuple(op["tags"]) for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)
    )
    assert set(used) == {(name,) for name in sections}
    assert schema["paths"]["/api/v1/events/{event_slug}/booking/settings/"]["get"]["tags"] == ["booking"]


@pytest.mark.django_db
def test_openapi_schema_generates_without_warnings(tmp_path, capsys):
    # --fail-on-warn raises SchemaGenerationError on any warning or error: a view whose serializer
    # spectacular cannot guess (and so leaves out), an untyped SerializerMethodField, an enum name clash.
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "Schema generation summary" not in capsys.readouterr().err
    text = out.read_text()
    for operation_id in (
        "v1_events_applications_list",
        "v1_events_delegations_programme_retrieve",
        "v1_events_delegation_planning_create",
    ):
        assert f"operationId: {operation_id}\n" in text
