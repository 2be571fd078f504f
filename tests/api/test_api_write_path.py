"""The API writes through the services: certificates, stage moves, village statuses, attendance
and enrolments obey the same rules as the pages, and what a service owns no client can set."""

import datetime

import pytest
from django.utils import timezone

from aldea.accounts.models import Role
from aldea.consulting.models import Engagement, StageChange
from aldea.programmes.models import Village, VillageStatusChange
from aldea.training.models import Attendance, Certificate, Enrolment
from aldea.training.services import CERTIFICATE_CODE
from tests import factories as f


@pytest.fixture
def cohort(world):
    """A cohort of the main programme, trained by the trainer persona, with four sessions."""
    cohort = f.CohortFactory(
        course=f.CourseFactory(programme=world.programme), village=world.village, trainers=[world.trainer.person]
    )
    for number in range(1, 5):
        f.TrainingSessionFactory(cohort=cohort, number=number)
    return cohort


def _participant(world, cohort, *, attended: int, score=None):
    person = f.MembershipFactory(programme=world.programme, role=Role.CONSULTANT).person
    enrolment = f.EnrolmentFactory(cohort=cohort, person=person)
    for session in cohort.sessions.order_by("number"):
        status = "present" if session.number <= attended else "absent"
        f.AttendanceFactory(session=session, enrolment=enrolment, status=status)
    if score is not None:
        f.AssessmentResultFactory(enrolment=enrolment, score=score)
    return enrolment


# --- certificates -----------------------------------------------------------------------------


def test_the_api_refuses_a_certificate_the_rules_refuse(world, cohort, api_client_for):
    enrolment = _participant(world, cohort, attended=2)  # 2 of 4 sessions, no score

    response = api_client_for(world.manager).post("/api/certificates/", {"enrolment": enrolment.pk}, format="json")

    assert response.status_code == 400
    message = response.json()["non_field_errors"][0]
    assert "attended 2 of 4 sessions (needs 80%)" in message and "has no assessment result" in message
    assert not Certificate.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_the_api_issues_a_certificate_with_a_code_it_draws(world, cohort, api_client_for):
    enrolment = _participant(world, cohort, attended=4, score=90)

    response = api_client_for(world.trainer).post("/api/certificates/", {"enrolment": enrolment.pk}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert CERTIFICATE_CODE.match(body["code"])
    assert (body["issued_by"], body["issued_on"]) == ("trainer", timezone.localdate().isoformat())
    certificate = Certificate.objects.get()
    assert certificate.code == body["code"] and certificate.issued_by == world.trainer
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


@pytest.mark.parametrize("field,value", [
    ("code", "AAAAAA"), ("revoked_at", "2025-01-01T00:00:00Z"), ("revocation_reason", "x"), ("issued_by", "manager"),
])
def test_a_client_cannot_choose_what_the_certificate_service_sets(world, cohort, api_client_for, field, value):
    enrolment = _participant(world, cohort, attended=4, score=90)

    response = api_client_for(world.manager).post(
        "/api/certificates/", {"enrolment": enrolment.pk, field: value}, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Certificate.objects.exists()


def test_a_certificate_is_never_patched_or_put_so_never_unrevoked_or_moved(world, cohort, api_client_for):
    certificate = f.CertificateFactory(enrolment=_participant(world, cohort, attended=4, score=90))
    client = api_client_for(world.staff)
    client.post(f"/api/certificates/{certificate.code}/revoke/", {"reason": "Plagio"}, format="json")
    other = _participant(world, cohort, attended=4, score=90)
    url = f"/api/certificates/{certificate.code}/"

    unrevoke = client.patch(url, {"revoked_at": None, "revocation_reason": ""}, format="json")
    move = client.patch(url, {"enrolment": other.pk}, format="json")
    put = client.put(url, {"enrolment": other.pk, "issued_on": "2025-01-01"}, format="json")
    again = client.post(f"{url}revoke/", {"reason": "Otra"}, format="json")

    assert (unrevoke.status_code, move.status_code, put.status_code) == (405, 405, 405)
    assert again.status_code == 400
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason == "Plagio"
    assert certificate.enrolment_id != other.pk


@pytest.mark.parametrize("code", ["ALD-7K3M-Q9XH", "K7M3Q9XHAB2C"])
def test_certificates_with_earlier_code_formats_still_verify_on_the_public_page(world, cohort, client, code):
    f.CertificateFactory(code=code, enrolment=_participant(world, cohort, attended=4, score=90))
    assert client.get(f"/verify/{code}/").status_code == 200
    assert client.get("/verify/ALD-NOPE0-NOPE0/").status_code == 404


# --- stage moves ------------------------------------------------------------------------------


@pytest.fixture
def engagement(world):
    return f.EngagementFactory(enterprise=world.village_msme, consultant=world.consultant.person)


def test_a_patch_cannot_jump_from_diagnosed_to_graduated(world, engagement, api_client_for):
    response = api_client_for(world.consultant).patch(
        f"/api/engagements/{engagement.pk}/", {"stage": "graduated"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "An engagement at «Diagnosed» cannot move to «Graduated»; it may move to «Action plan», «Dropped»."
    ]
    engagement.refresh_from_db()
    assert engagement.stage == "diagnosed" and engagement.closed_on is None
    assert not StageChange.objects.exists()


def test_a_patch_moves_one_stage_and_records_who(world, engagement, api_client_for):
    response = api_client_for(world.consultant).patch(
        f"/api/engagements/{engagement.pk}/", {"stage": "action_plan"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "action_plan"
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("diagnosed", "action_plan", world.consultant)


def test_a_new_engagement_starts_at_diagnosed_with_its_first_history_line(world, api_client_for):
    client = api_client_for(world.consultant)
    body = {"enterprise": "village-msme", "consultant": world.consultant.person.pk, "started_on": "2025-02-01"}

    jumped = client.post("/api/engagements/", {**body, "stage": "graduated"}, format="json")
    closed = client.post("/api/engagements/", {**body, "closed_on": "2025-03-01"}, format="json")
    created = client.post("/api/engagements/", body, format="json")

    assert jumped.status_code == 400 and "stage" in jumped.json()
    assert closed.status_code == 400 and "closed_on" in closed.json()
    assert created.status_code == 201, created.content
    engagement = Engagement.objects.get()
    assert list(engagement.stage_changes.values_list("from_stage", "to_stage", "changed_by")) == [
        ("", "diagnosed", world.consultant.pk)
    ]


def test_a_drop_reason_comes_only_with_the_move_to_dropped(world, engagement, api_client_for):
    client = api_client_for(world.consultant)
    response = client.patch(f"/api/engagements/{engagement.pk}/", {"drop_reason": "Rewritten"}, format="json")
    assert response.status_code == 400 and "drop_reason" in response.json()


# --- village status ---------------------------------------------------------------------------


def _village_body(world, **extra):
    area = world.village.municipality
    return {"slug": "san-bartolo", "name": "San Bartolo", "programme": "main",
            "municipality": f"{area.country.code}-{area.code}", "speciality": "barro negro", **extra}


def test_creating_a_village_records_its_first_status(world, api_client_for):
    client = api_client_for(world.manager)

    no_launch = client.post("/api/villages/", _village_body(world, status="active"), format="json")
    created = client.post("/api/villages/", _village_body(world, status="selected"), format="json")

    assert no_launch.status_code == 400 and "launched_on" in no_launch.json()
    assert created.status_code == 201, created.content
    assert list(VillageStatusChange.objects.values_list("village__slug", "from_status", "to_status", "changed_by")) == [
        ("san-bartolo", "", "selected", world.manager.pk)
    ]


def test_a_village_status_moves_only_along_the_lifecycle(world, api_client_for):
    village = f.VillageFactory(programme=world.programme, slug="new", status="candidate", launched_on=None)
    client = api_client_for(world.manager)
    url = f"/api/villages/{village.slug}/"

    jumped = client.patch(url, {"status": "active", "launched_on": "2025-01-01"}, format="json")
    selected = client.patch(url, {"status": "selected"}, format="json")
    launch_alone = client.patch(url, {"launched_on": "2025-01-01"}, format="json")
    activated = client.patch(url, {"status": "active"}, format="json")

    assert jumped.status_code == 400
    assert selected.status_code == 200, selected.content
    assert launch_alone.status_code == 400 and "launched_on" in launch_alone.json()
    assert activated.status_code == 200, activated.content
    village.refresh_from_db()
    assert (village.status, village.launched_on) == ("active", timezone.localdate())
    assert list(village.status_changes.values_list("to_status", "changed_by")) == [
        ("selected", world.manager.pk), ("active", world.manager.pk),
    ]


def test_activating_a_village_takes_the_launch_date_given_with_the_move(world, api_client_for):
    village = f.VillageFactory(programme=world.programme, slug="new", status="selected", launched_on=None)
    response = api_client_for(world.manager).patch(
        f"/api/villages/{village.slug}/", {"status": "active", "launched_on": "2025-03-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Village.objects.get(pk=village.pk).launched_on == datetime.date(2025, 3, 1)


# --- attendance -------------------------------------------------------------------------------


def test_attendance_by_api_records_who_recorded_it(world, cohort, api_client_for):
    enrolment = f.EnrolmentFactory(cohort=cohort)
    session = cohort.sessions.get(number=1)

    created = api_client_for(world.trainer).post(
        "/api/attendance/", {"session": session.pk, "enrolment": enrolment.pk, "status": "absent"}, format="json"
    )
    corrected = api_client_for(world.manager).patch(
        f"/api/attendance/{created.json()['id']}/", {"status": "present"}, format="json"
    )

    assert created.status_code == 201, created.content
    assert created.json()["recorded_by"] == "trainer"
    assert corrected.status_code == 200, corrected.content
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.recorded_by) == ("present", world.manager)


def test_attendance_at_another_cohorts_session_or_a_chosen_recorder_is_refused(world, cohort, api_client_for):
    enrolment = f.EnrolmentFactory(cohort=cohort)
    other_session = f.TrainingSessionFactory(
        cohort=f.CohortFactory(course=cohort.course, village=world.village, trainers=[world.trainer.person])
    )
    client = api_client_for(world.trainer)

    foreign = client.post(
        "/api/attendance/", {"session": other_session.pk, "enrolment": enrolment.pk, "status": "present"}, format="json"
    )
    chosen = client.post("/api/attendance/", {
        "session": cohort.sessions.get(number=1).pk, "enrolment": enrolment.pk, "status": "present",
        "recorded_by": "manager",
    }, format="json")

    assert foreign.status_code == 400
    assert "is not enrolled in this cohort" in foreign.json()["non_field_errors"][0]
    assert chosen.status_code == 400 and "recorded_by" in chosen.json()
    assert not Attendance.objects.exists()


def test_an_attendance_record_keeps_its_session_and_enrolment(world, cohort, api_client_for):
    attendance = f.AttendanceFactory(enrolment=f.EnrolmentFactory(cohort=cohort), session=cohort.sessions.get(number=1))
    response = api_client_for(world.trainer).patch(
        f"/api/attendance/{attendance.pk}/", {"session": cohort.sessions.get(number=2).pk}, format="json"
    )
    assert response.status_code == 400 and "session" in response.json()


# --- enrolment --------------------------------------------------------------------------------


def test_only_a_member_of_the_programme_is_enrolled(world, cohort, api_client_for):
    client = api_client_for(world.trainer)
    stranger = f.PersonFactory()

    member = client.post("/api/enrolments/", {"cohort": cohort.code, "person": world.consultant.person.pk}, format="json")
    # The outsider's person is not even nameable by the trainer: an unknown id (400).
    outsider = client.post("/api/enrolments/", {"cohort": cohort.code, "person": world.outsider.person.pk}, format="json")
    staff = api_client_for(world.staff).post("/api/enrolments/", {"cohort": cohort.code, "person": stranger.pk}, format="json")

    assert member.status_code == 201, member.content
    assert member.json()["status"] == "enrolled"
    assert outsider.status_code == 400
    assert staff.status_code == 400
    assert "holds no active role in the cohort's programme" in staff.json()["non_field_errors"][0]
    assert list(Enrolment.objects.values_list("person", flat=True)) == [world.consultant.person.pk]


def test_an_enrolment_status_goes_through_the_service(world, cohort, api_client_for):
    enrolment = f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
    client = api_client_for(world.trainer)
    url = f"/api/enrolments/{enrolment.pk}/"

    completed = client.patch(url, {"status": "completed"}, format="json")
    moved = client.patch(url, {"cohort": f.CohortFactory(course=cohort.course).code}, format="json")
    withdrawn = client.patch(url, {"status": "withdrawn"}, format="json")
    created_withdrawn = client.post(
        "/api/enrolments/", {"cohort": cohort.code, "person": world.msme_owner.person.pk, "status": "withdrawn"},
        format="json",
    )

    assert completed.status_code == 400
    assert "when a certificate is issued" in completed.json()["non_field_errors"][0]
    assert moved.status_code == 400 and "cohort" in moved.json()
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert created_withdrawn.status_code == 400 and "status" in created_withdrawn.json()
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn" and enrolment.cohort == cohort


def test_a_put_of_what_a_get_returned_passes_the_fixed_and_service_owned_fields(world, cohort, api_client_for):
    enrolment = f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
    attendance = f.AttendanceFactory(enrolment=enrolment, session=cohort.sessions.get(number=1), recorded_by=world.trainer)
    client = api_client_for(world.trainer)

    for url in (f"/api/enrolments/{enrolment.pk}/", f"/api/attendance/{attendance.pk}/"):
        body = client.get(url).json()
        response = client.put(url, body, format="json")
        assert response.status_code == 200, response.content
        assert response.json() | {"recorded_at": None, "updated_at": None} == body | {"recorded_at": None, "updated_at": None}
