"""The planning pages: courses, cohorts, the schedule, participants and marking everyone present."""

import datetime

import pytest

from aldea.accounts.models import Role
from aldea.training.models import Attendance, Cohort, Course, Enrolment
from tests import factories as f
from tests.conftest import make_persona


@pytest.fixture
def second_manager(world):
    """The manager of the OTHER programme."""
    return make_persona(Role.MANAGER, world.other, username="other-manager")


@pytest.fixture
def planned(cohort):
    cohort.starts_on, cohort.ends_on = datetime.date(2026, 1, 5), datetime.date(2026, 3, 31)
    cohort.save()
    return cohort


def test_the_manager_adds_a_course(login, world):
    response = login(world.manager).post("/training/course/new/", {
        "programme": world.programme.pk, "code": "ventas", "title": "Ventas en línea", "level": "msme_workshop",
        "hours": 12, "min_attendance": "0.75", "passing_score": "60", "description": "",
    })
    assert response.status_code == 302
    course = Course.objects.get(code="ventas")
    assert (course.programme, course.min_attendance, course.passing_score) == (world.programme, 0.75, 60)


def test_a_course_with_a_bad_attendance_share_names_the_field(login, world):
    response = login(world.manager).post("/training/course/new/", {
        "programme": world.programme.pk, "code": "ventas", "title": "Ventas", "level": "msme_workshop",
        "hours": 12, "min_attendance": "80", "passing_score": "60",
    })
    assert response.status_code == 400
    assert "min_attendance" in response.context["form"].errors
    assert not Course.objects.filter(code="ventas").exists()


def test_the_manager_edits_a_course_and_its_programme_stays(login, world, course):
    response = login(world.manager).post(f"/training/course/main/{course.code}/edit/", {
        "programme": world.other.pk, "code": course.code, "title": "Nuevo nombre", "level": course.level,
        "hours": 30, "min_attendance": "0.9", "passing_score": "75",
    })
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.title, course.hours, course.programme) == ("Nuevo nombre", 30, world.programme)


def test_a_manager_of_a_second_programme_gets_404_for_the_course_and_cohort(login, second_manager, cohort, course):
    client = login(second_manager)
    for path in (
        f"/training/course/main/{course.code}/edit/", f"/training/cohort/{cohort.code}/edit/",
        f"/training/cohort/{cohort.code}/sessions/", f"/training/cohort/{cohort.code}/participants/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/training/cohort/{cohort.code}/sessions/generate/", {
        "count": 2, "weekday": 0, "first_on": "2024-01-01", "duration_minutes": 120,
    }).status_code == 404
    assert not cohort.sessions.exists()


@pytest.mark.parametrize("path", ["/training/course/new/", "/training/cohort/new/"])
def test_a_consultant_cannot_add(login, world, course, path):
    assert login(world.consultant).get(path).status_code == 403


def test_a_consultant_cannot_edit_the_cohort_or_its_schedule(login, world, cohort, course):
    client = login(world.consultant)
    assert client.get(f"/training/course/main/{course.code}/edit/").status_code == 403
    assert client.get(f"/training/cohort/{cohort.code}/edit/").status_code == 403
    assert client.post(f"/training/cohort/{cohort.code}/sessions/add/", {"new-held_on": cohort.starts_on}).status_code == 403
    assert not cohort.sessions.exists()


def test_the_manager_adds_a_cohort_with_a_trainer(login, world, course):
    response = login(world.manager).post("/training/cohort/new/", {
        "course": course.pk, "code": "clara-2026", "village": world.second_village.pk,
        "starts_on": "2026-02-01", "ends_on": "2026-04-30", "capacity": 20, "trainers": [world.trainer.person.pk],
    })
    assert response.status_code == 302 and response["Location"] == "/training/cohort/clara-2026/sessions/"
    cohort = Cohort.objects.get(code="clara-2026")
    assert list(cohort.trainers.all()) == [world.trainer.person] and cohort.village == world.second_village


def test_a_cohort_cannot_name_a_consultant_as_trainer_nor_end_before_it_starts(login, world, course):
    response = login(world.manager).post("/training/cohort/new/", {
        "course": course.pk, "code": "bad", "village": world.village.pk,
        "starts_on": "2026-02-01", "ends_on": "2026-01-01", "capacity": 20, "trainers": [world.consultant.person.pk],
    })
    assert response.status_code == 400
    assert {"ends_on", "trainers"} <= set(response.context["form"].errors)
    assert not Cohort.objects.filter(code="bad").exists()


def test_the_cohorts_trainer_keeps_the_schedule_but_not_the_settings(login, world, planned):
    client = login(world.trainer)
    assert client.get(f"/training/cohort/{planned.code}/edit/").status_code == 403
    assert client.get(f"/training/cohort/{planned.code}/sessions/").status_code == 200


def test_the_manager_generates_and_edits_the_schedule(login, world, planned):
    client = login(world.manager)
    base = f"/training/cohort/{planned.code}"
    assert client.get(f"{base}/sessions/").status_code == 200
    response = client.post(f"{base}/sessions/generate/", {
        "count": 4, "weekday": 2, "first_on": "2026-01-05", "duration_minutes": 90,
    })
    assert response.status_code == 302
    assert list(planned.sessions.values_list("held_on", flat=True)) == [
        datetime.date(2026, 1, 7), datetime.date(2026, 1, 14), datetime.date(2026, 1, 21), datetime.date(2026, 1, 28),
    ]
    assert client.post(f"{base}/session/2/change/", {
        "session-2-held_on": "2026-01-15", "session-2-title": "Fotografía",
    }).status_code == 302
    assert planned.sessions.filter(number=2, held_on=datetime.date(2026, 1, 15), title="Fotografía").exists()
    assert client.post(f"{base}/sessions/add/", {"new-held_on": "2026-02-04"}).status_code == 302
    assert client.post(f"{base}/session/1/remove/").status_code == 302
    assert list(planned.sessions.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert planned.sessions.get(number=1).title == "Fotografía"


def test_a_schedule_outside_the_cohort_is_refused_with_its_reason(login, world, planned):
    response = login(world.manager).post(f"/training/cohort/{planned.code}/sessions/generate/", {
        "count": 30, "weekday": 0, "first_on": "2026-01-05", "duration_minutes": 120,
    })
    assert response.status_code == 400
    assert "outside the cohort" in response.content.decode()
    assert not planned.sessions.exists()


def test_the_manager_enrols_withdraws_and_moves_participants(login, world, cohort, course):
    other = f.CohortFactory(course=course, code="clara-2024", village=world.second_village)
    person = make_persona(Role.CONSULTANT, world.programme, village=world.village).person
    client = login(world.manager)
    base = f"/training/cohort/{cohort.code}/participants"
    page = client.get(f"{base}/")
    assert page.status_code == 200 and str(person) in page.content.decode()
    assert client.post(f"{base}/enrol/", {"person": person.pk}).status_code == 302
    enrolment = Enrolment.objects.get(cohort=cohort, person=person)
    assert client.post(f"{base}/withdraw/", {"enrolment": enrolment.pk}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert client.post(f"{base}/reinstate/", {"enrolment": enrolment.pk}).status_code == 302
    response = client.post(f"{base}/move/", {"enrolment": enrolment.pk, f"move-{enrolment.pk}-to_cohort": other.code})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert Enrolment.objects.get(cohort=other, person=person).status == Enrolment.Status.ENROLLED


def test_enrolling_someone_outside_the_programme_is_refused(login, world, cohort):
    response = login(world.manager).post(f"/training/cohort/{cohort.code}/participants/enrol/", {
        "person": world.outsider.person.pk,
    })
    assert response.status_code == 400 and "person" in response.context["enrol_form"].errors
    assert not cohort.enrolments.exists()


def test_the_manager_enters_scores_for_the_cohort_in_one_form(login, world, cohort):
    first, second = f.EnrolmentFactory(cohort=cohort), f.EnrolmentFactory(cohort=cohort)
    response = login(world.manager).post(f"/training/cohort/{cohort.code}/assessments/", {
        "name": "Examen final", "assessed_on": "2024-03-01", f"score_{first.pk}": "88", f"score_{second.pk}": "",
    })
    assert response.status_code == 302
    assert list(first.assessment_results.values_list("score", flat=True)) == [88]
    assert not second.assessment_results.exists()


def test_mark_everyone_present_fills_only_unmarked_rows(login, world, cohort):
    session = f.TrainingSessionFactory(cohort=cohort, number=1, held_on=cohort.starts_on)
    absent, unmarked = f.EnrolmentFactory(cohort=cohort), f.EnrolmentFactory(cohort=cohort)
    f.AttendanceFactory(session=session, enrolment=absent, status=Attendance.Status.ABSENT)
    client = login(world.trainer)
    sheet = client.get(f"/training/cohort/{cohort.code}/session/1/attendance/")
    assert "all-present" in sheet.content.decode()
    response = client.post(f"/training/cohort/{cohort.code}/session/1/attendance/all-present/")
    assert response.status_code == 302
    assert dict(session.attendance.values_list("enrolment_id", "status")) == {absent.pk: "absent", unmarked.pk: "present"}


def test_a_consultant_cannot_mark_everyone_present(login, world, cohort):
    f.TrainingSessionFactory(cohort=cohort, number=1, held_on=cohort.starts_on)
    f.EnrolmentFactory(cohort=cohort)
    assert login(world.consultant).post(f"/training/cohort/{cohort.code}/session/1/attendance/all-present/").status_code == 403
    assert not Attendance.objects.exists()


def test_the_catalogue_offers_the_manager_the_planning_links(login, world, cohort, course):
    html = login(world.manager).get("/training/").content.decode()
    assert "/training/course/new/" in html and f"/training/course/main/{course.code}/edit/" in html
    cohort_html = login(world.manager).get(f"/training/cohort/{cohort.code}/").content.decode()
    assert f"/training/cohort/{cohort.code}/edit/" in cohort_html
    assert "/training/course/new/" not in login(world.consultant).get("/training/").content.decode()


@pytest.mark.parametrize("language, words", [
    ("es-mx", ["Generar un calendario semanal", "Miércoles"]),
    ("pt-br", ["Gerar um calendário semanal", "Quarta-feira"]),
])
def test_the_schedule_page_is_translated(settings, login, world, cohort, language, words):
    settings.LANGUAGE_CODE = language
    html = login(world.manager).get(f"/training/cohort/{cohort.code}/sessions/").content.decode()
    for word in words:
        assert word in html


def test_a_person_managing_one_programme_and_training_in_another_manages_only_the_first(login, world, cohort, other_cohort):
    # A trainer of the main programme's village (not of ``cohort``) who manages the other programme.
    user = make_persona(Role.TRAINER, world.programme, village=world.village, username="two-hats")
    f.MembershipFactory(person=user.person, role=Role.MANAGER, programme=world.other)
    client = login(user)
    assert client.get(f"/training/cohort/{cohort.code}/edit/").status_code == 403
    assert client.get(f"/training/cohort/{cohort.code}/sessions/").status_code == 403
    assert client.get(f"/training/cohort/{other_cohort.code}/edit/").status_code == 200
    response = client.post(f"/training/cohort/{other_cohort.code}/sessions/add/", {"new-held_on": other_cohort.starts_on})
    assert response.status_code == 302 and other_cohort.sessions.count() == 1
