from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.training.figures import COHORTS_PER_COURSE, course_catalogue
from aldea.training.models import CourseLevel
from aldea.training.queries import cohorts_visible_to, courses_visible_to
from tests import factories as f
from tests.web.training.conftest import fill_cohort

URL = "/training/"


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_every_role_of_the_programme_sees_the_catalogue(login, world, cohort):
    for user in (world.manager, world.analyst, world.partner, world.trainer, world.consultant, world.staff):
        response = login(user).get(URL)
        assert response.status_code == 200, user
        assert "Consultoría digital" in response.content.decode()


def test_outsider_does_not_see_another_programmes_courses(login, world, cohort):
    response = login(world.outsider).get(URL)
    assert response.status_code == 200
    assert "Consultoría digital" not in response.content.decode()


def test_trainer_sees_the_cohorts_they_train(login, world, cohort):
    response = login(world.trainer).get(URL)
    assert cohort.code in response.content.decode()
    assert response.context["my_cohorts"] == [cohort]


def test_consultant_sees_their_own_enrolment_and_certificate(login, world, cohort):
    enrolment = f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
    certificate = f.CertificateFactory(enrolment=enrolment, code="ALD-TEST-0001")
    response = login(world.consultant).get(URL)
    assert response.context["my_enrolments"] == [enrolment]
    assert f"/training/certificate/{certificate.code}.pdf" in response.content.decode()


def test_catalogue_groups_courses_by_level_with_cohort_counts(world, course):
    workshop = f.CourseFactory(programme=world.programme, level=CourseLevel.MSME_WORKSHOP, title="Taller")
    for index in range(COHORTS_PER_COURSE + 2):
        f.CohortFactory(course=course, village=world.village, code=f"c-{index}")
    f.CohortFactory(course=workshop, village=world.village)
    f.CourseFactory(programme=world.other)  # another programme's course is not listed

    levels = course_catalogue(courses_visible_to(world.manager), cohorts_visible_to(world.manager))

    assert [group.level for group in levels] == [CourseLevel.CONSULTANT, CourseLevel.MSME_WORKSHOP]
    consultant_entry = levels[0].courses[0]
    assert consultant_entry.cohort_count == COHORTS_PER_COURSE + 2
    assert len(consultant_entry.cohorts) == COHORTS_PER_COURSE
    assert levels[1].courses[0].cohort_count == 1


def test_cohort_counts_are_scoped_to_what_the_user_sees(world, course, cohort):
    f.CohortFactory(course=course, village=world.second_village, code="santa-clara-2024")
    # The trainer is narrowed to ``village``: the second village's cohort is not theirs to see.
    levels = course_catalogue(courses_visible_to(world.trainer), cohorts_visible_to(world.trainer))
    assert levels[0].courses[0].cohort_count == 1
    levels = course_catalogue(courses_visible_to(world.manager), cohorts_visible_to(world.manager))
    assert levels[0].courses[0].cohort_count == 2


def test_page_shows_the_catalogue_figures(login, world, course, cohort):
    response = login(world.manager).get(URL)
    expected = course_catalogue(courses_visible_to(world.manager), cohorts_visible_to(world.manager))
    shown = response.context["levels"]
    assert [(e.course.pk, e.cohort_count) for g in shown for e in g.courses] == [
        (e.course.pk, e.cohort_count) for g in expected for e in g.courses
    ]


def _queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_data(login, world, course, cohort):
    fill_cohort(cohort, 2)
    client = login(world.trainer)
    small = _queries(client)
    for index in range(8):
        more = f.CohortFactory(course=course, village=world.village, code=f"more-{index}", trainers=[world.trainer.person])
        fill_cohort(more, 3)
        f.CourseFactory(programme=world.programme, level=CourseLevel.TRAINER)
    enrolment = f.EnrolmentFactory(cohort=cohort, person=world.trainer.person)
    f.CertificateFactory(enrolment=enrolment)
    large = _queries(client)
    assert small == large <= 15
