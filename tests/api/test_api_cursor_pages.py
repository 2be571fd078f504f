"""Cursor pages on the largest tables (aldea.core.api.CursorListPagination): every row once,
in order, with no count; clear answers for an ordering a cursor cannot follow and a bad cursor."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

from tests import factories as f


def walk(client, url) -> list[dict]:
    rows, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        assert "count" not in page
        rows += page["results"]
        url, pages = page["next"], pages + 1
    assert pages > 1
    return rows


@pytest.fixture
def records(world):
    msmes = [world.village_msme, world.owned_msme, world.second_village_msme]
    return [
        f.OutcomeRecordFactory(enterprise=msme, month=datetime.date(2022 + m // 12, m % 12 + 1, 1),
                               total_sales=Decimal(3000 + m))
        for msme in msmes for m in range(40)
    ]


def test_a_manager_walks_every_outcome_record_once_in_key_order(world, records, api_client_for):
    rows = walk(api_client_for(world.manager), "/api/outcome-records/")
    assert [r["id"] for r in rows] == sorted(r.pk for r in records)


def test_pages_follow_the_clients_ordering_and_its_filters(world, records, api_client_for):
    client = api_client_for(world.manager)
    rows = walk(client, "/api/outcome-records/?ordering=-month")
    assert len(rows) == len(records) == len({r["id"] for r in rows})
    assert [r["month"] for r in rows] == sorted((r["month"] for r in rows), reverse=True)
    village = walk(client, f"/api/outcome-records/?village={world.village.slug}")
    assert len(village) == 80


def test_a_consultant_pages_through_his_village_only(world, records, api_client_for):
    rows = walk(api_client_for(world.consultant), "/api/outcome-records/")
    assert {r["enterprise"] for r in rows} == {"village-msme", "owned"}


def test_a_page_counts_no_rows(world, records, api_client_for):
    client = api_client_for(world.manager)
    client.get("/api/outcome-records/")
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/outcome-records/").status_code == 200
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_an_ordering_by_a_field_that_may_be_empty_is_refused_plainly(world, api_client_for):
    f.ListingFactory(product=f.ProductFactory(enterprise=world.village_msme))
    response = api_client_for(world.manager).get("/api/listings/?ordering=live_on")
    assert response.status_code == 400
    assert "live_on" in str(response.json())


def test_a_bad_cursor_is_not_found_rather_than_an_error(world, api_client_for):
    response = api_client_for(world.manager).get("/api/attendance/?cursor=not-a-cursor")
    assert response.status_code == 404


@pytest.fixture
def attendance(world):
    """Two cohorts of the village, 60 sessions each; the consultant is enrolled in one."""
    course = f.CourseFactory(programme=world.programme)
    rows = []
    for people in ([world.consultant.person, f.PersonFactory()], [f.PersonFactory(), f.PersonFactory()]):
        cohort = f.CohortFactory(course=course, village=world.village)
        sessions = [f.TrainingSessionFactory(cohort=cohort, number=n) for n in range(1, 61)]
        for person in people:
            enrolment = f.EnrolmentFactory(cohort=cohort, person=person)
            rows += [f.AttendanceFactory(enrolment=enrolment, session=s) for s in sessions]
    return rows


def test_a_consultant_pages_through_his_own_attendance_once_each(world, attendance, api_client_for):
    # His few enrolments are read first and given as a list (training.queries.attendance_listed_for).
    rows = walk(api_client_for(world.consultant), "/api/attendance/")
    own = [a.pk for a in attendance if a.enrolment.person_id == world.consultant.person.pk]
    assert [r["id"] for r in rows] == sorted(own) and len(own) == 60


def test_the_village_trainer_pages_through_every_row_of_the_village_once(world, attendance, api_client_for):
    rows = walk(api_client_for(world.trainer), "/api/attendance/")
    assert [r["id"] for r in rows] == sorted(a.pk for a in attendance)


def test_someone_with_no_enrolment_sees_no_attendance(world, attendance, api_client_for):
    response = api_client_for(world.outsider).get("/api/attendance/")
    assert response.status_code == 200 and response.json()["results"] == []


@pytest.mark.parametrize("endpoint", ["/api/engagements/", "/api/training-sessions/"])
def test_engagements_and_sessions_page_by_cursor_without_counting(world, endpoint, api_client_for):
    f.EngagementFactory(enterprise=world.village_msme, consultant=world.consultant.person)
    f.TrainingSessionFactory(cohort=f.CohortFactory(course=f.CourseFactory(programme=world.programme),
                                                    village=world.village))
    client = api_client_for(world.manager)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(endpoint).json()
    assert "count" not in body and body["results"] and "next" in body
    assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_each_listed_assessment_shows_its_own_answers(world, api_client_for):
    # A page's answers are read in one query and given to their assessments (diagnostics.api).
    dimension = f.DimensionFactory()
    questions = [f.QuestionFactory(dimension=dimension, code=code) for code in ("web", "photos", "payments")]
    expected = {}
    for n, msme in enumerate([world.village_msme, world.owned_msme, world.second_village_msme, world.village_msme]):
        assessment = f.AssessmentFactory(enterprise=msme, instrument=dimension.instrument)
        for k, question in enumerate(questions[: n + 1]):
            f.AnswerFactory(assessment=assessment, question=question, value=n * 10 + k)
        expected[assessment.pk] = {q.code: n * 10 + k for k, q in enumerate(questions[: n + 1])}
    f.AssessmentFactory(enterprise=world.village_msme, instrument=dimension.instrument)  # no answers yet
    client = api_client_for(world.manager)
    rows = client.get("/api/assessments/").json()["results"]
    assert {row["id"]: row["answers"] for row in rows} == expected | {rows[-1]["id"]: {}}
    assert client.get(f"/api/assessments/{rows[1]['id']}/").json()["answers"] == rows[1]["answers"]
