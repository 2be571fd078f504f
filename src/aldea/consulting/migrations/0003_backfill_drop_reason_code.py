"""Engagements dropped before reasons were coded keep their words under "other"."""

from django.db import migrations


def backfill(apps, schema_editor):
    Engagement = apps.get_model("consulting", "Engagement")
    Engagement.objects.filter(stage="dropped", drop_reason_code="").update(drop_reason_code="other")
    # A drop with no words at all could not be stored before (a check constraint), so every
    # "other" here has its words.


class Migration(migrations.Migration):

    dependencies = [("consulting", "0002_add_drop_reason_code_and_consultant_changes")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
