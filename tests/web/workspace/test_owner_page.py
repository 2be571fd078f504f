"""The MSME owner's own page: her training, certificates, diagnostics, listings and results, and
her own month's entry. Seen by her only; a person with roles in two programmes sees her own."""

import datetime

import pytest

from aldea.accounts.models import Role
from aldea.outcomes.models import OutcomeRecord
from tests import factories as f
from tests.conftest import make_persona

URL = "/me/"


@pytest.fixture
def her_records(world):
    """The owner's workshop: 3 sessions (present at 2), a certificate, a diagnostic, a live
    listing and one month of results."""
    owner = world.msme_owner.person
    cohort = f.CohortFactory(course=f.CourseFactory(programme=world.programme, title="Mi negocio en línea"),
                             village=world.village)
    sessions = [f.TrainingSessionFactory(cohort=cohort, number=n) for n in (1, 2, 3)]
    enrolment = f.EnrolmentFactory(cohort=cohort, person=owner, status="completed")
    for session, status in zip(sessions, ("present", "present", "absent"), strict=True):
        f.AttendanceFactory(enrolment=enrolment, session=session, status=status)
    certificate = f.CertificateFactory(enrolment=enrolment, code="ALD-OWNR-0001")
    assessment = f.AssessmentFactory(enterprise=world.owned_msme)
    listing = f.ListingFactory(product=f.ProductFactory(enterprise=world.owned_msme, title="Rebozo"),
                               status="live", live_on=datetime.date(2024, 5, 1), url="https://example.com/rebozo")
    record = f.OutcomeRecordFactory(enterprise=world.owned_msme, month=datetime.date(2024, 6, 1))
    return {"enrolment": enrolment, "certificate": certificate, "assessment": assessment, "listing": listing,
            "record": record}


def test_the_owner_lands_on_her_page(login, world):
    assert login(world.msme_owner).get("/")["Location"] == URL


def test_the_owner_sees_her_training_certificates_diagnostics_listings_and_results(login, world, her_records):
    response = login(world.msme_owner).get(URL)

    assert response.status_code == 200
    [enrolment] = response.context["enrolments"]
    assert enrolment == her_records["enrolment"]
    assert (enrolment.attended_count, enrolment.session_count) == (2, 3)
    assert response.context["certificates"] == [her_records["certificate"]]
    [msme] = response.context["enterprises"]
    assert msme == world.owned_msme
    assert msme.assessment_list == [her_records["assessment"]]
    assert msme.listing_list == [her_records["listing"]]
    assert msme.recent_results == [her_records["record"]]
    assert msme.can_enter_results
    content = response.content.decode()
    assert "Sessions attended: 2 of 3" in content
    assert "/training/certificate/ALD-OWNR-0001.pdf" in content and "/verify/ALD-OWNR-0001/" in content
    assert "/msmes/owned/results/" in content


def test_the_owner_can_open_her_certificate_pdf(login, world, her_records):
    response = login(world.msme_owner).get("/training/certificate/ALD-OWNR-0001.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_another_msmes_owner_sees_none_of_it(login, world, her_records):
    neighbour = make_persona(Role.MSME_OWNER, world.programme, village=world.village, username="neighbour")
    f.EnterpriseFactory(village=world.village, code="neighbours", owner=neighbour.person)
    client = login(neighbour)

    response = client.get(URL)

    assert response.context["enrolments"] == [] and response.context["certificates"] == []
    assert [e.code for e in response.context["enterprises"]] == ["neighbours"]
    assert "ALD-OWNR-0001" not in response.content.decode()
    assert client.get("/training/certificate/ALD-OWNR-0001.pdf").status_code == 404
    assert client.get("/msmes/owned/results/").status_code == 404
    assert client.post("/msmes/owned/results/", {"month": "2025-03", "total_sales": "1"}).status_code == 404


def test_a_person_with_roles_in_two_programmes_sees_only_her_own_records(login, world, her_records):
    """The owner of ``main`` also manages ``other``: her page lists her own training in both
    programmes, never the other programme's participants she can see as its manager."""
    owner = world.msme_owner.person
    f.MembershipFactory(person=owner, role=Role.MANAGER, programme=world.other)
    other_cohort = f.CohortFactory(course=f.CourseFactory(programme=world.other), village=world.other_village)
    hers_there = f.EnrolmentFactory(cohort=other_cohort, person=owner)
    someone_elses = f.CertificateFactory(enrolment=f.EnrolmentFactory(cohort=other_cohort, status="completed"))

    response = login(world.msme_owner).get(URL)

    assert set(response.context["enrolments"]) == {her_records["enrolment"], hers_there}
    assert response.context["certificates"] == [her_records["certificate"]]
    assert someone_elses.code not in response.content.decode()
    assert [e.code for e in response.context["enterprises"]] == ["owned"]  # not other-msme, which she manages


def test_the_owner_enters_her_month_through_the_outcomes_service_as_her_own_entry(login, world):
    client = login(world.msme_owner)
    response = client.post("/msmes/owned/results/", {"month": "2025-03", "total_sales": "900", "online_sales": "300",
                                                     "orders": "4", "units": "9", "employees": "2"})
    assert response.status_code == 302
    record = OutcomeRecord.objects.get(enterprise=world.owned_msme)
    assert record.source == "owner" and record.source_of("total_sales") == "owner"
    assert [r.month for r in client.get(URL).context["enterprises"][0].recent_results] == [datetime.date(2025, 3, 1)]


def test_the_owner_may_not_enter_results_for_an_msme_of_her_village_she_does_not_own(login, world):
    assert login(world.msme_owner).get("/msmes/village-msme/results/").status_code == 404


def test_someone_without_an_msme_sees_an_empty_page(login, world):
    response = login(world.consultant).get(URL)
    assert response.status_code == 200 and response.context["enterprises"] == []


def test_the_page_is_in_spanish(login, world, her_records, settings):
    settings.LANGUAGE_CODE = "es-mx"
    content = login(world.msme_owner).get(URL).content.decode()
    assert "Mi página" in content and "Mis certificados" in content
