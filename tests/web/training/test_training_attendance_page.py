import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.training.models import Attendance
from tests.web.training.conftest import fill_cohort

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(cohort, number=1):
    return f"/training/cohort/{cohort.code}/session/{number}/attendance/"


def test_anonymous_is_sent_to_login(client, cohort):
    fill_cohort(cohort, 1)
    response = client.get(url(cohort))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["trainer", "manager", "staff"])
def test_writers_open_the_sheet(role, login, world, cohort):
    fill_cohort(cohort, 4)
    response = login(getattr(world, role)).get(url(cohort))
    assert response.status_code == 200
    # The withdrawn participant is not on the sheet.
    assert len(response.context["rows"]) == 3
    assert f'hx-post="{url(cohort)}"' in response.content.decode()


@pytest.mark.parametrize("role", ["analyst", "partner", "consultant"])
def test_read_only_roles_get_403(role, login, world, cohort):
    (enrolment,) = fill_cohort(cohort, 1)
    client = login(getattr(world, role))
    assert client.get(url(cohort)).status_code == 403
    assert client.post(url(cohort), {"enrolment": enrolment.pk, "status": "absent"}, **HTMX).status_code == 403
    assert Attendance.objects.get(enrolment=enrolment, session__number=1).status == "present"


def test_a_trainer_of_another_cohort_gets_403(login, cohort, second_trainer):
    fill_cohort(cohort, 1)
    assert login(second_trainer).get(url(cohort)).status_code == 403


def test_out_of_scope_gets_404(login, world, cohort, other_cohort):
    fill_cohort(cohort, 1)
    fill_cohort(other_cohort, 1)
    assert login(world.outsider).get(url(cohort)).status_code == 404
    assert login(world.manager).get(url(other_cohort)).status_code == 404
    assert login(world.trainer).get(url(cohort, number=99)).status_code == 404


def test_a_tap_is_saved_and_returns_the_row(login, world, cohort):
    (enrolment,) = fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort), {"enrolment": enrolment.pk, "status": "excused"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "<html" not in html
    assert 'value="excused" class="excused" aria-pressed="true"' in html
    attendance = Attendance.objects.get(enrolment=enrolment, session__number=1)
    assert (attendance.status, attendance.recorded_by) == ("excused", world.trainer)


def test_a_first_tap_creates_the_record(login, world, cohort):
    (enrolment,) = fill_cohort(cohort, 1)
    Attendance.objects.filter(enrolment=enrolment).delete()
    response = login(world.trainer).post(url(cohort, 2), {"enrolment": enrolment.pk, "status": "present"}, **HTMX)
    assert response.status_code == 200
    assert Attendance.objects.get().session.number == 2


def test_without_javascript_the_form_posts_and_comes_back(login, world, cohort):
    (enrolment,) = fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort), {"enrolment": enrolment.pk, "status": "absent"})
    assert response.status_code == 302
    assert response["Location"] == f"{url(cohort)}#enrolment-{enrolment.pk}"
    assert Attendance.objects.get(enrolment=enrolment, session__number=1).status == "absent"


def test_a_bad_status_is_refused_and_nothing_changes(login, world, cohort):
    (enrolment,) = fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort), {"enrolment": enrolment.pk, "status": "asleep"}, **HTMX)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert Attendance.objects.get(enrolment=enrolment, session__number=1).status == "present"


def test_another_cohorts_participant_is_404(login, world, cohort, course):
    from tests import factories as f

    fill_cohort(cohort, 1)
    stranger = f.EnrolmentFactory(cohort=f.CohortFactory(course=course, village=world.village))
    response = login(world.trainer).post(url(cohort), {"enrolment": stranger.pk, "status": "present"}, **HTMX)
    assert response.status_code == 404
    assert not Attendance.objects.filter(enrolment=stranger).exists()


def _queries(client, cohort):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(cohort)).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_cohort(login, world, cohort):
    fill_cohort(cohort, 2)
    client = login(world.trainer)
    small = _queries(client, cohort)
    fill_cohort(cohort, 30)
    large = _queries(client, cohort)
    assert small == large <= 15


@pytest.mark.parametrize("enrolment", ["abc", "", "1.5", "1e3"])
@pytest.mark.parametrize("headers", [HTMX, {}], ids=["htmx", "plain"])
def test_a_malformed_participant_is_refused_with_a_message(enrolment, headers, login, world, cohort):
    (existing,) = fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort), {"enrolment": enrolment, "status": "absent"}, **headers)
    assert response.status_code == 400
    assert "Choose a participant of this cohort." in response.content.decode()
    assert Attendance.objects.get(enrolment=existing, session__number=1).status == "present"


def test_a_missing_participant_is_refused_with_a_message(login, world, cohort):
    fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort), {"status": "absent"}, **HTMX)
    assert response.status_code == 400
    assert "Choose a participant of this cohort." in response.content.decode()


def test_a_participant_number_past_the_databases_range_is_unknown(login, world, cohort):
    fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort), {"enrolment": "9" * 25, "status": "absent"}, **HTMX)
    assert response.status_code == 404


@pytest.mark.parametrize("language, words", [
    ("es-mx", "Una falta justificada cuenta como ausencia para el certificado."),
    ("pt-br", "Uma falta justificada conta como ausência para o certificado."),
])
def test_the_sheet_says_an_excused_absence_is_an_absence(settings, login, world, cohort, language, words):
    fill_cohort(cohort, 1)
    settings.LANGUAGE_CODE = language
    assert words in login(world.trainer).get(url(cohort)).content.decode()
