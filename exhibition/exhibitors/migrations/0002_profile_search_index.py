"""A GIN index for the directory's full-text search, on PostgreSQL only (the expression is
exactly what ``selectors.search_profiles`` filters on, so the planner can use it)."""

from django.db import migrations

INDEX = "exhibitors_profile_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON exhibitors_exhibitorprofile "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("exhibitors", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
