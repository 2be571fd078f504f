"""KoboToolbox and ODK Central submission exports, for the forms ``xlsform.py`` writes.

Reads CSV (Kobo's ``;`` CSV or ODK Central's), XLSX (Kobo's, with each repeat group in its own
sheet, linked by ``_submission__uuid`` or ``_parent_index``) and ODK Central's "all submissions"
zip (``FORM.csv`` plus one ``FORM-REPEAT.csv`` per repeat group, linked by ``PARENT_KEY``).
Headers may carry group paths (``owner/given_name``, ``owner-given_name``); the last segment is
the field name. Each submission is imported once: its UUID (``_uuid``, ``meta/instanceID`` or
``KEY``) is recorded in ``interop.KoboSubmission`` and skipped on later imports, so re-importing
an export changes nothing. Submissions a Central reviewer rejected are skipped. Rows are
validated by the same registry importers as bulk files.
"""

import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import IntegrityError, OperationalError, transaction
from django.utils.translation import gettext as _

from aldea.interop import readers, trail
from aldea.interop.importers.base import (
    ALL_OR_NOTHING,
    MODES,
    VALID_ROWS,
    ImportReport,
    Reason,
    RowError,
    busy_message,
    refused_at_commit_message,
    run_import,
)
from aldea.interop.importers.registries import EnterpriseImporter, OutcomeImporter, PersonImporter
from aldea.interop.importers.rejects import open_rejects
from aldea.interop.importers.writing import ImportBusy, take_import_lock
from aldea.interop.models import KoboSubmission
from aldea.interop.readers import FileRefused, Table, TableFormat, clean_text

FORMS = ("registration", "diagnostic", "outcome", "attendance")
UUID_COLUMNS = ("_uuid", "meta/instanceID", "instanceID", "meta-instanceID", "KEY", "uuid")
# In a Central zip, KEY comes first: it is what PARENT_KEY points at, and it stays the same when a
# submission is edited in Central (meta-instanceID changes with each edit).
CENTRAL_KEY_COLUMNS = ("KEY", *UUID_COLUMNS)

ZIP_MAGIC = b"PK\x03\x04"
# Read from the zip's directory before a byte is inflated; zipfile never inflates a member past
# its declared size, so these bound memory and time even for a crafted archive (a "zip bomb").
MAX_MEMBER_BYTES = 200 * 1024 * 1024
# Deflate packs real export CSVs 5-20:1 (UUIDs and timestamps do not compress); a sizeable member
# packed hundreds of times smaller is filler made to explode.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# What reading a damaged member can raise: bad CRC, broken deflate stream, cut-off data, a
# compression method Python lacks (Windows' Deflate64).
ZIP_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


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


def export_kind(path) -> str:
    """``zip`` for an ODK Central zip of CSVs, whatever its extension; otherwise the file's table
    kind (``csv``, ``xlsx``, ``parquet``). An XLSX workbook is a zip too, told apart by its
    ``[Content_Types].xml``."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(len(ZIP_MAGIC))
    if head == ZIP_MAGIC or path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                is_workbook = "[Content_Types].xml" in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            # Let the XLSX reader refuse a broken workbook in its own words.
            is_workbook = path.suffix.lower() in {".xlsx", ".xlsm"}
        return "xlsx" if is_workbook else "zip"
    return readers.detect_kind(path)


def read_submissions(path) -> list[Submission]:
    """The submissions in an export, with their repeat groups; raises FileRefused."""
    path = Path(path)
    if not path.is_file():
        raise FileRefused(_("%(file)s: no such file") % {"file": path.name})
    kind = export_kind(path)
    if kind == "zip":
        return _read_central_zip(path)
    if kind == "parquet":
        raise FileRefused(_("Kobo/ODK exports are CSV, XLSX or an ODK Central zip"))
    sheets = [None]
    if kind == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True)
            sheets = workbook.sheetnames
            workbook.close()
        except Exception as exc:
            raise FileRefused(_("%(file)s: cannot be read as %(kind)s (%(error)s)") % {
                "file": path.name, "kind": "XLSX", "error": exc.__class__.__name__}) from exc
    with readers.open_table(path, sheet=sheets[0]) as table:
        submissions = _read_main(table, path.name, UUID_COLUMNS)
    by_uuid = {s.uuid: s for s in submissions}
    by_index = {clean_text(s.fields["_index"]): s for s in submissions if "_index" in s.fields}
    for sheet in sheets[1:]:
        with readers.open_table(path, sheet=sheet) as table:
            headers = table.headers
            names = [field_name(h) for h in headers]
            for line, values in table.rows:
                fields = dict(zip(names, values, strict=False))
                parent = by_uuid.get(_uuid(fields.get("_submission__uuid", ""))) or by_index.get(clean_text(fields.get("_parent_index", "")))
                if parent is None:
                    raise FileRefused(_("%(file)s: sheet %(sheet)r line %(line)s belongs to no submission")
                                      % {"file": path.name, "sheet": sheet, "line": line})
                parent.repeats.setdefault(sheet, []).append((line, fields))
    return submissions


def _read_main(table, label, key_columns) -> list[Submission]:
    """One Submission per row of the main table, keyed by the first of ``key_columns`` present."""
    headers = table.headers
    key_index = next((headers.index(h) for h in key_columns if h in headers), None)
    if key_index is None:
        raise FileRefused(_("%(file)s: no submission UUID column (%(columns)s)") % {"file": label, "columns": ", ".join(key_columns)})
    names = [field_name(h) for h in headers]
    submissions = []
    for line, values in table.rows:
        fields = {n: v for n, v in zip(names, values, strict=False) if n}
        submissions.append(Submission(line, _uuid(values[key_index] if key_index < len(values) else ""), fields))
    return submissions


def _read_central_zip(path: Path) -> list[Submission]:
    """ODK Central's "all submissions" zip: ``FORM.csv`` with one row per submission (``KEY``) and
    ``FORM-REPEAT.csv`` per repeat group, each row naming its parent in ``PARENT_KEY``: the
    submission's ``KEY`` or, in a nested repeat, the parent repeat row's ``KEY``. Every repeat row
    is attached to its submission under the repeat's name, as the XLSX sheets are. Members are
    read in memory, never extracted, so their names cannot reach the file system.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRefused(_("%(file)s: cannot be read as a ZIP archive (%(error)s)") % {
            "file": path.name, "error": readers.without_paths(str(exc), path, path.name)}) from exc
    with archive:
        members = _csv_members(path, archive)
        headers = {}
        for info in members:
            with _open_member(path, archive, info) as table:
                headers[info.filename] = table.headers
        main = _main_member(path, members, headers)
        with _open_member(path, archive, main) as table:
            submissions = _read_main(table, f"{path.name}: {main.filename}", CENTRAL_KEY_COLUMNS)
        form_id = PurePosixPath(main.filename).stem
        # Read every repeat file before linking: a nested repeat's file may come before its parent's.
        parent_of, repeat_rows = {}, []
        for info in members:
            if info is main:
                continue
            if "PARENT_KEY" not in headers[info.filename]:
                raise FileRefused(_("%(file)s: %(member)s has no PARENT_KEY column, so it is not a repeat group of %(main)s")
                                  % {"file": path.name, "member": info.filename, "main": main.filename})
            stem = PurePosixPath(info.filename).stem
            repeat = stem[len(form_id) + 1:] if stem.startswith(f"{form_id}-") else stem
            with _open_member(path, archive, info) as table:
                names = [field_name(h) for h in table.headers]
                for line, values in table.rows:
                    fields = dict(zip(names, values, strict=False))
                    parent_key = clean_text(fields.get("PARENT_KEY", ""))
                    if key := _uuid(fields.get("KEY", "")):
                        parent_of[key] = _uuid(parent_key)
                    repeat_rows.append((info.filename, repeat, line, parent_key, fields))
    by_key = {s.uuid: s for s in submissions}
    for member, repeat, line, parent_key, fields in repeat_rows:
        submission = _submission_of(_uuid(parent_key), by_key, parent_of)
        if submission is None:
            raise FileRefused(_("%(file)s: %(member)s line %(line)s: PARENT_KEY %(key)r matches no submission in %(main)s")
                              % {"file": path.name, "member": member, "line": line, "key": parent_key, "main": main.filename})
        submission.repeats.setdefault(repeat, []).append((line, fields))
    return submissions


def _submission_of(key, by_key, parent_of):
    """Walk PARENT_KEY links up to the submission; None when the chain breaks or loops."""
    visited = set()
    while key not in by_key:
        if key in visited or key not in parent_of:
            return None
        visited.add(key)
        key = parent_of[key]
    return by_key[key]


def _csv_members(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The zip's data CSVs (not attachments under ``media/``), each checked before it is read."""
    members = []
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
            raise FileRefused(_("%(file)s: %(member)r has an unsafe path (absolute or with '..'); an ODK Central export never has one")
                              % {"file": path.name, "member": info.filename})
        if (info.is_dir() or not name.lower().endswith(".csv") or "media" in parts[:-1]
                or "__MACOSX" in parts or parts[-1].startswith("._")):
            continue
        label = f"{path.name}: {info.filename}"
        if info.flag_bits & 0x1:
            raise FileRefused(_("%(file)s is password-protected; download the export from Central again") % {"file": label})
        if info.file_size > MAX_MEMBER_BYTES:
            raise FileRefused(_("%(file)s is %(size)s MB uncompressed, above the %(limit)s MB limit; export fewer submissions at a time")
                              % {"file": label, "size": info.file_size // 2**20, "limit": MAX_MEMBER_BYTES // 2**20})
        if info.file_size > RATIO_CHECKED_FROM_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise FileRefused(_("%(file)s expands %(ratio)s times when unzipped; no real export does (a zip bomb?)")
                              % {"file": label, "ratio": info.file_size // max(info.compress_size, 1)})
        members.append(info)
    if not members:
        raise FileRefused(_("%(file)s: no CSV file in the zip (an ODK Central export holds FORM.csv and one FORM-REPEAT.csv per repeat group)")
                          % {"file": path.name})
    return members


def _main_member(path: Path, members, headers) -> zipfile.ZipInfo:
    """The main form's CSV: the one whose name prefixes all others (``FORM`` before ``FORM-REPEAT``);
    failing that, the only one without a PARENT_KEY column."""
    stems = [PurePosixPath(info.filename).stem for info in members]
    prefixing = [info for info, stem in zip(members, stems, strict=True)
                 if all(other == stem or other.startswith(f"{stem}-") for other in stems)]
    candidates = prefixing if len(prefixing) == 1 else [i for i in members if "PARENT_KEY" not in headers[i.filename]]
    if len(candidates) != 1:
        raise FileRefused(_("%(file)s: cannot tell which CSV holds the submissions (%(members)s); expected FORM.csv beside FORM-REPEAT.csv files")
                          % {"file": path.name, "members": ", ".join(i.filename for i in members)})
    main = candidates[0]
    if "PARENT_KEY" in headers[main.filename]:
        raise FileRefused(_("%(file)s: %(member)s has a PARENT_KEY column, so it is a repeat group; the zip holds no main form CSV")
                          % {"file": path.name, "member": main.filename})
    return main


def _open_member(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Table:
    """A CSV inside the zip, streamed with the same encoding and delimiter sniffing as CSV files."""
    return readers.csv_table(f"{path.name}: {info.filename}", lambda: archive.open(info), Path(info.filename),
                             read_errors=ZIP_READ_ERRORS, expands=True)


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
    report.format = export_kind(path)
    report.read = len(submissions)
    try:
        with transaction.atomic():
            # Under the import lock, so that two imports of one export cannot both find its
            # submissions new (a dry run writes and rolls back, so it waits too).
            take_import_lock()
            fresh = _fresh_submissions(submissions, report)
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
    except ImportBusy:
        report.file_error, report.committed = busy_message(), False
    except (IntegrityError, OperationalError) as exc:
        report.file_error, report.committed = refused_at_commit_message(exc), False
    trail.record_import(report, model=KoboSubmission)  # a command's: the system's
    if rejects_path:
        _write_rejects(rejects_path, report)
    return report


def _fresh_submissions(submissions, report):
    """The submissions to import: not imported before, not rejected by a reviewer, not repeated."""
    seen = set(KoboSubmission.objects.filter(uuid__in=[s.uuid for s in submissions]).values_list("uuid", flat=True))
    fresh, duplicates = [], set()
    for submission in submissions:
        if _is_rejected_in_review(submission):
            report.skipped += 1
        elif not submission.uuid:
            report.errors.append(RowError(submission.line, "_uuid", "", Reason.MISSING, _("each submission needs its UUID")))
            report.rejected += 1
        elif submission.uuid in seen:
            report.unchanged += 1
        elif submission.uuid in duplicates:
            report.errors.append(RowError(submission.line, "_uuid", submission.uuid, Reason.DUPLICATE,
                                          _("the same submission appears twice")))
            report.rejected += 1
        else:
            duplicates.add(submission.uuid)
            fresh.append(submission)
    if report.skipped:
        report.notes.append(_("%(count)s submission(s) skipped: rejected by a reviewer in ODK Central (ReviewState)")
                            % {"count": report.skipped})
    return fresh


def _is_rejected_in_review(submission) -> bool:
    # Central reviewers mark bad submissions "rejected" rather than delete them; they stay in the
    # export. Not recorded as imported, so one later approved is imported then.
    return clean_text(submission.fields.get("ReviewState", "")).lower() == "rejected"


def _merge(report, sub_report):
    """Fold a registry import's report into the Kobo report; return the lines it rejected."""
    if sub_report.file_error:
        raise FileRefused(sub_report.file_error)
    report.created += sub_report.created
    report.updated += sub_report.updated
    for counts, sub_counts in ((report.programme_rows, sub_report.programme_rows),
                               (report.enterprise_rows, sub_report.enterprise_rows)):
        for key, rows in sub_counts.items():
            counts[key] = counts.get(key, 0) + rows
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
            errors.append(RowError(s.line, "enterprise", code, Reason.UNKNOWN, _("no MSME with code %(code)r") % {"code": code}))
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
    from aldea.training.services import record_attendance

    accepted = []
    for s in submissions:
        errors = []
        cohort_code = clean_text(s.fields.get("cohort", ""))
        cohort = Cohort.objects.filter(code=cohort_code).first()
        if cohort is None:
            errors.append(RowError(s.line, "cohort", cohort_code, Reason.UNKNOWN if cohort_code else Reason.MISSING, _("no cohort with that code")))
        try:
            number = readers.parse_int(s.fields.get("session_number", ""))
            if not 1 <= number <= 200:
                errors.append(RowError(s.line, "session_number", str(number), Reason.OUT_OF_RANGE, _("between 1 and 200")))
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
            enrolments = {e.person_id: e for e in Enrolment.objects.filter(cohort=cohort, person_id__in=people.values())}
            for line, f in attendees:
                folio = clean_text(f.get("folio", ""))
                status = readers.normalise_header(clean_text(f.get("status", "")))
                status = {"presente": "present", "ausente": "absent", "justificada": "excused"}.get(status, status)
                if status not in Attendance.Status.values:
                    errors.append(RowError(line, "status", status, Reason.BAD_VALUE, _("present, absent or excused")))
                elif folio not in people:
                    errors.append(RowError(line, "folio", folio, Reason.UNKNOWN, _("no person with that registration number")))
                elif people[folio] not in enrolments:
                    errors.append(RowError(line, "folio", folio, Reason.UNKNOWN, _("not enrolled in cohort %(cohort)s") % {"cohort": cohort_code}))
                else:
                    marks.append((enrolments[people[folio]], status))
        if errors:
            report.errors.extend(errors)
            report.rejected += 1
            continue
        session, _created = TrainingSession.objects.get_or_create(cohort=cohort, number=number, defaults={"held_on": held_on})
        known = set(Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True))
        for enrolment, status in marks:
            # The one write path for attendance (its rules; no user: it came from a form export).
            record_attendance(session=session, enrolment=enrolment, status=status)
            report.created += enrolment.id not in known
            report.updated += enrolment.id in known
        accepted.append((s, {"cohort": cohort_code, "session": number}))
    return accepted


IMPORTS = {
    "registration": _import_registration,
    "outcome": _import_outcome,
    "diagnostic": _import_diagnostic,
    "attendance": _import_attendance,
}


def _write_rejects(path, report, fmt=None):
    """One row per error (line, column as the file names it, value, reason, detail), in the
    source's dialect when it was a CSV (``fmt``), the reasons in the user's language."""
    fh, writer = open_rejects(path, fmt)
    with fh:
        writer.writerow(["_line", "column", "value", "reason", "detail"])
        for error in report.errors:
            writer.writerow([error.line, readers.neutralise(error.label), readers.neutralise(error.value),
                             error.reason_text, readers.neutralise(error.detail)])
