"""Writing a batch: inserts without model instances, upserts, and the lock that serialises imports.

Every import that writes takes ``take_import_lock`` at the start of its transaction. Two imports
of the same file at once would otherwise both look up the file's keys before either commits,
find nothing, and both create every row (people have no unique natural key: emails repeat).
Under the lock the second import waits, then finds the first one's rows and updates them.
"""

import functools
import json
import time

from django.db import OperationalError, connection
from django.utils import timezone

from aldea.interop.models import KoboSubmission

# Any constant works: every import takes the same one, so imports of any kind wait for each
# other (one lock means no two imports can ever wait on each other in opposite orders).
IMPORT_LOCK_KEY = 7_301_001
# How long an import waits on SQLite for another one to finish before it is refused.
SQLITE_LOCK_WAIT_SECONDS = 600


class ImportBusy(Exception):
    """Another import held the lock for longer than the import may wait (SQLite only)."""


def take_import_lock():
    """Serialise imports that write; the caller's transaction holds the lock until it ends.

    PostgreSQL: a transaction-level advisory lock (re-entrant, released at commit or rollback).
    SQLite has one write lock per database: a write statement that matches no row takes it now,
    before the import reads anything (a transaction that read first and then finds the lock
    taken cannot wait for it: its snapshot would be stale). Raises ImportBusy after
    SQLITE_LOCK_WAIT_SECONDS; must run inside ``transaction.atomic``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        return
    if connection.vendor != "sqlite":
        return
    table = connection.ops.quote_name(KoboSubmission._meta.db_table)
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_SECONDS
    while True:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET form = form WHERE 1 = 0")
            return
        except OperationalError as exc:
            # Each attempt waits the connection's busy timeout, except in shared-cache databases
            # (the test suite's in-memory one), which answer at once: hence the pause.
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise ImportBusy from exc
            time.sleep(0.05)


def insert_rows(model, rows: list[dict]):
    """INSERT the rows with one executemany: no model instances, the path the benchmark measures.

    Each dict maps attnames to Python values; missing fields take the model field's default.
    """
    if not rows:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    copying = connection.vendor == "postgresql"
    adapters = [_adapter(f, copying) for f in fields]
    defaults = []
    for f, adapt in zip(fields, adapters, strict=True):
        # "" for text fields, None for nullable ones, the declared default otherwise; adapted
        # for the driver once here rather than once per row (timestamps, JSON defaults).
        default = now if f.attname in {"created_at", "updated_at"} else f.get_default()
        defaults.append(adapt(default) if adapt and default is not None else default)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    # The rows of a batch come from one file and share their keys, so which field takes the
    # row's value and which its default is worked out once per set of keys, not per cell.
    layouts = {}
    params = []
    for values in rows:
        shape = tuple(values)
        layout = layouts.get(shape)
        if layout is None:
            template = list(defaults)
            layout = layouts[shape] = (template, [
                # (position, attname, value when None, adapter or None)
                (i, f.attname, None if f.null else default, adapt)
                for i, (f, adapt, default) in enumerate(zip(fields, adapters, defaults, strict=True))
                if f.attname in values
            ])
        template, present = layout
        record = template.copy()
        for i, attname, when_none, adapt in present:
            value = values[attname]
            if value is None:
                record[i] = when_none
            elif adapt is None:
                record[i] = value
            else:
                record[i] = adapt(value)
        params.append(record)
    if copying:
        # COPY is PostgreSQL's bulk path, several times faster than executemany; it runs inside
        # the import's transaction like any other statement.
        copy_sql = "COPY {} ({}) FROM STDIN".format(
            quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields))
        # The driver's own cursor: Django's wrapper turns its errors (a key another import has
        # just inserted) into IntegrityError, which the engine reports row by row.
        with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for record in params:
                copy.write_row(record)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _adapter(field, copying):
    """How a field's Python value becomes the driver's, or None when it goes as it is.

    For COPY, JSON goes as its text (psycopg's Jsonb wrapper dumps each value through extra
    Python layers; the server parses the text the same way).
    """
    kind = field.get_internal_type()
    if kind == "JSONField" and copying:
        return functools.partial(json.dumps, cls=field.encoder)
    if kind in {"JSONField", "DecimalField", "DateField", "DateTimeField"}:
        return functools.partial(field.get_db_prep_save, connection=connection)
    return None


def upsert(model, rows, key_of_row, existing, dry_run):
    """Create rows whose key is new, update those that differ, leave identical ones alone."""
    to_create, to_update, update_fields, unchanged = [], [], set(), 0
    for row in rows:
        values = row.model_values
        instance = existing.get(key_of_row(row))
        if instance is None:
            to_create.append(values)
            continue
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            unchanged += 1
            continue
        for name in changed:
            setattr(instance, name, values[name])
        update_fields.update(changed)
        to_update.append(instance)
    if not dry_run:
        insert_rows(model, to_create)
        if to_update:
            now = timezone.now()
            if any(f.attname == "updated_at" for f in model._meta.concrete_fields):
                for instance in to_update:
                    instance.updated_at = now
                update_fields.add("updated_at")
            model.objects.bulk_update(to_update, sorted(update_fields), batch_size=500)
    return len(to_create), len(to_update), unchanged
