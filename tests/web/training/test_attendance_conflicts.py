"""Two trainers mark the same row differently: the later write is refused with 409 and both
values, for the trainer to choose; nothing is overwritten silently."""

import uuid

import pytest

from aldea.core.exceptions import DomainError
from aldea.ops.models import ProcessedWrite
from aldea.training import services
from aldea.training.models import Attendance
from tests.web.training.conftest import fill_cohort

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(cohort, number=1):
    return f"/training/cohort/{cohort.code}/session/{number}/attendance/"


@pytest.fixture
def row(world, cohort):
    """One participant without a mark for session 1, and the session."""
    (enrolment,) = fill_cohort(cohort, 1)
    Attendance.objects.filter(enrolment=enrolment, session__number=1).delete()
    return enrolment, cohort.sessions.get(number=1)


def test_a_tap_on_a_row_changed_meanwhile_answers_409_with_both_values(login, world, cohort, row):
    enrolment, session = row
    # The manager marks her present after the trainer's sheet was loaded (showing no mark).
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    response = login(world.trainer).post(
        url(cohort), {"enrolment": enrolment.pk, "status": "absent", "seen": ""}, HTTP_ACCEPT_LANGUAGE="es-mx", **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Otra persona registró «Presente» mientras tanto; usted eligió «Ausente»." in html
    assert 'name="status" value="present" class="secondary">Conservar «Presente»' in html
    assert 'value="absent">Usar «Ausente»' in html
    # The row now shows what is on record, so the trainer's choice is checked against it.
    assert '<input type="hidden" name="seen" value="present">' in html
    attendance = Attendance.objects.get(enrolment=enrolment, session=session)
    assert (attendance.status, attendance.recorded_by) == ("present", world.manager)


def test_choosing_after_the_conflict_is_saved(login, world, cohort, row):
    enrolment, session = row
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    response = login(world.trainer).post(
        url(cohort), {"enrolment": enrolment.pk, "status": "absent", "seen": "present"}, **HTMX
    )
    assert response.status_code == 200
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "absent"


def test_the_same_value_from_both_trainers_is_no_conflict(login, world, cohort, row):
    enrolment, session = row
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    response = login(world.trainer).post(url(cohort), {"enrolment": enrolment.pk, "status": "present", "seen": ""}, **HTMX)
    assert response.status_code == 200


def test_a_sheet_that_sends_no_seen_value_writes_as_before(login, world, cohort, row):
    enrolment, session = row
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    response = login(world.trainer).post(url(cohort), {"enrolment": enrolment.pk, "status": "excused"}, **HTMX)
    assert response.status_code == 200
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "excused"


def test_a_conflict_is_not_stored_as_done_so_the_choice_can_be_sent(login, world, cohort, row):
    enrolment, session = row
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    client = login(world.trainer)
    key = str(uuid.uuid4())
    data = {"enrolment": enrolment.pk, "status": "absent", "seen": ""}
    assert client.post(url(cohort), data, HTTP_IDEMPOTENCY_KEY=key, **HTMX).status_code == 409
    assert not ProcessedWrite.objects.exists()


def test_without_javascript_a_conflict_comes_back_as_a_message(login, world, cohort, row):
    enrolment, session = row
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    response = login(world.trainer).post(
        url(cohort), {"enrolment": enrolment.pk, "status": "absent", "seen": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Someone else recorded «Present» meanwhile; you chose «Absent»." in response.content.decode()
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "present"


def test_a_replayed_tap_is_applied_once_and_answered_the_same(login, world, cohort, row):
    enrolment, session = row
    client = login(world.trainer)
    key = str(uuid.uuid4())
    data = {"enrolment": enrolment.pk, "status": "absent", "seen": ""}
    first = client.post(url(cohort), data, HTTP_IDEMPOTENCY_KEY=key, **HTMX)
    # Corrected on another phone before the lost answer's retry arrives: the retry must not undo it.
    services.record_attendance(session=session, enrolment=enrolment, status="excused", user=world.manager)
    again = client.post(url(cohort), data, HTTP_IDEMPOTENCY_KEY=key, **HTMX)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "excused"


def test_the_service_refuses_a_stale_write(world, cohort, row):
    enrolment, session = row
    services.record_attendance(session=session, enrolment=enrolment, status="present", user=world.manager)
    with pytest.raises(services.AttendanceConflict) as conflict:
        services.record_attendance(session=session, enrolment=enrolment, status="absent", seen_status=None)
    assert (conflict.value.recorded, conflict.value.attempted) == ("present", "absent")
    assert isinstance(conflict.value, DomainError)
    # Seen as it is: the correction is applied.
    services.record_attendance(session=session, enrolment=enrolment, status="absent", seen_status="present")
    assert Attendance.objects.get(enrolment=enrolment, session=session).status == "absent"
