"""KoboToolbox and ODK Central submission exports, for the forms ``xlsform.py`` writes.

Reads CSV (Kobo's ``;`` CSV or ODK Central's) and XLSX (Kobo's, with each repeat group in its
own sheet, linked by ``_submission__uuid`` or ``_parent_index``). Headers may carry group paths
(``owner/given_name``, ``owner-given_name``); the last segment is the field name. Each
submission is imported once: its UUID (``_uuid``, ``meta/instanceID`` or ``KEY``) is recorded in
``interop.KoboSubmission`` and skipped on later imports, so re-importing an export changes
nothing. Rows are validated by the same registry importers as bulk files.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from aldea.interop import readers
from aldea.interop.importers.base import (
    ALL_OR_NOTHING,
    MODES,
    VALID_ROWS,
    ImportReport,
    Reason,
    RowError,
    run_import,
)
from aldea.interop.importers.registries import EnterpriseImporter, OutcomeImporter, PersonImporter
from aldea.interop.models import KoboSubmission
from aldea.interop.readers import FileRefused, Table, TableFormat, clean_text

FORMS = ("registration", "diagnostic", "outcome", "attendance")
UUID_COLUMNS = ("_uuid", "meta/instanceID", "instanceID", "meta-instanceID", "KEY", "uuid")


@dataclass
class Submission:
    line: int
    uuid: str
    fields: dict
    repeats: dict = field(default_factory=dict)  # repeat name → list of (line, fields)


def field_name(header: str) -> str:
    header = str(header).strip()
    for separator in ("/", "-"):
        if separator in header and not header.startswith("_"):
            header = header.rsplit(separator, 1)[-1]
    return header


def _uuid(value) -> str:
    text = clean_text(value)
    return text[5:] if text.lower().startswith("uuid:") else text


def read_submissions(path) -> list[Submission]:
    """The submissions in an export, with their repeat groups; raises FileRefused."""
    path = Path(path)
    kind = readers.detect_kind(path)
    if kind == "parquet":
        raise FileRefused("Kobo/ODK exports are CSV or XLSX")
    sheets = [None]
    if kind == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True)
            sheets = workbook.sheetnames
            workbook.close()
        except Exception as exc:
            raise FileRefused(f"{path.name}: cannot be read as XLSX ({exc.__class__.__name__})") from exc
    submissions, by_uuid, by_index = [], {}, {}
    with readers.open_table(path, sheet=sheets[0]) as table:
        headers = table.headers
        uuid_index = next((headers.index(h) for h in UUID_COLUMNS if h in headers), None)
        if uuid_index is None:
            raise FileRefused(f"{path.name}: no submission UUID column ({', '.join(UUID_COLUMNS)})")
        index_col = headers.index("_index") if "_index" in headers else None
        names = [field_name(h) for h in headers]
        for line, values in table.rows:
            fields = {n: v for n, v in zip(names, values, strict=False) if n}
            submission = Submission(line, _uuid(values[uuid_index]), fields)
            submissions.append(submission)
            by_uuid[submission.uuid] = submission
            if index_col is not None:
                by_index[clean_text(values[index_col])] = submission
    for sheet in sheets[1:]:
        with readers.open_table(path, sheet=sheet) as table:
            headers = table.headers
            names = [field_name(h) for h in headers]
            for line, values in table.rows:
                fields = dict(zip(names, values, strict=False))
                parent = by_uuid.get(_uuid(fields.get("_submission__uuid", ""))) or by_index.get(clean_text(fields.get("_parent_index", "")))
                if parent is None:
                    raise FileRefused(f"{path.name}: sheet {sheet!r} line {line} belongs to no submission")
                parent.repeats.setdefault(sheet, []).append((line, fields))
    return submissions


class _VirtualTable(Table):
    def __init__(self, name, headers, rows):
        super().__init__(Path(name), TableFormat("kobo"), headers, iter(rows), [])


def import_kobo(form: str, path, *, mode: str = VALID_ROWS, dry_run: bool = False, rejects_path=None) -> ImportReport:
    """Import a Kobo/ODK export of one of Aldea's forms; already-imported submissions are skipped.

    Never raises for bad content; the report lists rejected submissions by line.
    """
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; choose one of {', '.join(FORMS)}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    report = ImportReport(kind=f"kobo {form}", path=str(path), mode=mode, dry_run=dry_run)
    try:
        submissions = read_submissions(path)
    except FileRefused as exc:
        report.file_error = str(exc)
        return report
    report.format = readers.detect_kind(Path(path))
    report.read = len(submissions)
    seen = set(KoboSubmission.objects.filter(uuid__in=[s.uuid for s in submissions]).values_list("uuid", flat=True))
    fresh, duplicates = [], set()
    for submission in submissions:
        if not submission.uuid:
            report.errors.append(RowError(submission.line, "_uuid", "", Reason.MISSING, "each submission needs its UUID"))
            report.rejected += 1
        elif submission.uuid in seen:
            report.unchanged += 1
        elif submission.uuid in duplicates:
            report.errors.append(RowError(submission.line, "_uuid", submission.uuid, Reason.DUPLICATE, "the same submission appears twice"))
            report.rejected += 1
        else:
            duplicates.add(submission.uuid)
            fresh.append(submission)
    try:
        with transaction.atomic():
            accepted = IMPORTS[form](fresh, report)
            KoboSubmission.objects.bulk_create(
                KoboSubmission(uuid=s.uuid, form=form, records=records) for s, records in accepted
            )
            # A dry run writes inside the transaction and rolls back, so later rows see earlier ones
            # (a registration's enterprise needs its owner) exactly as in the real import.
            if dry_run or (mode == ALL_OR_NOTHING and report.rejected):
                transaction.set_rollback(True)
            else:
                report.committed = True
    except FileRefused as exc:
        report.file_error = str(exc)
        report.committed = False
    if rejects_path:
        _write_rejects(rejects_path, report)
    return report


def _merge(report, sub_report):
    """Fold a registry import's report into the Kobo report; return the lines it rejected."""
    if sub_report.file_error:
        raise FileRefused(sub_report.file_error)
    report.created += sub_report.created
    report.updated += sub_report.updated
    rejected_lines = set()
    for error in sub_report.errors:
        report.errors.append(error)
        rejected_lines.add(error.line)
    return rejected_lines


def _run_rows(importer, name, headers, rows):
    return run_import(importer, name, table=_VirtualTable(name, headers, rows))


def _import_registration(submissions, report):
    people_headers = ["external_id", "given_name", "family_name", "sex", "birth_year", "speaks_indigenous_language",
                      "indigenous_language", "phone", "has_contact_consent", "contact_consent_on", "locality"]
    enterprise_headers = ["code", "name", "village", "sector", "speciality", "formal_status", "employees",
                          "founded_year", "is_women_led", "baseline_channels", "locality", "owner_external_id"]
    people_rows, enterprise_rows = [], []
    for s in submissions:
        f = s.fields
        consent = readers.parse_bool(f.get("has_contact_consent", "")) if _is_bool(f.get("has_contact_consent")) else False
        consent_on = clean_text(f.get("today") or f.get("_submission_time") or f.get("end") or "")
        people_rows.append((s.line, [f.get("folio", ""), f.get("given_name", ""), f.get("family_name", ""), f.get("sex", ""),
                                     f.get("birth_year", ""), f.get("speaks_indigenous_language", ""), f.get("indigenous_language", ""),
                                     f.get("phone", ""), f.get("has_contact_consent", ""), consent_on if consent else "", f.get("locality", "")]))
        code = clean_text(f.get("enterprise_code", "")) or f"{clean_text(f.get('village', ''))}-{clean_text(f.get('folio', ''))}"
        enterprise_rows.append((s.line, [code, f.get("business_name", ""), f.get("village", ""), f.get("sector", ""),
                                         f.get("speciality", ""), f.get("formal_status", ""), f.get("employees", ""),
                                         f.get("founded_year", ""), f.get("is_women_led", ""), f.get("baseline_channels", ""),
                                         f.get("locality", ""), f.get("folio", "")]))
    bad = _merge(report, _run_rows(PersonImporter(), "people", people_headers, people_rows))
    enterprise_rows = [r for r in enterprise_rows if r[0] not in bad]
    bad |= _merge(report, _run_rows(EnterpriseImporter(), "enterprises", enterprise_headers, enterprise_rows))
    report.rejected += len(bad)
    return [(s, {"person": clean_text(s.fields.get("folio", ""))}) for s in submissions if s.line not in bad]


def _is_bool(value):
    try:
        readers.parse_bool(value)
        return True
    except ValueError:
        return False


def _import_outcome(submissions, report):
    headers = ["enterprise", "month", "total_sales", "online_sales", "orders", "units", "employees", "export_markets", "source"]
    rows = []
    for s in submissions:
        f = s.fields
        online = f.get("sells_online", "")
        sells = _is_bool(online) and readers.parse_bool(online)
        rows.append((s.line, [f.get("enterprise", ""), f.get("month", ""), f.get("total_sales", ""),
                              f.get("online_sales", "") if sells else "0", f.get("orders", "") if sells else "0",
                              f.get("units", ""), f.get("employees", ""), f.get("export_markets", ""), "survey"]))
    bad = _merge(report, _run_rows(OutcomeImporter(), "outcomes", headers, rows))
    report.rejected += len(bad)
    return [(s, {"enterprise": clean_text(s.fields.get("enterprise", ""))}) for s in submissions if s.line not in bad]


def _import_diagnostic(submissions, report):
    from aldea.diagnostics.instrument import ensure_default_instrument
    from aldea.diagnostics.models import Instrument, Question
    from aldea.diagnostics.scoring import ScoringError
    from aldea.diagnostics.services import record_assessment
    from aldea.enterprises.models import Enterprise

    instrument = Instrument.objects.order_by("id").first() or ensure_default_instrument()
    codes = set(Question.objects.filter(dimension__instrument=instrument).values_list("code", flat=True))
    enterprises = {e.code: e for e in Enterprise.objects.filter(code__in={clean_text(s.fields.get("enterprise", "")) for s in submissions})}
    accepted = []
    for s in submissions:
        code = clean_text(s.fields.get("enterprise", ""))
        errors = []
        enterprise = enterprises.get(code)
        if not code:
            errors.append(RowError(s.line, "enterprise", "", Reason.MISSING))
        elif enterprise is None:
            errors.append(RowError(s.line, "enterprise", code, Reason.UNKNOWN, f"no enterprise with code {code!r}"))
        try:
            assessed_on = readers.parse_date(s.fields.get("assessed_on", ""))
        except ValueError as exc:
            errors.append(RowError(s.line, "assessed_on", clean_text(s.fields.get("assessed_on", "")), Reason.BAD_DATE, str(exc)))
        answers = {}
        for question in sorted(codes):
            raw = s.fields.get(question, "")
            if raw is None or clean_text(raw) == "":
                errors.append(RowError(s.line, question, "", Reason.MISSING))
                continue
            try:
                answers[question] = readers.parse_int(raw)
            except ValueError as exc:
                errors.append(RowError(s.line, question, clean_text(raw), Reason.BAD_VALUE, str(exc)))
        if not errors:
            try:
                with transaction.atomic():
                    assessment = record_assessment(enterprise=enterprise, instrument=instrument, answers=answers, assessed_on=assessed_on)
            except ScoringError as exc:
                errors.append(RowError(s.line, "", "", Reason.OUT_OF_RANGE, str(exc)))
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            continue
        report.created += 1
        accepted.append((s, {"enterprise": code, "assessment": assessment.pk}))
    return accepted


def _import_attendance(submissions, report):
    from aldea.interop.models import PersonReference
    from aldea.training.models import Attendance, Cohort, Enrolment, TrainingSession

    accepted = []
    for s in submissions:
        errors = []
        cohort_code = clean_text(s.fields.get("cohort", ""))
        cohort = Cohort.objects.filter(code=cohort_code).first()
        if cohort is None:
            errors.append(RowError(s.line, "cohort", cohort_code, Reason.UNKNOWN if cohort_code else Reason.MISSING, "no cohort with that code"))
        try:
            number = readers.parse_int(s.fields.get("session_number", ""))
            if not 1 <= number <= 200:
                errors.append(RowError(s.line, "session_number", str(number), Reason.OUT_OF_RANGE, "between 1 and 200"))
        except ValueError as exc:
            errors.append(RowError(s.line, "session_number", clean_text(s.fields.get("session_number", "")), Reason.BAD_VALUE, str(exc)))
        try:
            held_on = readers.parse_date(s.fields.get("held_on", ""))
        except ValueError as exc:
            errors.append(RowError(s.line, "held_on", clean_text(s.fields.get("held_on", "")), Reason.BAD_DATE, str(exc)))
        attendees = [a for rows in s.repeats.values() for a in rows]
        marks = []
        if cohort is not None:
            folios = {clean_text(f.get("folio", "")) for _, f in attendees}
            people = dict(PersonReference.objects.filter(external_id__in=folios).values_list("external_id", "person_id"))
            enrolments = dict(Enrolment.objects.filter(cohort=cohort, person_id__in=people.values()).values_list("person_id", "id"))
            for line, f in attendees:
                folio = clean_text(f.get("folio", ""))
                status = readers.normalise_header(clean_text(f.get("status", "")))
                status = {"presente": "present", "ausente": "absent", "justificada": "excused"}.get(status, status)
                if status not in Attendance.Status.values:
                    errors.append(RowError(line, "status", status, Reason.BAD_VALUE, "present, absent or excused"))
                elif folio not in people:
                    errors.append(RowError(line, "folio", folio, Reason.UNKNOWN, "no person with that registration number"))
                elif people[folio] not in enrolments:
                    errors.append(RowError(line, "folio", folio, Reason.UNKNOWN, f"not enrolled in cohort {cohort_code}"))
                else:
                    marks.append((enrolments[people[folio]], status))
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            continue
        session, _ = TrainingSession.objects.get_or_create(cohort=cohort, number=number, defaults={"held_on": held_on})
        for enrolment_id, status in marks:
            _, created = Attendance.objects.update_or_create(session=session, enrolment_id=enrolment_id, defaults={"status": status})
            report.created += created
            report.updated += not created
        accepted.append((s, {"cohort": cohort_code, "session": number}))
    return accepted


IMPORTS = {
    "registration": _import_registration,
    "outcome": _import_outcome,
    "diagnostic": _import_diagnostic,
    "attendance": _import_attendance,
}


def _write_rejects(path, report):
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["_line", "column", "value", "reason", "detail"])
        for error in report.errors:
            writer.writerow([error.line, error.column, readers.neutralise(error.value), error.reason, error.detail])
