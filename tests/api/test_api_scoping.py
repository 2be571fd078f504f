"""Who sees and changes what through the API (rules in the apps' queries.py)."""

import pytest
from django.db.models import Q

from aldea.accounts.models import Membership, Person, Role
from aldea.accounts.queries import reach_of
from aldea.consulting.models import Engagement
from aldea.diagnostics.queries import answers_visible_to, assessments_visible_to
from aldea.enterprises.models import Product
from aldea.enterprises.queries import enterprises_visible_to, products_visible_to
from aldea.outcomes.queries import listings_visible_to, outcome_records_visible_to
from aldea.people.queries import memberships_visible_to, persons_visible_to
from aldea.training import queries as training_queries
from tests import factories as f


def _codes(client, url="/api/enterprises/"):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_anonymous_requests_are_refused(world, api_client_for):
    assert api_client_for(None).get("/api/enterprises/").status_code == 401


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager", {"owned", "village-msme", "second-village-msme"}),
        ("analyst", {"owned", "village-msme", "second-village-msme"}),
        ("partner", {"owned", "village-msme"}),
        ("trainer", {"owned", "village-msme"}),
        ("consultant", {"owned", "village-msme"}),
        ("msme_owner", {"owned"}),
        ("outsider", {"other-msme"}),
        ("staff", {"owned", "village-msme", "second-village-msme", "other-msme"}),
    ],
)
def test_each_role_lists_exactly_the_msmes_in_its_scope(persona, expected, personas, api_client_for):
    assert _codes(api_client_for(personas[persona])) == expected


def test_consultant_never_lists_another_programmes_msmes(world, api_client_for):
    codes = _codes(api_client_for(world.consultant))
    assert "other-msme" not in codes


def test_consultant_cannot_open_another_villages_msme(world, api_client_for):
    client = api_client_for(world.consultant)
    assert client.get("/api/enterprises/second-village-msme/").status_code == 404
    assert client.get("/api/enterprises/other-msme/").status_code == 404


def test_consultant_sees_an_msme_of_another_village_once_engaged_with_it(world, api_client_for):
    f.EngagementFactory(enterprise=world.second_village_msme, consultant=world.consultant.person)
    assert "second-village-msme" in _codes(api_client_for(world.consultant))


def test_an_engagement_never_opens_another_programmes_msme_to_a_consultant(world, api_client_for):
    f.EngagementFactory(enterprise=world.other_msme, consultant=world.consultant.person)
    assert "other-msme" not in _codes(api_client_for(world.consultant))


def test_partner_sees_every_village_its_organisation_serves(world, api_client_for):
    f.VillagePartnerRoleFactory(village=world.second_village, organisation=world.host)
    assert "second-village-msme" in _codes(api_client_for(world.partner))


def test_partner_without_village_sees_the_whole_programme(world, api_client_for):
    user = f.UserFactory()
    f.MembershipFactory(person=f.PersonFactory(user=user), role=Role.PARTNER, programme=world.programme,
                        organisation=world.host)
    assert _codes(api_client_for(user)) == {"owned", "village-msme", "second-village-msme"}


def test_inactive_memberships_give_no_access(world, api_client_for):
    world.consultant.person.memberships.update(is_active=False)
    assert _codes(api_client_for(world.consultant)) == set()


def test_msme_owner_sees_only_their_own_msme_and_its_records(world, api_client_for):
    own = f.ProductFactory(enterprise=world.owned_msme)
    f.ProductFactory(enterprise=world.village_msme)
    f.OutcomeRecordFactory(enterprise=world.owned_msme)
    f.OutcomeRecordFactory(enterprise=world.village_msme)
    client = api_client_for(world.msme_owner)

    products = client.get("/api/products/").json()["results"]
    outcomes = client.get("/api/outcome-records/").json()["results"]

    assert [p["id"] for p in products] == [own.pk]
    assert {o["enterprise"] for o in outcomes} == {"owned"}
    assert client.get("/api/enterprises/village-msme/").status_code == 404


def test_msme_owner_edits_their_own_products(world, api_client_for):
    product = f.ProductFactory(enterprise=world.owned_msme, stock=1)
    response = api_client_for(world.msme_owner).patch(f"/api/products/{product.pk}/", {"stock": 9}, format="json")
    assert response.status_code == 200, response.content
    product.refresh_from_db()
    assert product.stock == 9


def test_msme_owner_cannot_create_products_for_another_msme(world, api_client_for):
    response = api_client_for(world.msme_owner).post(
        "/api/products/", {"enterprise": "village-msme", "sku": "X", "title": "X", "price": "10"}, format="json"
    )
    assert response.status_code == 400  # the MSME is out of their scope: unknown to them
    assert "enterprise" in response.json()
    assert not Product.objects.filter(sku="X").exists()


def test_msme_owner_cannot_write_outcomes(world, api_client_for):
    response = api_client_for(world.msme_owner).post(
        "/api/outcome-records/",
        {"enterprise": "owned", "month": "2025-01-01", "total_sales": "10", "online_sales": "5"}, format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["analyst", "partner"])
def test_read_only_roles_get_403_on_every_kind_of_write(persona, world, personas, api_client_for):
    client = api_client_for(personas[persona])
    product = f.ProductFactory(enterprise=world.village_msme)

    assert client.post("/api/enterprises/", {"code": "x"}, format="json").status_code == 403
    assert client.patch("/api/enterprises/village-msme/", {"employees": 3}, format="json").status_code == 403
    assert client.delete(f"/api/products/{product.pk}/").status_code == 403
    assert client.patch("/api/programmes/main/", {"name": "X"}, format="json").status_code == 403
    assert Product.objects.filter(pk=product.pk).exists()


def test_analyst_reads_the_whole_programme(world, api_client_for):
    client = api_client_for(world.analyst)
    assert client.get("/api/enterprises/second-village-msme/").status_code == 200
    assert client.get("/api/programmes/main/").status_code == 200
    assert client.get("/api/programmes/other/").status_code == 404


def test_consultant_writes_engagements_for_msmes_in_scope_only(world, api_client_for):
    client = api_client_for(world.consultant)
    body = {"consultant": world.consultant.person.pk, "started_on": "2025-01-10"}

    ok = client.post("/api/engagements/", {**body, "enterprise": "village-msme"}, format="json")
    out_of_scope = client.post("/api/engagements/", {**body, "enterprise": "second-village-msme"}, format="json")

    assert ok.status_code == 201, ok.content
    assert out_of_scope.status_code == 400
    assert Engagement.objects.filter(enterprise=world.village_msme).count() == 1
    assert not Engagement.objects.filter(enterprise=world.second_village_msme).exists()


def test_consultant_cannot_edit_the_msme_itself(world, api_client_for):
    response = api_client_for(world.consultant).patch("/api/enterprises/village-msme/", {"employees": 9}, format="json")
    assert response.status_code == 403


def test_consultant_patching_another_programmes_record_gets_404(world, api_client_for):
    engagement = f.EngagementFactory(enterprise=world.other_msme, consultant=world.outsider.person)
    response = api_client_for(world.consultant).patch(
        f"/api/engagements/{engagement.pk}/", {"stage": "listing"}, format="json"
    )
    assert response.status_code == 404


def test_manager_cannot_move_an_msme_into_another_programme(world, api_client_for):
    response = api_client_for(world.manager).patch(
        "/api/enterprises/village-msme/", {"programme": "other", "village": "far-away"}, format="json"
    )
    assert response.status_code == 400
    world.village_msme.refresh_from_db()
    assert world.village_msme.programme == world.programme


def test_trainer_writes_records_of_the_cohorts_they_train_only(world, api_client_for):
    course = f.CourseFactory(programme=world.programme)
    theirs = f.CohortFactory(course=course, village=world.village, trainers=[world.trainer.person])
    others = f.CohortFactory(course=course, village=world.village)
    client = api_client_for(world.trainer)

    mine = client.post("/api/training-sessions/", {"cohort": theirs.code, "number": 1, "held_on": "2025-01-01"}, format="json")
    not_mine = client.post("/api/training-sessions/", {"cohort": others.code, "number": 1, "held_on": "2025-01-01"}, format="json")

    assert mine.status_code == 201, mine.content
    assert not_mine.status_code == 403
    assert not others.sessions.exists()


def test_trainer_cannot_create_cohorts(world, api_client_for):
    course = f.CourseFactory(programme=world.programme)
    response = api_client_for(world.trainer).post(
        "/api/cohorts/", {"code": "new", "course": course.pk, "starts_on": "2025-01-01", "ends_on": "2025-02-01"},
        format="json",
    )
    assert response.status_code == 403


def test_participants_see_their_own_enrolment_but_not_their_classmates(world, api_client_for):
    cohort = f.CohortFactory(course=f.CourseFactory(programme=world.programme), village=world.village)
    own = f.EnrolmentFactory(cohort=cohort, person=world.consultant.person)
    f.EnrolmentFactory(cohort=cohort)

    rows = api_client_for(world.consultant).get("/api/enrolments/").json()["results"]

    assert [row["id"] for row in rows] == [own.pk]


def test_contact_details_are_hidden_without_consent(world, api_client_for):
    person = world.consultant.person
    person.email = "ana@example.org"
    person.save()

    row = api_client_for(world.manager).get(f"/api/people/{person.pk}/").json()

    assert row["email"] == ""


def test_reference_data_is_read_only_for_non_staff(world, api_client_for):
    client = api_client_for(world.manager)
    assert client.get("/api/countries/").status_code == 200
    assert client.post("/api/countries/", {"code": "AR", "name": "Argentina", "currency": "ARS"}, format="json").status_code == 403
    assert client.delete("/api/countries/MX/").status_code == 403


def test_organisations_are_visible_to_all_but_edited_by_their_programmes_managers(world, api_client_for):
    stranger = f.OrganisationFactory(slug="stranger")
    manager = api_client_for(world.manager)

    assert api_client_for(world.consultant).get("/api/organisations/stranger/").status_code == 200
    assert manager.patch("/api/organisations/host-university/", {"name": "UABJO"}, format="json").status_code == 200
    assert manager.patch("/api/organisations/stranger/", {"name": "X"}, format="json").status_code == 403
    stranger.refresh_from_db()
    assert stranger.name != "X"


def test_membership_foreign_keys_hide_out_of_scope_rows(world, api_client_for):
    response = api_client_for(world.manager).post(
        "/api/memberships/", {"person": world.consultant.person.pk, "role": "analyst", "programme": "other"},
        format="json",
    )
    assert response.status_code == 400
    assert "programme" in response.json()


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "outsider"])
def test_memberships_seen_are_those_of_the_people_seen(world, name):
    # The shortcut for active roles of a programme seen whole (aldea.people.queries) changes no row.
    f.MembershipFactory(person=f.PersonFactory(), role=Role.CONSULTANT, programme=world.programme, is_active=False)
    user = getattr(world, name)
    reach = reach_of(user)
    expected = Membership.objects.filter(
        Q(person_id=reach.person_id) | Q(programme_id__in=reach.programme_ids, person__in=persons_visible_to(user))
    )
    assert set(memberships_visible_to(user)) == set(expected)


@pytest.mark.parametrize("name", ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "outsider"])
def test_training_records_listed_are_those_visible(world, name):
    # training.queries.*_listed_for: the same rows as *_visible_to, by ids, joins or the subquery.
    course = f.CourseFactory(programme=world.programme)
    here = f.CohortFactory(course=course, village=world.village)
    elsewhere = f.CohortFactory(course=course, village=world.second_village, trainers=[world.trainer.person])
    for cohort in (here, elsewhere):
        session = f.TrainingSessionFactory(cohort=cohort)
        for person in (world.consultant.person, world.msme_owner.person, f.PersonFactory()):
            enrolment = f.EnrolmentFactory(cohort=cohort, person=person)
            f.AttendanceFactory(enrolment=enrolment, session=session)
            f.CertificateFactory(enrolment=enrolment)
    user = getattr(world, name)
    assert set(training_queries.attendance_listed_for(user)) == set(training_queries.attendance_visible_to(user))
    assert set(training_queries.certificates_listed_for(user)) == set(training_queries.certificates_visible_to(user))
    assert set(training_queries.assessment_results_listed_for(user)) == set(training_queries.assessment_results_visible_to(user))


PERSONA_NAMES = ["manager", "analyst", "partner", "trainer", "consultant", "msme_owner", "outsider", "staff"]


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_an_msmes_records_are_seen_exactly_with_the_msme(world, name):
    # enterprises.queries.keyed_within: row by row for wide scopes, IN for personal ones; either
    # way the rows of the MSMEs the user sees, and no others.
    engaged_elsewhere = f.EnterpriseFactory(village=world.second_village, code="engaged-elsewhere")
    f.EngagementFactory(enterprise=engaged_elsewhere, consultant=world.consultant.person)
    f.EngagementFactory(enterprise=world.other_msme, consultant=world.outsider.person)
    msmes = [world.owned_msme, world.village_msme, world.second_village_msme, world.other_msme, engaged_elsewhere]
    for msme in msmes:
        f.OutcomeRecordFactory(enterprise=msme)
        f.AnswerFactory(assessment=f.AssessmentFactory(enterprise=msme))
        f.ListingFactory(product=f.ProductFactory(enterprise=msme))
    user = getattr(world, name)
    seen = set(enterprises_visible_to(user).values_list("code", flat=True))
    assert seen  # every persona sees some, so that each case compares rows
    assert {r.enterprise.code for r in outcome_records_visible_to(user)} == seen
    assert {a.enterprise.code for a in assessments_visible_to(user)} == seen
    assert {a.assessment.enterprise.code for a in answers_visible_to(user)} == seen
    assert {p.enterprise.code for p in products_visible_to(user)} == seen
    assert {li.product.enterprise.code for li in listings_visible_to(user)} == seen


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_the_people_seen_are_those_linked_to_the_user(world, name):
    # people.queries: one correlated look-up per link, the same people as IN over each link.
    other_trainer = f.PersonFactory()
    f.MembershipFactory(person=other_trainer, role=Role.TRAINER, programme=world.programme)
    lapsed = f.PersonFactory()
    f.MembershipFactory(person=lapsed, role=Role.CONSULTANT, programme=world.programme, is_active=False)
    owner_elsewhere = f.PersonFactory()
    f.EnterpriseFactory(village=world.second_village, owner=owner_elsewhere)
    user = getattr(world, name)
    reach = reach_of(user)
    if reach.is_global:
        assert persons_visible_to(user).count() == Person.objects.count()
        return
    active = Membership.objects.filter(is_active=True)
    held = reach.roles_by_programme
    every = [p for p, roles in held.items() if roles & {Role.MANAGER, Role.ANALYST, Role.TRAINER}]
    working = [p for p, roles in held.items() if roles & {Role.MANAGER, Role.TRAINER, Role.CONSULTANT, Role.ANALYST}]
    expected = {reach.person_id} if reach.person_id else set()
    expected |= set(active.filter(programme_id__in=every).values_list("person_id", flat=True))
    expected |= set(active.filter(programme_id__in=reach.partner_programme_ids, role__in=[
        Role.MANAGER, Role.TRAINER, Role.CONSULTANT, Role.PARTNER, Role.ANALYST]).values_list("person_id", flat=True))
    expected |= set(active.filter(programme_id__in=reach.programme_ids, role=Role.TRAINER).values_list(
        "person_id", flat=True))
    expected |= set(enterprises_visible_to(user).filter(programme_id__in=working, owner__isnull=False)
                    .values_list("owner_id", flat=True))
    assert set(persons_visible_to(user).values_list("id", flat=True)) == expected
    # The programme's trainers are seen by all its members; a role that ended shows no one.
    assert (other_trainer.pk in expected) == (name != "outsider")
    assert lapsed.pk not in expected
