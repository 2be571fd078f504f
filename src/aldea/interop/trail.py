"""The audit trail's entries for imports and exports (aldea.ops.audit, decision O10).

Imports write with executemany and ``bulk_update``, which send no model signals: each committed
import writes one entry per programme it wrote rows into (that programme's row count, and the
import's totals), or one without a programme for reference data. Exports of personal data
(the people registry) write one entry per programme whose people were in the file.
"""

from django.db.models import Count

from aldea.ops import audit
from aldea.ops.models import AuditEntry

# Registries whose export is personal data: names, birth years, contacts.
PERSONAL_REGISTRIES = ("people",)


def count_enterprise_rows(enterprise_ids, report):
    """Add rows written for these MSMEs (one id per row) to the report's counts."""
    for eid in enterprise_ids:
        report.enterprise_rows[eid] = report.enterprise_rows.get(eid, 0) + 1


def count_places(rows, report):
    """Add a written batch's rows to the report's counts per programme (or per MSME)."""
    for row in rows:
        if row.errors:
            continue
        values = getattr(row, "model_values", None) or {}
        if values.get("programme_id") is not None:
            pid = values["programme_id"]
            report.programme_rows[pid] = report.programme_rows.get(pid, 0) + 1
        elif getattr(row, "enterprise_id", None) is not None:
            eid = row.enterprise_id
            report.enterprise_rows[eid] = report.enterprise_rows.get(eid, 0) + 1


def _rows_per_programme(report) -> dict:
    from aldea.enterprises.models import Enterprise

    per_programme = dict(report.programme_rows)
    if report.enterprise_rows:
        owners = Enterprise.objects.filter(pk__in=list(report.enterprise_rows)).values_list("pk", "programme_id")
        for eid, pid in owners:
            per_programme[pid] = per_programme.get(pid, 0) + report.enterprise_rows[eid]
    return per_programme


def record_import(report, *, model, user=None) -> list:
    """The entries of a committed import that wrote rows; none for a dry run or a refused file."""
    if not report.committed or not (report.written or report.programme_rows or report.enterprise_rows):
        return []
    totals = {"file": report.path, "kind": report.kind, "mode": report.mode, "read": report.read,
              "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
              "rejected": report.rejected}
    action = AuditEntry.Action.UPDATE if report.updated else AuditEntry.Action.CREATE
    description = f"import of {report.path} ({report.kind})"
    per_programme = _rows_per_programme(report) or {None: report.written}
    return [
        audit.record_event(model=model, action=action, description=description, programme_id=pid, rows=rows,
                           actor=user, details=totals, door=AuditEntry.Door.IMPORT)
        for pid, rows in sorted(per_programme.items(), key=lambda item: (item[0] is None, item[0] or 0))
    ]


def record_export(kind: str, *, model, queryset, rows: int, format: str, viewer=None) -> list:
    """The entries of an export of personal data (``kind`` in PERSONAL_REGISTRIES), else none."""
    if kind not in PERSONAL_REGISTRIES:
        return []
    from aldea.accounts.models import Membership

    per_programme = dict(
        Membership.objects.filter(person__in=queryset.values("pk")).values_list("programme_id")
        .annotate(people=Count("person", distinct=True)).values_list("programme_id", "people")
    )
    details = {"kind": kind, "format": format, "rows": rows}
    description = f"export of {kind} ({format}, {rows} rows)"
    entries = [
        audit.record_event(model=model, action=AuditEntry.Action.ACCESS, description=description,
                           programme_id=pid, rows=count, actor=viewer, details=details)
        for pid, count in sorted(per_programme.items())
    ]
    if not entries or sum(per_programme.values()) < rows:
        # People with no role in any programme: on the trail too, for staff.
        entries.append(audit.record_event(model=model, action=AuditEntry.Action.ACCESS, description=description,
                                          rows=rows, actor=viewer, details=details))
    return entries
