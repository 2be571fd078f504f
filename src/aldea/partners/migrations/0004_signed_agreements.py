"""Stored 'active' and 'expired' both meant 'signed': whether a signed agreement is in force now
follows from its dates (Agreement.state_on)."""

from django.db import migrations


def to_signed(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    Agreement.objects.filter(status__in=["active", "expired"]).update(status="signed")


def to_active(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    Agreement.objects.filter(status="signed").update(status="active")


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_agreement_status_is_the_decision")]
    operations = [migrations.RunPython(to_signed, to_active)]
