"""KoboToolbox / ODK exports of Aldea's forms: CSV, XLSX with repeat sheets and ODK Central's zip of CSVs,
idempotent by UUID."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from interop_files import write_csv, write_xlsx

from aldea.accounts.models import Person
from aldea.diagnostics.instrument import ensure_default_instrument, load_instrument_file
from aldea.diagnostics.models import Assessment
from aldea.enterprises.models import Enterprise
from aldea.interop import kobo
from aldea.interop.importers.base import Reason
from aldea.interop.kobo import import_kobo, read_submissions
from aldea.interop.models import KoboSubmission, PersonReference
from aldea.outcomes.models import OutcomeRecord
from aldea.training.models import Attendance, Cohort, Course, Enrolment, TrainingSession

META = ["_id", "_uuid", "_submission_time", "_index"]
REGISTRATION_HEADERS = [
    "start", "end", "today", "folio", "village", "owner/given_name", "owner/family_name", "owner/sex", "owner/birth_year",
    "owner/speaks_indigenous_language", "owner/indigenous_language", "owner/phone", "owner/has_contact_consent",
    "business/business_name", "business/sector", "business/speciality", "business/formal_status", "business/employees",
    "business/founded_year", "business/is_women_led", "business/baseline_channels", "business/locality", "enterprise_code", *META,
]


def registration_row(n, folio, uuid, **overrides):
    row = {
        "start": "2025-03-04T10:00:00.000-06:00", "end": "2025-03-04T10:20:00.000-06:00", "today": "2025-03-04",
        "folio": folio, "village": "teotitlan", "owner/given_name": "Juana", "owner/family_name": "Bautista",
        "owner/sex": "female", "owner/birth_year": "1979", "owner/speaks_indigenous_language": "yes",
        "owner/indigenous_language": "Zapoteco", "owner/phone": "9511234567", "owner/has_contact_consent": "yes",
        "business/business_name": "Tapetes Bautista", "business/sector": "textiles", "business/speciality": "Tapetes",
        "business/formal_status": "informal", "business/employees": "4", "business/founded_year": "2001",
        "business/is_women_led": "yes", "business/baseline_channels": "physical social", "business/locality": "205460001",
        "enterprise_code": f"teotitlan-{folio}", "_id": str(n), "_uuid": uuid, "_submission_time": "2025-03-04T16:21:00", "_index": str(n),
    }
    row.update(overrides)
    return [row[h] for h in REGISTRATION_HEADERS]


def test_kobo_registration_xlsx_creates_people_and_enterprises_once(tmp_path, programme):
    path = write_xlsx(tmp_path / "Registro_de_MIPYME_-_all_versions_-_False_-_2025-03-05.xlsx", {
        "Registro de MIPYME": [REGISTRATION_HEADERS,
                               registration_row(1, "F-001", "0a1b2c3d-0000-4000-8000-000000000001"),
                               registration_row(2, "F-002", "0a1b2c3d-0000-4000-8000-000000000002",
                                                **{"owner/given_name": "Rosa", "business/business_name": "Rosa Textil"})],
    })
    report = import_kobo("registration", path)
    assert report.ok, [str(e) for e in report.errors]
    juana = PersonReference.objects.get(external_id="F-001").person
    assert juana.has_contact_consent and juana.contact_consent_on == datetime.date(2025, 3, 4)
    enterprise = Enterprise.objects.get(code="teotitlan-F-001")
    assert enterprise.owner == juana and enterprise.municipality.code == "20546"
    assert enterprise.baseline_channels == ["physical", "social"]
    assert KoboSubmission.objects.count() == 2

    again = import_kobo("registration", path)
    assert (again.unchanged, again.created, again.updated, again.rejected) == (2, 0, 0, 0)
    assert Person.objects.count() == 2 and Enterprise.objects.count() == 2


def test_kobo_registration_rejects_name_the_submission_line(tmp_path, programme):
    path = write_xlsx(tmp_path / "reg.xlsx", {"Registro": [
        REGISTRATION_HEADERS,
        registration_row(1, "F-010", "u-1", **{"owner/birth_year": "1850"}),
        registration_row(2, "F-011", "u-2", village="atlantida"),
        registration_row(3, "F-012", "u-3"),
    ]})
    report = import_kobo("registration", path)
    assert [(e.line, e.column, e.reason) for e in report.errors] == [(2, "birth_year", Reason.OUT_OF_RANGE), (3, "village", Reason.UNKNOWN)]
    assert report.rejected == 2
    assert list(KoboSubmission.objects.values_list("uuid", flat=True)) == ["u-3"]


def test_kobo_outcome_csv_with_semicolons(tmp_path, programme):
    Enterprise.objects.create(programme=programme, village=programme.villages.first(), code="e1", name="E1",
                              municipality=programme.villages.first().municipality, sector="crafts")
    path = write_csv(tmp_path / "resultados.csv", [
        ["start", "end", "enterprise", "month", "total_sales", "sells_online", "online_sales", "orders", "units", "employees", "export_markets", "_uuid", "_index"],
        ["2025-02-03", "2025-02-03", "e1", "2025-01-01", "1200.5", "yes", "300", "3", "10", "2", "0", "uuid:aaa", "1"],
        ["2025-02-03", "2025-02-03", "e1", "2025-02-01", "800", "no", "", "", "5", "2", "0", "uuid:bbb", "2"],
    ], delimiter=";")
    report = import_kobo("outcome", path)
    assert report.ok, [str(e) for e in report.errors]
    assert OutcomeRecord.objects.count() == 2
    assert OutcomeRecord.objects.get(month=datetime.date(2025, 2, 1)).online_sales == 0
    assert import_kobo("outcome", path).unchanged == 2


def test_kobo_diagnostic_records_scored_assessments(tmp_path, programme):
    ensure_default_instrument()
    Enterprise.objects.create(programme=programme, village=programme.villages.first(), code="e1", name="E1",
                              municipality=programme.villages.first().municipality, sector="crafts")
    spec = load_instrument_file()
    questions = [(d["code"], q["code"]) for d in spec["dimensions"] for q in d["questions"]]
    headers = ["start", "enterprise", "assessed_on", *(f"{d}/{q}" for d, q in questions), "_uuid"]
    full = ["2025-03-01", "e1", "2025-03-01", *["3"] * len(questions), "d-1"]
    missing = ["2025-03-01", "e1", "2025-03-01", *["3"] * (len(questions) - 1), "", "d-2"]
    report = import_kobo("diagnostic", write_xlsx(tmp_path / "diag.xlsx", {"Diagnóstico": [headers, full, missing]}))
    assert report.rejected == 1 and report.errors[0].reason == Reason.MISSING and report.errors[0].line == 3
    assessment = Assessment.objects.get()
    assert assessment.answers.count() == len(questions) and float(assessment.score) == 75.0


def test_kobo_attendance_reads_the_repeat_group_sheet(tmp_path, programme):
    course = Course.objects.create(programme=programme, code="ecommerce-1", title="Vender en línea", level="msme_workshop")
    cohort = Cohort.objects.create(course=course, code="teo-2025-1", village=programme.villages.first(),
                                   starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 5, 1))
    for folio, name in (("F-001", "Juana"), ("F-002", "Rosa")):
        person = Person.objects.create(given_name=name)
        PersonReference.objects.create(person=person, external_id=folio)
        Enrolment.objects.create(cohort=cohort, person=person, enrolled_on=datetime.date(2025, 3, 1))
    path = write_xlsx(tmp_path / "asistencia.xlsx", {
        "Asistencia a sesión": [["start", "cohort", "session_number", "held_on", "_uuid", "_index"],
                                ["2025-03-08", "teo-2025-1", 1, datetime.date(2025, 3, 8), "s-1", 1]],
        "attendee": [["attendee/folio", "attendee/status", "_index", "_parent_table_name", "_parent_index", "_submission__uuid"],
                     ["F-001", "present", 1, "Asistencia a sesión", 1, "s-1"],
                     ["F-002", "absent", 2, "Asistencia a sesión", 1, "s-1"]],
    })
    call_command("import", "kobo", str(path), "--form", "attendance")
    assert dict(Attendance.objects.values_list("enrolment__person__given_name", "status")) == {"Juana": "present", "Rosa": "absent"}
    assert import_kobo("attendance", path).unchanged == 1
    assert Attendance.objects.count() == 2


def test_kobo_dry_run_writes_nothing(tmp_path, programme):
    path = write_xlsx(tmp_path / "reg.xlsx", {"Registro": [REGISTRATION_HEADERS, registration_row(1, "F-001", "u-1")]})
    report = import_kobo("registration", path, dry_run=True)
    assert report.ok and report.written == 0
    assert Person.objects.count() == Enterprise.objects.count() == KoboSubmission.objects.count() == 0


@pytest.mark.parametrize("form", ["registration", "outcome"])
def test_kobo_export_without_uuids_is_refused(tmp_path, programme, form):
    path = write_csv(tmp_path / "x.csv", [["enterprise", "month"], ["e1", "2025-01"]])
    assert "UUID" in import_kobo(form, path).file_error


# --- ODK Central "all submissions" zip ---------------------------------------------------------

CENTRAL_ATTENDANCE_HEADERS = [
    "SubmissionDate", "start", "end", "cohort", "session_number", "held_on", "meta-instanceID", "KEY", "SubmitterID",
    "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
]
CENTRAL_ATTENDEE_HEADERS = ["folio", "status", "PARENT_KEY", "KEY"]
SESSION_1 = "uuid:0f3c9a7e-5b1d-4c2a-9e8f-1a2b3c4d5e01"
SESSION_2 = "uuid:0f3c9a7e-5b1d-4c2a-9e8f-1a2b3c4d5e02"


def central_session(key, number, held_on, review_state=""):
    return [f"{held_on}T18:42:10.512Z", f"{held_on}T10:02:11.000-06:00", f"{held_on}T12:15:40.000-06:00", "teo-2025-1",
            str(number), held_on, key, key, "7", "Brigada Teotitlán (Lupita Ruiz)", "0", "0", "", review_state,
            "collect:Xq3mPz81KdLr5", "0", "2025010101"]


def central_csv(rows, *, bom=False):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def write_zip(path, members, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def central_attendance_zip(path, *, review_states=("", ""), attendees=None, compression=zipfile.ZIP_DEFLATED):
    """Two sessions of cohort teo-2025-1 as Central exports them: session 1 with Juana present and
    Rosa absent, session 2 with Juana present and Inés excused."""
    attendees = attendees or [
        ["F-001", "present", SESSION_1, f"{SESSION_1}/attendee[1]"],
        ["F-002", "absent", SESSION_1, f"{SESSION_1}/attendee[2]"],
        ["F-001", "present", SESSION_2, f"{SESSION_2}/attendee[1]"],
        ["F-003", "excused", SESSION_2, f"{SESSION_2}/attendee[2]"],
    ]
    return write_zip(path, {
        "aldea_attendance.csv": central_csv([CENTRAL_ATTENDANCE_HEADERS,
                                             central_session(SESSION_1, 1, "2025-03-08", review_states[0]),
                                             central_session(SESSION_2, 2, "2025-03-15", review_states[1])], bom=True),
        "aldea_attendance-attendee.csv": central_csv([CENTRAL_ATTENDEE_HEADERS, *attendees]),
    }, compression)


@pytest.fixture
def cohort(programme):
    course = Course.objects.create(programme=programme, code="ecommerce-1", title="Vender en línea", level="msme_workshop")
    cohort = Cohort.objects.create(course=course, code="teo-2025-1", village=programme.villages.first(),
                                   starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 5, 1))
    for folio, name in (("F-001", "Juana"), ("F-002", "Rosa"), ("F-003", "Inés")):
        person = Person.objects.create(given_name=name)
        PersonReference.objects.create(person=person, external_id=folio)
        Enrolment.objects.create(cohort=cohort, person=person, enrolled_on=datetime.date(2025, 3, 1))
    return cohort


def marks():
    return {(a.session.number, a.enrolment.person.given_name): a.status
            for a in Attendance.objects.select_related("session", "enrolment__person")}


def nothing_written():
    return TrainingSession.objects.count() == Attendance.objects.count() == KoboSubmission.objects.count() == 0


def test_central_zip_attendance_links_repeat_rows_to_their_session_once(tmp_path, cohort):
    path = central_attendance_zip(tmp_path / "aldea_attendance.csv.zip")
    # Central adds attachments under media/ when asked; a CSV there is an answer, not a table.
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("media/1741452131000.jpg", b"\xff\xd8\xff\xe0 foto de la sesion")
        archive.writestr("media/lista_de_asistencia.csv", "nombre,firma\nJuana,sí\n")
    assert nothing_written()

    report = import_kobo("attendance", path)
    assert report.ok, report.file_error or [str(e) for e in report.errors]
    assert report.format == "zip" and (report.read, report.created) == (2, 4)
    assert marks() == {(1, "Juana"): "present", (1, "Rosa"): "absent", (2, "Juana"): "present", (2, "Inés"): "excused"}
    assert sorted(KoboSubmission.objects.values_list("uuid", flat=True)) == [SESSION_1[5:], SESSION_2[5:]]

    again = import_kobo("attendance", path)
    assert (again.unchanged, again.created, again.updated, again.rejected) == (2, 0, 0, 0)
    assert (TrainingSession.objects.count(), Attendance.objects.count(), KoboSubmission.objects.count()) == (2, 4, 2)


def test_central_zip_skips_submissions_rejected_in_review(tmp_path, cohort):
    path = central_attendance_zip(tmp_path / "aldea_attendance.zip", review_states=("hasIssues", "rejected"))
    report = import_kobo("attendance", path)
    assert report.ok and (report.read, report.skipped, report.unchanged) == (2, 1, 0)
    assert any("rejected" in note for note in report.notes)
    assert marks() == {(1, "Juana"): "present", (1, "Rosa"): "absent"}
    assert list(KoboSubmission.objects.values_list("uuid", flat=True)) == [SESSION_1[5:]]
    assert import_kobo("attendance", path).skipped == 1
    assert Attendance.objects.count() == 2
    out = io.StringIO()
    call_command("import", "kobo", str(path), "--form", "attendance", stdout=out)
    assert "note:" in out.getvalue() and "rejected" in out.getvalue()  # the command says why rows were skipped


def test_central_zip_repeat_row_without_its_submission_is_refused_naming_file_and_line(tmp_path, cohort):
    path = central_attendance_zip(tmp_path / "aldea_attendance.zip", attendees=[
        ["F-001", "present", SESSION_1, f"{SESSION_1}/attendee[1]"],
        ["F-002", "absent", "uuid:ffffffff-0000-4000-8000-000000000099", "uuid:ffffffff-0000-4000-8000-000000000099/attendee[1]"],
    ])
    report = import_kobo("attendance", path)
    assert "aldea_attendance-attendee.csv line 3" in report.file_error
    assert "ffffffff-0000-4000-8000-000000000099" in report.file_error
    assert nothing_written()


def test_central_zip_truncated_is_refused(tmp_path, cohort):
    whole = central_attendance_zip(tmp_path / "whole.zip").read_bytes()
    path = tmp_path / "aldea_attendance.zip"
    path.write_bytes(whole[: len(whole) // 2])
    assert "cannot be read as a ZIP archive" in import_kobo("attendance", path).file_error
    assert nothing_written()


def test_central_zip_member_with_damaged_data_is_refused_naming_it(tmp_path, cohort):
    path = central_attendance_zip(tmp_path / "aldea_attendance.zip", compression=zipfile.ZIP_STORED)
    data = path.read_bytes()
    assert data.count(b"F-003") == 1
    path.write_bytes(data.replace(b"F-003", b"F-00\x83"))  # the CRC no longer matches
    report = import_kobo("attendance", path)
    assert "aldea_attendance-attendee.csv: cannot be read" in report.file_error and "CRC" in report.file_error
    assert nothing_written()


@pytest.mark.parametrize("name", ["asistencia.csv", "asistencia.xlsx", "asistencia"])
def test_central_zip_is_read_by_its_content_whatever_its_extension(tmp_path, cohort, name):
    path = central_attendance_zip(tmp_path / name)
    report = import_kobo("attendance", path)
    assert report.ok, report.file_error or [str(e) for e in report.errors]
    assert report.format == "zip" and Attendance.objects.count() == 4


def test_central_zip_refuses_members_too_large_to_unzip(tmp_path, cohort, monkeypatch):
    monkeypatch.setattr(kobo, "MAX_MEMBER_BYTES", 300)
    report = import_kobo("attendance", central_attendance_zip(tmp_path / "aldea_attendance.zip"))
    assert "aldea_attendance.csv is 0 MB uncompressed, above the 0 MB limit" in report.file_error
    monkeypatch.undo()

    filler = central_csv([CENTRAL_ATTENDEE_HEADERS, *([""] * 3 + [SESSION_1] for _ in range(40_000))])
    path = write_zip(tmp_path / "bomba.zip", {
        "aldea_attendance.csv": central_csv([CENTRAL_ATTENDANCE_HEADERS, central_session(SESSION_1, 1, "2025-03-08")]),
        "aldea_attendance-attendee.csv": filler,
    })
    report = import_kobo("attendance", path)
    assert "aldea_attendance-attendee.csv expands" in report.file_error and "zip bomb" in report.file_error
    assert nothing_written()


def test_central_zip_refuses_member_paths_that_climb_out(tmp_path, cohort):
    path = write_zip(tmp_path / "aldea_attendance.zip", {
        "aldea_attendance.csv": central_csv([CENTRAL_ATTENDANCE_HEADERS, central_session(SESSION_1, 1, "2025-03-08")]),
        "../../aldea_attendance-attendee.csv": central_csv([CENTRAL_ATTENDEE_HEADERS]),
    })
    assert "unsafe path" in import_kobo("attendance", path).file_error
    assert not (tmp_path.parent / "aldea_attendance-attendee.csv").exists()
    assert nothing_written()


@pytest.mark.parametrize(("members", "message"), [
    ({"media/1741452131000.jpg": b"\xff\xd8\xff\xe0"}, "no CSV file in the zip"),
    ({"asistencia_marzo.csv": "KEY,cohort\nuuid:a,teo-2025-1\n", "asistencia_abril.csv": "KEY,cohort\nuuid:b,teo-2025-1\n"},
     "cannot tell which CSV holds the submissions"),
    ({"aldea_attendance-attendee.csv": "folio,status,PARENT_KEY,KEY\nF-001,present,uuid:a,uuid:a/attendee[1]\n"},
     "the zip holds no main form CSV"),
])
def test_central_zip_without_a_main_form_csv_is_refused(tmp_path, cohort, members, message):
    report = import_kobo("attendance", write_zip(tmp_path / "aldea_attendance.zip", members))
    assert message in report.file_error
    assert nothing_written()


def test_central_zip_nested_repeat_rows_reach_their_submission(tmp_path):
    # A household survey shape: members repeat, each with a nested crops repeat; crops.csv sorts
    # (and is stored) before members.csv, so linking must not depend on file order.
    a, b = "uuid:aaaaaaaa-0000-4000-8000-000000000001", "uuid:bbbbbbbb-0000-4000-8000-000000000002"
    path = write_zip(tmp_path / "hogares.zip", {
        "hogares-cultivos.csv": central_csv([["cultivo", "PARENT_KEY", "KEY"],
                                             ["maíz", f"{b}/miembros[1]", f"{b}/miembros[1]/cultivos[1]"],
                                             ["frijol", f"{a}/miembros[2]", f"{a}/miembros[2]/cultivos[1]"]]),
        "hogares.csv": central_csv([["SubmissionDate", "hogar-comunidad", "meta-instanceID", "KEY", "ReviewState"],
                                    ["2025-03-08T18:42:10.512Z", "Teotitlán", a, a, ""],
                                    ["2025-03-09T18:42:10.512Z", "Arrazola", b, b, "approved"]]),
        "hogares-miembros.csv": central_csv([["nombre", "PARENT_KEY", "KEY"],
                                             ["Juana", a, f"{a}/miembros[1]"], ["Rosa", a, f"{a}/miembros[2]"],
                                             ["Inés", b, f"{b}/miembros[1]"]]),
    })
    first, second = read_submissions(path)
    assert (first.uuid, first.fields["comunidad"], second.fields["comunidad"]) == (a[5:], "Teotitlán", "Arrazola")
    assert [(line, f["nombre"]) for line, f in first.repeats["miembros"]] == [(2, "Juana"), (3, "Rosa")]
    assert [f["cultivo"] for _, f in first.repeats["cultivos"]] == ["frijol"]
    assert [f["nombre"] for _, f in second.repeats["miembros"]] == ["Inés"]
    assert [(line, f["cultivo"]) for line, f in second.repeats["cultivos"]] == [(2, "maíz")]


def test_a_kobo_import_is_on_the_audit_trail_per_programme(tmp_path, programme):
    from aldea.ops.models import AuditEntry

    path = write_xlsx(tmp_path / "registro.xlsx", {"Registro de MIPYME": [
        REGISTRATION_HEADERS, registration_row(1, "F-001", "0a1b2c3d-0000-4000-8000-000000000001")]})
    import_kobo("registration", path, dry_run=True)
    assert not AuditEntry.objects.filter(door="import").exists()
    import_kobo("registration", path)
    entry = AuditEntry.objects.get(door="import", programme_id=programme.pk)
    assert entry.actor is None and entry.rows >= 1 and entry.additional_data["kind"] == "kobo registration"
