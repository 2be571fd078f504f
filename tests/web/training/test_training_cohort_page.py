from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aldea.training.figures import cohort_roster
from aldea.training.models import AssessmentResult, Attendance, Certificate, Cohort, Enrolment
from aldea.training.queries import enrolments_visible_to
from aldea.training.services import certification_gaps
from tests import factories as f
from tests.web.training.conftest import fill_cohort


def url(cohort):
    return f"/training/cohort/{cohort.code}/"


def test_anonymous_is_sent_to_login(client, cohort):
    response = client.get(url(cohort))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["manager", "analyst", "partner", "trainer", "staff"])
def test_overseers_see_the_whole_roster(role, login, world, cohort):
    fill_cohort(cohort, 4)
    response = login(getattr(world, role)).get(url(cohort))
    assert response.status_code == 200
    assert len(response.context["roster"]) == 4


def test_outsider_gets_404(login, world, cohort, other_cohort):
    assert login(world.outsider).get(url(cohort)).status_code == 404
    assert login(world.manager).get(url(other_cohort)).status_code == 404


def test_consultant_sees_only_their_own_row(login, world, cohort):
    fill_cohort(cohort, 3)
    own = f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
    response = login(world.consultant).get(url(cohort))
    assert response.status_code == 200
    assert [row.enrolment for row in response.context["roster"]] == [own]
    assert not response.context["can_write"]
    assert "Issue certificate" not in response.content.decode()


def test_roster_figures_match_hand_computed_values(world, cohort):
    sessions = [f.TrainingSessionFactory(cohort=cohort, number=n) for n in (1, 2, 3, 4, 5)]
    ana = f.EnrolmentFactory(cohort=cohort, person=f.PersonFactory(given_name="Ana", family_name="A"))
    beto = f.EnrolmentFactory(cohort=cohort, person=f.PersonFactory(given_name="Beto", family_name="B"))
    for session in sessions:
        f.AttendanceFactory(enrolment=ana, session=session, status=Attendance.Status.PRESENT)
    for session, status in zip(sessions[:3], ["present", "excused", "absent"], strict=True):
        f.AttendanceFactory(enrolment=beto, session=session, status=status)
    f.AssessmentResultFactory(enrolment=ana, name="Examen", score=Decimal(80))
    f.AssessmentResultFactory(enrolment=ana, name="Proyecto", score=Decimal(65))

    roster = cohort_roster(cohort, Enrolment.objects.all())

    assert [(row.attended, row.sessions) for row in roster] == [(5, 5), (1, 5)]
    assert roster[0].attendance_share == 1.0
    assert roster[0].average_score == Decimal("72.5")
    assert roster[0].gaps == [] and roster[0].is_eligible
    assert roster[1].average_score is None
    assert roster[1].gaps == ["attended 1 of 5 sessions (needs 80%)", "has no assessment result"]


def test_roster_gaps_agree_with_the_certification_service(world, cohort):
    fill_cohort(cohort, 12)
    cohort = Cohort.objects.select_related("course").get(pk=cohort.pk)  # as the page reads it
    for row in cohort_roster(cohort, Enrolment.objects.all()):
        assert row.gaps == certification_gaps(row.enrolment), row.enrolment


def test_page_shows_the_roster_figures(login, world, cohort):
    fill_cohort(cohort, 6)
    response = login(world.manager).get(url(cohort))
    expected = cohort_roster(cohort, enrolments_visible_to(world.manager))
    shown = response.context["roster"]
    assert [(r.enrolment.pk, r.attended, r.average_score, r.gaps) for r in shown] == [
        (r.enrolment.pk, r.attended, r.average_score, r.gaps) for r in expected
    ]
    html = response.content.decode()
    for row in expected:
        for gap in row.gaps:
            assert gap in html


def _queries(client, cohort):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url(cohort)).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_roster(login, world, cohort):
    fill_cohort(cohort, 2)
    client = login(world.trainer)
    small = _queries(client, cohort)
    enrolments = fill_cohort(cohort, 25)
    f.CertificateFactory(enrolment=enrolments[0])
    large = _queries(client, cohort)
    assert small == large <= 15


# --- assessment entry ---------------------------------------------------------------------------


def test_trainer_enters_scores(login, world, cohort):
    first, second = fill_cohort(cohort, 2)
    response = login(world.trainer).post(url(cohort) + "assessments/", {
        "name": "Final", "assessed_on": "2024-03-01", f"score_{first.pk}": "88.5", f"score_{second.pk}": "",
    })
    assert response.status_code == 302
    result = AssessmentResult.objects.get(name="Final")
    assert (result.enrolment, result.score, result.assessor) == (first, Decimal("88.5"), world.trainer.person)
    assert not AssessmentResult.objects.filter(name="Final", enrolment=second).exists()


def test_scores_outside_0_100_are_rejected_beside_the_field_and_nothing_saved(login, world, cohort):
    first, second = fill_cohort(cohort, 2)
    before = AssessmentResult.objects.count()
    response = login(world.trainer).post(url(cohort) + "assessments/", {
        "name": "Final", "assessed_on": "2024-03-01", f"score_{first.pk}": "90", f"score_{second.pk}": "120",
    })
    assert response.status_code == 400
    form = response.context["assessment_form"]
    assert f"score_{second.pk}" in form.errors
    assert "100" in str(form.errors[f"score_{second.pk}"])
    assert AssessmentResult.objects.count() == before


def test_an_assessment_needs_a_name_and_a_score(login, world, cohort):
    fill_cohort(cohort, 1)
    response = login(world.trainer).post(url(cohort) + "assessments/", {"name": "", "assessed_on": "2024-03-01"})
    assert response.status_code == 400
    assert "name" in response.context["assessment_form"].errors


@pytest.mark.parametrize("role", ["analyst", "partner", "consultant"])
def test_read_only_roles_cannot_enter_scores(role, login, world, cohort):
    (enrolment,) = fill_cohort(cohort, 1)
    before = AssessmentResult.objects.count()
    response = login(getattr(world, role)).post(url(cohort) + "assessments/", {
        "name": "Final", "assessed_on": "2024-03-01", f"score_{enrolment.pk}": "90",
    })
    assert response.status_code == 403
    assert AssessmentResult.objects.count() == before


def test_a_trainer_of_another_cohort_cannot_enter_scores(login, world, cohort, second_trainer):
    (enrolment,) = fill_cohort(cohort, 1)
    response = login(second_trainer).post(url(cohort) + "assessments/", {
        "name": "Final", "assessed_on": "2024-03-01", f"score_{enrolment.pk}": "90",
    })
    assert response.status_code == 403


# --- certificates -------------------------------------------------------------------------------


def test_manager_issues_a_certificate_to_an_eligible_participant(login, world, cohort):
    eligible = fill_cohort(cohort, 3)[0]
    response = login(world.manager).post(url(cohort) + "certify/", {"enrolment": eligible.pk})
    assert response.status_code == 302
    certificate = Certificate.objects.get(enrolment=eligible)
    assert certificate.issued_by == world.manager
    eligible.refresh_from_db()
    assert eligible.status == Enrolment.Status.COMPLETED


def test_an_ineligible_participant_gets_the_reason_and_no_certificate(login, world, cohort):
    ineligible = fill_cohort(cohort, 3)[1]
    response = login(world.trainer).post(url(cohort) + "certify/", {"enrolment": ineligible.pk})
    assert response.status_code == 400
    assert "Cannot certify" in response.content.decode()
    assert not Certificate.objects.filter(enrolment=ineligible).exists()


def test_read_only_roles_cannot_issue(login, world, cohort, second_trainer):
    eligible = fill_cohort(cohort, 3)[0]
    for user in (world.analyst, world.partner, second_trainer):
        assert login(user).post(url(cohort) + "certify/", {"enrolment": eligible.pk}).status_code == 403
    assert login(world.outsider).post(url(cohort) + "certify/", {"enrolment": eligible.pk}).status_code == 404
    assert not Certificate.objects.exists()


def test_trainer_revokes_a_certificate_with_a_reason(login, world, cohort):
    enrolment = fill_cohort(cohort, 1)[0]
    certificate = f.CertificateFactory(enrolment=enrolment, code="ALD-AAAA-BBBB")
    response = login(world.trainer).post(
        f"/training/certificate/{certificate.code}/revoke/", {f"revoke-{enrolment.pk}-reason": "Plagio en el proyecto"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason == "Plagio en el proyecto"


def test_revoking_without_a_reason_is_refused(login, world, cohort):
    enrolment = fill_cohort(cohort, 1)[0]
    certificate = f.CertificateFactory(enrolment=enrolment, code="ALD-AAAA-CCCC")
    response = login(world.trainer).post(
        f"/training/certificate/{certificate.code}/revoke/", {f"revoke-{enrolment.pk}-reason": "  "}
    )
    assert response.status_code == 400
    assert response.context["roster"][0].revoke_form.errors["reason"]
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_read_only_roles_cannot_revoke(login, world, cohort):
    enrolment = fill_cohort(cohort, 1)[0]
    certificate = f.CertificateFactory(enrolment=enrolment, code="ALD-AAAA-DDDD")
    data = {f"revoke-{enrolment.pk}-reason": "x"}
    assert login(world.analyst).post(f"/training/certificate/{certificate.code}/revoke/", data).status_code == 403
    assert login(world.outsider).post(f"/training/certificate/{certificate.code}/revoke/", data).status_code == 404
    certificate.refresh_from_db()
    assert not certificate.is_revoked


def test_scores_sent_again_with_their_key_do_not_undo_a_later_correction(login, world, cohort):
    (first,) = fill_cohort(cohort, 1)
    client = login(world.trainer)
    data = {"name": "Final", "assessed_on": "2024-03-01", f"score_{first.pk}": "88.5",
            "idempotency_key": "9c1d6f3a-2b7e-4e0a-8f5d-1a3c5e7b9d20"}
    assert client.post(url(cohort) + "assessments/", data).status_code == 302
    AssessmentResult.objects.filter(name="Final").update(score=Decimal(91))  # corrected since
    assert client.post(url(cohort) + "assessments/", data).status_code == 302
    assert AssessmentResult.objects.get(name="Final").score == Decimal(91)
