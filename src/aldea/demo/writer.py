"""Fast inserts for the demo generator."""

from __future__ import annotations

import json
from collections import defaultdict

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model
from django.utils import timezone

from aldea.accounts.models import Membership, Person
from aldea.consulting.models import ActionItem, Engagement, Meeting, StageChange
from aldea.diagnostics.models import Answer, Assessment
from aldea.enterprises.models import Enterprise, Product
from aldea.outcomes.models import Listing, OutcomeRecord
from aldea.training.models import AssessmentResult, Attendance, Certificate, Enrolment

BATCH = 10_000


class Writer:
    """Collects rows per model and inserts them in dependency order with ``executemany``.

    Building parameter tuples directly is several times faster than ``bulk_create`` (which
    prepares every field of every object through the query compiler), and that is what makes
    ``scale=100_000`` take minutes rather than an hour. Rows that others point to (``add``) get
    their id when queued, from the table's current maximum, so children can refer to them before
    anything is written; ``reset_sequences`` then moves PostgreSQL's sequences past them. This
    assumes nothing else inserts into these tables while the demo is generated.
    Leaf rows (``row``) are plain tuples; foreign keys may be given as instances.
    """

    ORDER = (Person, Enterprise, Product, Engagement, Assessment, Enrolment)
    RAW_ORDER = (Membership, Listing, StageChange, Meeting, ActionItem, Answer, OutcomeRecord, Attendance,
                 AssessmentResult, Certificate)

    def __init__(self):
        self.pending: dict[type, list] = defaultdict(list)
        self.raw: dict[type, list] = defaultdict(list)
        self.raw_columns: dict[type, tuple] = {}
        self.counts: dict[str, int] = defaultdict(int)
        self.next_id: dict[type, int] = {}
        self.now = timezone.now()

    def add(self, obj):
        model = type(obj)
        if model not in self.next_id:
            self.next_id[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        obj.pk = self.next_id[model]
        obj._state.db, obj._state.adding = connection.alias, False  # as if saved: relations accept it
        self.next_id[model] += 1
        self.pending[model].append(obj)
        return obj

    def row(self, model, **values):
        """Queue a leaf row; foreign keys may be given as instances (already ``add``ed)."""
        if model not in self.raw_columns:
            self.raw_columns[model] = tuple(values)
        self.raw[model].append(tuple(values.values()))

    def _insert(self, model, fields, rows):
        auto = [f for f in model._meta.concrete_fields
                if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f not in fields]
        adapters = [_adapter(f) for f in fields]
        extra = tuple(connection.ops.adapt_datetimefield_value(self.now) for _ in auto)
        quote = connection.ops.quote_name
        columns = [f.column for f in list(fields) + auto]
        head = "INSERT INTO {} ({}) VALUES ".format(quote(model._meta.db_table), ", ".join(map(quote, columns)))
        placeholder = "({})".format(", ".join(["%s"] * len(columns)))
        with connection.cursor() as cursor:
            for start in range(0, len(rows), BATCH):
                params = [tuple(a(v) if a else v for a, v in zip(adapters, row, strict=True)) + extra
                          for row in rows[start:start + BATCH]]
                if connection.vendor == "postgresql":
                    # COPY: executemany would pay a round trip, and client-side quoting, per row.
                    copy_sql = "COPY {} ({}) FROM STDIN".format(
                        quote(model._meta.db_table), ", ".join(map(quote, columns)))
                    with cursor.cursor.copy(copy_sql) as copy:
                        for row in params:
                            copy.write_row(row)
                else:
                    cursor.executemany(head + placeholder, params)
        self.counts[model._meta.label] += len(rows)

    def flush_model(self, model):
        objects = self.pending.pop(model, [])
        if objects:
            fields = [f for f in model._meta.concrete_fields
                      if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))]
            names = [f.attname for f in fields]
            self._insert(model, fields, [tuple(getattr(obj, name) for name in names) for obj in objects])

    def flush_raw(self, model):
        rows = self.raw.pop(model, [])
        if rows:
            self._insert(model, [model._meta.get_field(name) for name in self.raw_columns[model]], rows)

    def flush_if_large(self, limit: int = 50_000):
        """Flush once enough rows are queued: fewer, larger inserts, and memory stays bounded."""
        if sum(map(len, self.pending.values())) + sum(map(len, self.raw.values())) >= limit:
            self.flush()

    def flush(self):
        for model in self.ORDER:
            self.flush_model(model)
        for model in self.RAW_ORDER:
            self.flush_raw(model)

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_id))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _adapter(field):
    ops = connection.ops
    if field.is_relation:
        return lambda value: value.pk if isinstance(value, Model) else value
    kind = field.get_internal_type()
    if kind == "DateField":
        return lambda value: None if value is None else ops.adapt_datefield_value(value)
    if kind == "DateTimeField":
        return lambda value: None if value is None else ops.adapt_datetimefield_value(value)
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    if kind == "JSONField":
        return json.dumps
    return None


