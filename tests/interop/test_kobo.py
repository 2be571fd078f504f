"""KoboToolbox / ODK exports of Aldea's forms: CSV and XLSX with repeat sheets, idempotent by UUID."""

import datetime

import pytest
from django.core.management import call_command
from interop_files import write_csv, write_xlsx

from aldea.accounts.models import Person
from aldea.diagnostics.instrument import ensure_default_instrument, load_instrument_file
from aldea.diagnostics.models import Assessment
from aldea.enterprises.models import Enterprise
from aldea.interop.importers.base import Reason
from aldea.interop.kobo import import_kobo
from aldea.interop.models import KoboSubmission, PersonReference
from aldea.outcomes.models import OutcomeRecord
from aldea.training.models import Attendance, Cohort, Course, Enrolment

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
