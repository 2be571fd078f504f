"""A cohort of the shared ``world`` (trained by the trainer persona) filled to a chosen size."""

import datetime
from decimal import Decimal

import pytest

from aldea.training.models import Attendance, CourseLevel, Enrolment
from tests import factories as f


def fill_cohort(cohort, participants: int, *, sessions: int = 5):
    """``participants`` enrolments: every third attends all sessions with a passing score, the
    others miss sessions or fail, and one withdrew; returns the enrolments."""
    session_rows = [
        f.TrainingSessionFactory(cohort=cohort, number=number, held_on=cohort.starts_on + datetime.timedelta(days=7 * number))
        for number in range(1, sessions + 1)
    ] if not cohort.sessions.exists() else list(cohort.sessions.all())
    enrolments = []
    for index in range(participants):
        enrolment = f.EnrolmentFactory(
            cohort=cohort,
            status=Enrolment.Status.WITHDRAWN if index == participants - 1 and participants > 2 else Enrolment.Status.ENROLLED,
        )
        attended = len(session_rows) if index % 3 == 0 else index % len(session_rows)
        for number, session in enumerate(session_rows):
            f.AttendanceFactory(
                enrolment=enrolment, session=session,
                status=Attendance.Status.PRESENT if number < attended else Attendance.Status.ABSENT,
            )
        if index % 4 != 3:
            f.AssessmentResultFactory(enrolment=enrolment, name="Examen", score=Decimal(90 if index % 3 == 0 else 55))
            f.AssessmentResultFactory(enrolment=enrolment, name="Proyecto", score=Decimal(80))
        enrolments.append(enrolment)
    return enrolments


@pytest.fixture
def course(world):
    # Re-read so decimals carry the database's scale (70.00), as on the pages.
    created = f.CourseFactory(
        programme=world.programme, code="consultores", title="Consultoría digital",
        level=CourseLevel.CONSULTANT, passing_score=Decimal(70), min_attendance=Decimal("0.80"),
    )
    return type(created).objects.get(pk=created.pk)


@pytest.fixture
def cohort(world, course):
    return f.CohortFactory(course=course, code="teotitlan-2024", village=world.village, trainers=[world.trainer.person])


@pytest.fixture
def other_cohort(world):
    """A cohort of the other programme: out of everyone's scope but the outsider's."""
    other_course = f.CourseFactory(programme=world.other, code="otro-curso")
    return f.CohortFactory(course=other_course, code="far-away-2024", village=world.other_village)


@pytest.fixture
def second_trainer(world):
    """A trainer of the same programme who does not train ``cohort``."""
    from aldea.accounts.models import Role
    from tests.conftest import make_persona

    return make_persona(Role.TRAINER, world.programme, username="second-trainer")

