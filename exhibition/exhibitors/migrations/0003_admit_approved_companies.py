from django.db import migrations


def admit_approved(apps, schema_editor):
    """Companies whose application is approved, and whose screening is not a confirmed
    restricted-party match, are admitted."""
    Organisation = apps.get_model("accounts", "Organisation")
    from django.utils import timezone

    Organisation.objects.filter(
        kind="company", admitted_at__isnull=True, exhibitor_application__state="approved"
    ).exclude(exhibitor_application__screening="confirmed").update(
        admitted_at=timezone.now(), admission_note="Application approved")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_admission_tokens_feeds"),
        ("exhibitors", "0002_profile_search_index"),
    ]

    operations = [migrations.RunPython(admit_approved, migrations.RunPython.noop)]
