"""The schedule generator, session edits, moves between cohorts and marking everyone present."""

import datetime

import pytest

from aldea.accounts.models import Role
from aldea.core.exceptions import DomainError
from aldea.training import services
from aldea.training.models import Attendance, Enrolment
from tests import factories as f
from tests.conftest import make_persona


def test_weekly_dates_start_on_the_first_chosen_weekday_on_or_after_the_date():
    # 1 December 2026 is a Tuesday; Thursday (3) is two days later.
    assert services.weekly_dates(first_on=datetime.date(2026, 12, 1), weekday=3, count=3) == [
        datetime.date(2026, 12, 3), datetime.date(2026, 12, 10), datetime.date(2026, 12, 17),
    ]


def test_weekly_dates_keep_the_date_itself_when_it_is_the_weekday():
    assert services.weekly_dates(first_on=datetime.date(2026, 12, 1), weekday=1, count=2) == [
        datetime.date(2026, 12, 1), datetime.date(2026, 12, 8),
    ]


def test_weekly_dates_refuse_an_unknown_weekday():
    with pytest.raises(ValueError):
        services.weekly_dates(first_on=datetime.date(2026, 12, 1), weekday=7, count=1)


@pytest.fixture
def cohort(world):
    course = f.CourseFactory(programme=world.programme)
    return f.CohortFactory(
        course=course, village=world.village, starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 3, 31),
    )


def test_generated_sessions_follow_the_existing_ones(world, cohort):
    f.TrainingSessionFactory(cohort=cohort, number=1, held_on=datetime.date(2026, 1, 5))
    created = services.generate_schedule(
        cohort=cohort, count=4, weekday=2, first_on=datetime.date(2026, 1, 10), user=world.manager,
    )
    assert [(s.number, s.held_on) for s in created] == [
        (2, datetime.date(2026, 1, 14)), (3, datetime.date(2026, 1, 21)),
        (4, datetime.date(2026, 1, 28)), (5, datetime.date(2026, 2, 4)),
    ]


def test_a_schedule_running_past_the_cohort_creates_nothing(world, cohort):
    with pytest.raises(DomainError, match="outside the cohort's dates"):
        services.generate_schedule(cohort=cohort, count=20, weekday=0, first_on=cohort.starts_on, user=world.manager)
    assert not cohort.sessions.exists()


def test_removing_a_session_renumbers_the_later_ones(world, cohort):
    services.generate_schedule(cohort=cohort, count=3, weekday=0, first_on=cohort.starts_on)
    services.remove_session(session=cohort.sessions.get(number=1))
    assert list(cohort.sessions.values_list("number", "held_on")) == [
        (1, datetime.date(2026, 1, 12)), (2, datetime.date(2026, 1, 19)),
    ]


def test_a_session_with_attendance_cannot_be_removed(world, cohort):
    (session,) = services.generate_schedule(cohort=cohort, count=1, weekday=0, first_on=cohort.starts_on)
    f.AttendanceFactory(session=session, enrolment=f.EnrolmentFactory(cohort=cohort))
    with pytest.raises(DomainError, match="recorded attendance"):
        services.remove_session(session=session)
    assert cohort.sessions.count() == 1


def test_a_session_cannot_move_outside_the_cohort(cohort):
    (session,) = services.generate_schedule(cohort=cohort, count=1, weekday=0, first_on=cohort.starts_on)
    with pytest.raises(DomainError, match="Date"):
        services.change_session(session=session, held_on=datetime.date(2026, 5, 1))
    session.refresh_from_db()
    assert session.held_on == datetime.date(2026, 1, 5)


def _member(world, programme=None):
    return make_persona(Role.CONSULTANT, programme or world.programme, village=world.village).person


def test_moving_withdraws_the_old_enrolment_and_keeps_its_attendance(world, cohort):
    other = f.CohortFactory(course=cohort.course, village=world.village)
    person = _member(world)
    old = services.enrol(cohort=cohort, person=person)
    (session,) = services.generate_schedule(cohort=cohort, count=1, weekday=0, first_on=cohort.starts_on)
    services.record_attendance(session=session, enrolment=old, status=Attendance.Status.PRESENT)
    new = services.move_enrolment(enrolment=old, to_cohort=other, user=world.manager)
    old.refresh_from_db()
    assert old.status == Enrolment.Status.WITHDRAWN and old.attendance.count() == 1
    assert (new.cohort, new.person, new.status) == (other, person, Enrolment.Status.ENROLLED)


def test_moving_back_reinstates_the_earlier_enrolment(world, cohort):
    other = f.CohortFactory(course=cohort.course, village=world.village)
    first = services.enrol(cohort=cohort, person=_member(world))
    second = services.move_enrolment(enrolment=first, to_cohort=other)
    again = services.move_enrolment(enrolment=second, to_cohort=cohort)
    assert again.pk == first.pk and again.status == Enrolment.Status.ENROLLED


def test_a_move_across_programmes_is_refused_and_changes_nothing(world, cohort):
    elsewhere = f.CohortFactory(course=f.CourseFactory(programme=world.other), village=world.other_village)
    enrolment = services.enrol(cohort=cohort, person=_member(world))
    with pytest.raises(DomainError, match="same programme"):
        services.move_enrolment(enrolment=enrolment, to_cohort=elsewhere)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED and not elsewhere.enrolments.exists()


def test_a_refused_move_into_a_full_cohort_leaves_the_participant_where_they_were(world, cohort):
    full = f.CohortFactory(course=cohort.course, village=world.village, capacity=1)
    services.enrol(cohort=full, person=_member(world))
    enrolment = services.enrol(cohort=cohort, person=_member(world))
    with pytest.raises(DomainError, match="full"):
        services.move_enrolment(enrolment=enrolment, to_cohort=full)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_mark_everyone_present_fills_only_unmarked_rows(world, cohort):
    (session,) = services.generate_schedule(cohort=cohort, count=1, weekday=0, first_on=cohort.starts_on)
    absent, excused, unmarked, withdrawn = (f.EnrolmentFactory(cohort=cohort) for _ in range(4))
    f.AttendanceFactory(session=session, enrolment=absent, status=Attendance.Status.ABSENT)
    f.AttendanceFactory(session=session, enrolment=excused, status=Attendance.Status.EXCUSED)
    withdrawn.status = Enrolment.Status.WITHDRAWN
    withdrawn.save()
    assert services.mark_everyone_present(session=session, user=world.trainer) == 1
    statuses = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert statuses == {absent.pk: "absent", excused.pk: "excused", unmarked.pk: "present"}
    assert Attendance.objects.get(enrolment=unmarked).recorded_by == world.trainer


def test_save_cohort_refuses_a_trainer_without_a_trainer_role(world, cohort):
    with pytest.raises(DomainError, match="Trainers"):
        services.save_cohort(cohort=cohort, trainers=[world.consultant.person], user=world.manager)
    services.save_cohort(cohort=cohort, trainers=[world.trainer.person], user=world.manager)
    assert list(cohort.trainers.all()) == [world.trainer.person]


def test_scores_out_of_range_store_none_of_the_assessment(world, cohort):
    good, bad = f.EnrolmentFactory(cohort=cohort), f.EnrolmentFactory(cohort=cohort)
    with pytest.raises(DomainError, match="Score of"):
        services.record_scores(name="Examen", assessed_on=cohort.starts_on, scores=[(good, 80), (bad, 120)])
    assert not good.assessment_results.exists()
    assert services.record_scores(name=" Examen ", assessed_on=cohort.starts_on, scores=[(good, 80)]) == 1
    assert services.record_scores(name="Examen", assessed_on=cohort.starts_on, scores=[(good, 95)]) == 1
    assert list(good.assessment_results.values_list("name", "score")) == [("Examen", 95)]
