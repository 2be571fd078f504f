"""The admin changes statuses, stages and certificates through the services' actions, and its
add forms create rows through the services; its forms cannot set what a service owns."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from aldea.accounts.models import Role
from aldea.consulting.models import Engagement, StageChange
from aldea.programmes.models import VillageStatusChange
from aldea.training.models import Attendance, Certificate, Enrolment
from aldea.training.services import CERTIFICATE_CODE
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def run_action(client, model, action, rows, **extra):
    return client.post(
        changelist(model), {"action": action, ACTION_CHECKBOX_NAME: [row.pk for row in rows], **extra}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- villages ---------------------------------------------------------------------------------


def test_activating_villages_goes_through_the_lifecycle_and_reports_refusals(admin_client, root):
    selected = f.VillageFactory(status="selected", launched_on=None)
    candidate = f.VillageFactory(status="candidate", launched_on=None)

    response = run_action(admin_client, type(selected), "activate_villages", [selected, candidate])

    selected.refresh_from_db()
    candidate.refresh_from_db()
    assert (selected.status, candidate.status) == ("active", "candidate")
    assert selected.launched_on is not None
    assert list(VillageStatusChange.objects.values_list("village", "from_status", "to_status", "changed_by")) == [
        (selected.pk, "selected", "active", root.pk)
    ]
    assert any("cannot go from candidate to active" in message for message in messages_of(response))
    assert "1 changed." in messages_of(response)


def test_the_village_change_form_cannot_set_status_or_launch_date(admin_client):
    village = f.VillageFactory(status="candidate", launched_on=None)
    url = reverse("admin:programmes_village_change", args=[village.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="launched_on"' not in page

    admin_client.post(url, {
        "programme": village.programme.pk, "slug": village.slug, "name": "Renamed", "municipality": village.municipality.pk,
        "speciality": village.speciality, "target_msmes": 50, "story": "", "status": "graduated",
        "launched_on": "2024-01-01", "status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0,
    })

    village.refresh_from_db()
    assert (village.name, village.status, village.launched_on) == ("Renamed", "candidate", None)
    assert not VillageStatusChange.objects.exists()


def test_a_village_added_in_the_admin_is_a_candidate_with_its_first_history_line(admin_client, root):
    programme = f.ProgrammeFactory()
    municipality = f.MunicipalityFactory()
    response = admin_client.post(reverse("admin:programmes_village_add"), {
        "programme": programme.pk, "slug": "nueva", "name": "Nueva", "municipality": municipality.pk,
        "speciality": "cestería", "target_msmes": 40, "story": "", "status": "active",
        "status_changes-TOTAL_FORMS": 0, "status_changes-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(VillageStatusChange.objects.values_list("village__slug", "from_status", "to_status", "changed_by")) == [
        ("nueva", "", "candidate", root.pk)
    ]


# --- certificates -----------------------------------------------------------------------------


def test_revoking_certificates_asks_for_a_reason_then_calls_the_service(admin_client):
    certificate = f.CertificateFactory()

    asked = run_action(admin_client, Certificate, "revoke_certificates", [certificate])
    blank = run_action(admin_client, Certificate, "revoke_certificates", [certificate], apply="Revoke", reason=" ")
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert 'name="reason"' in asked.content.decode() and blank.status_code == 200

    run_action(admin_client, Certificate, "revoke_certificates", [certificate], apply="Revoke", reason="Plagio")
    again = run_action(admin_client, Certificate, "revoke_certificates", [certificate], apply="Revoke", reason="Otra")

    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason == "Plagio"
    assert any("already revoked" in message for message in messages_of(again))


def test_a_certificate_page_is_view_only_and_none_is_added_or_deleted_by_hand(admin_client):
    certificate = f.CertificateFactory()
    url = reverse("admin:training_certificate_change", args=[certificate.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="code"' not in page.content.decode() and 'name="revoked_at"' not in page.content.decode()
    assert admin_client.post(url, {"code": "AAAAAA"}).status_code == 403
    assert admin_client.get(reverse("admin:training_certificate_add")).status_code == 403
    assert admin_client.get(reverse("admin:training_certificate_delete", args=[certificate.pk])).status_code == 403
    certificate.refresh_from_db()
    assert certificate.code != "AAAAAA"


def test_issuing_certificates_from_the_enrolments_applies_the_rules(admin_client, root):
    cohort = f.CohortFactory()
    session = f.TrainingSessionFactory(cohort=cohort)
    passed, absent = f.EnrolmentFactory(cohort=cohort), f.EnrolmentFactory(cohort=cohort)
    for enrolment, status in ((passed, "present"), (absent, "absent")):
        f.AttendanceFactory(session=session, enrolment=enrolment, status=status)
        f.AssessmentResultFactory(enrolment=enrolment, score=90)

    response = run_action(admin_client, Enrolment, "issue_certificates", [passed, absent])

    certificate = Certificate.objects.get()
    assert certificate.enrolment == passed and certificate.issued_by == root
    assert CERTIFICATE_CODE.match(certificate.code)
    assert any("attended 0 of 1 sessions" in message for message in messages_of(response))


# --- engagements ------------------------------------------------------------------------------


def test_engagement_actions_move_one_stage_drop_with_a_reason_and_reopen(admin_client, root):
    engagement = f.EngagementFactory()

    run_action(admin_client, Engagement, "advance_engagements", [engagement])
    run_action(admin_client, Engagement, "drop_engagements", [engagement], apply="Drop", reason="Se mudó")
    engagement.refresh_from_db()
    assert (engagement.stage, engagement.drop_reason) == ("dropped", "Se mudó")
    advanced = run_action(admin_client, Engagement, "advance_engagements", [engagement])
    run_action(admin_client, Engagement, "reopen_engagements", [engagement])

    engagement.refresh_from_db()
    assert engagement.stage == "diagnosed"
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "changed_by")) == [
        ("diagnosed", "action_plan", root.pk), ("action_plan", "dropped", root.pk), ("dropped", "diagnosed", root.pk),
    ]
    assert any("can only be reopened" in message for message in messages_of(advanced))


def test_an_engagement_added_in_the_admin_starts_at_diagnosed_with_a_consultant_of_the_programme(admin_client, root):
    enterprise = f.EnterpriseFactory()
    consultant = f.MembershipFactory(programme=enterprise.programme, role=Role.CONSULTANT).person
    analyst = f.MembershipFactory(programme=enterprise.programme, role=Role.ANALYST).person
    url = reverse("admin:consulting_engagement_add")
    inlines = {f"{prefix}-{key}": 0 for prefix in ("stage_changes", "meetings", "action_items")
               for key in ("TOTAL_FORMS", "INITIAL_FORMS")}
    body = {"enterprise": enterprise.pk, "started_on": "2025-02-01", "stage": "graduated", **inlines}

    refused = admin_client.post(url, {**body, "consultant": analyst.pk})
    created = admin_client.post(url, {**body, "consultant": consultant.pk})

    assert refused.status_code == 200
    assert "is not an active consultant of the MSME&#x27;s programme" in refused.content.decode()
    assert created.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.stage == "diagnosed"
    assert list(engagement.stage_changes.values_list("from_stage", "to_stage", "changed_by")) == [
        ("", "diagnosed", root.pk)
    ]


# --- enrolment and attendance -----------------------------------------------------------------


def test_enrolling_in_the_admin_checks_membership_and_withdrawal_is_an_action(admin_client):
    cohort = f.CohortFactory()
    member = f.MembershipFactory(programme=cohort.course.programme).person
    url = reverse("admin:training_enrolment_add")

    refused = admin_client.post(url, {"cohort": cohort.pk, "person": f.PersonFactory().pk, "enrolled_on": "2025-01-10"})
    created = admin_client.post(url, {"cohort": cohort.pk, "person": member.pk, "enrolled_on": "2025-01-10",
                                      "status": "completed"})

    assert refused.status_code == 200 and "holds no active role" in refused.content.decode()
    assert created.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.status == "enrolled"
    run_action(admin_client, Enrolment, "withdraw_enrolments", [enrolment])
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"


def test_attendance_saved_in_the_admin_names_who_recorded_it(admin_client, root):
    enrolment = f.EnrolmentFactory()
    session = f.TrainingSessionFactory(cohort=enrolment.cohort)
    foreign = f.TrainingSessionFactory()
    url = reverse("admin:training_attendance_add")

    refused = admin_client.post(url, {"session": foreign.pk, "enrolment": enrolment.pk, "status": "present"})
    created = admin_client.post(url, {"session": session.pk, "enrolment": enrolment.pk, "status": "absent"})
    attendance = Attendance.objects.get()
    attendance.recorded_by = None
    attendance.save()
    changed = admin_client.post(
        reverse("admin:training_attendance_change", args=[attendance.pk]), {"status": "present"}
    )

    assert refused.status_code == 200 and "is not enrolled in this cohort" in refused.content.decode()
    assert (created.status_code, changed.status_code) == (302, 302)
    attendance.refresh_from_db()
    assert (attendance.status, attendance.recorded_by, attendance.session) == ("present", root, session)
