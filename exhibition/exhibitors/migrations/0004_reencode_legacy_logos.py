"""Logos stored before they were re-encoded kept the uploader's bytes and extension (a "logo.html"
stayed .html). Re-encode every logo that is not a PNG or WebP into a PNG with a new name; what
Pillow cannot read is removed. Forward only: the old files are the problem."""

import uuid

from django.db import migrations

SAFE = (".png", ".webp")


def reencode_logos(apps, schema_editor):
    from django.core.files.storage import default_storage

    from exhibition.core.errors import DomainError
    from exhibition.core.uploads import reencode_image

    Profile = apps.get_model("exhibitors", "ExhibitorProfile")
    for profile in Profile.objects.exclude(logo="").exclude(logo__isnull=True).iterator():
        old = str(profile.logo)
        if old.lower().endswith(SAFE):
            continue
        new = ""
        try:
            with default_storage.open(old, "rb") as handle:
                image = reencode_image(handle, name="logo.png")
            new = default_storage.save(f"exhibitors/logos/{profile.event_id}/{uuid.uuid4().hex}.png", image)
        except (DomainError, OSError):
            pass
        Profile.objects.filter(pk=profile.pk).update(logo=new)
        try:
            default_storage.delete(old)
        except OSError:
            pass


class Migration(migrations.Migration):
    dependencies = [("exhibitors", "0003_admit_approved_companies")]

    operations = [migrations.RunPython(reencode_logos, migrations.RunPython.noop, elidable=True)]
