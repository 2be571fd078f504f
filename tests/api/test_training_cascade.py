"""The training cascade: which trainer trained which consultants, who then served which MSMEs."""

from aldea.accounts.models import Role
from aldea.training.models import CourseLevel
from aldea.training.queries import cascade_for_village
from tests import factories as f


def _consultant(world, name):
    person = f.PersonFactory(given_name=name, family_name="C")
    f.MembershipFactory(person=person, role=Role.CONSULTANT, programme=world.programme, village=world.village)
    return person


def _build_cascade(world):
    ana = f.PersonFactory(given_name="Ana", family_name="A")
    beto = f.PersonFactory(given_name="Beto", family_name="B")
    course = f.CourseFactory(programme=world.programme, level=CourseLevel.CONSULTANT)
    cohort_a = f.CohortFactory(course=course, code="cohort-a", village=world.village, trainers=[ana])
    cohort_b = f.CohortFactory(course=course, code="cohort-b", village=world.second_village, trainers=[beto])
    carla, dario, eva = (_consultant(world, name) for name in ("Carla", "Dario", "Eva"))
    f.EnrolmentFactory(cohort=cohort_a, person=carla)
    f.EnrolmentFactory(cohort=cohort_a, person=dario)
    f.EnrolmentFactory(cohort=cohort_b, person=eva)
    # Carla serves two MSMEs of the village, Dario one; Eva serves one in another village only.
    f.EngagementFactory(consultant=carla, enterprise=world.owned_msme)
    f.EngagementFactory(consultant=carla, enterprise=world.village_msme)
    f.EngagementFactory(consultant=dario, enterprise=world.village_msme)
    f.EngagementFactory(consultant=eva, enterprise=world.second_village_msme)
    # A withdrawn enrolment and a workshop-level cohort are not part of the consultant cascade.
    withdrawn = _consultant(world, "Fito")
    f.EnrolmentFactory(cohort=cohort_b, person=withdrawn, status="withdrawn")
    f.EngagementFactory(consultant=withdrawn, enterprise=world.village_msme)
    return ana, beto


def test_cascade_links_trainers_to_the_consultants_they_trained_and_the_msmes_those_served(world):
    _build_cascade(world)

    links = cascade_for_village(world.village)

    assert [(link.trainer_name, link.consultant_name, link.enterprise_code) for link in links] == [
        ("Ana A", "Carla C", "owned"),
        ("Ana A", "Carla C", "village-msme"),
        ("Ana A", "Dario C", "village-msme"),
    ]
    assert {link.cohort_code for link in links} == {"cohort-a"}


def test_cascade_of_another_village_follows_where_the_msmes_are_not_where_the_cohort_met(world):
    _build_cascade(world)

    links = cascade_for_village(world.second_village)

    assert [(link.trainer_name, link.consultant_name, link.enterprise_code) for link in links] == [
        ("Beto B", "Eva C", "second-village-msme")
    ]


def test_cascade_runs_in_one_query(world, django_assert_num_queries):
    _build_cascade(world)
    with django_assert_num_queries(1):
        cascade_for_village(world.village)


def test_cascade_is_served_by_the_village_endpoint_within_scope(world, api_client_for):
    _build_cascade(world)

    response = api_client_for(world.manager).get("/api/villages/teotitlan/cascade/")
    hidden = api_client_for(world.outsider).get("/api/villages/teotitlan/cascade/")

    assert response.status_code == 200
    assert [row["consultant_name"] for row in response.json()] == ["Carla C", "Carla C", "Dario C"]
    assert hidden.status_code == 404
