"""Drop the table django-auditlog creates for its own LogEntry, which Aldea swaps out.

auditlog's migrations do not mark LogEntry as swappable (jazzband/django-auditlog#804, fixed by
#805 in a later release), so its table is created although AUDITLOG_LOGENTRY_MODEL points to
ops.AuditEntry. Django no longer knows the table, so `flush` (and every transactional test on
PostgreSQL) fails: the table keeps a foreign key to django_content_type. It never holds a row;
it is dropped only if empty, so no trail is ever lost.
"""
from django.db import migrations

TABLE = "auditlog_logentry"


def drop_if_empty(apps, schema_editor):
    connection = schema_editor.connection
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TABLE} LIMIT 1")
        if cursor.fetchone():
            return
    schema_editor.execute(f"DROP TABLE {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0002_audit_entry"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_if_empty, migrations.RunPython.noop)]
