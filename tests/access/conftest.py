"""Two programmes, two villages each, every kind of record in both, and the people who reach them.

``matrix`` builds programme A (``main``, villages ``teotitlan`` and ``santa-clara``) and programme
B (``other``, villages ``far-away`` and ``near-by``) the same way: every API resource gets rows in
A and in B (tests/api/resources.py makes them), plus MSMEs with and without owners, a trained
cohort, an engagement, people with and without contact consent.

Personas (users):

* in A, one membership each: ``manager``, ``analyst``, ``partner`` (hosting ``teotitlan``),
  ``wide_partner`` (no village), ``trainer``, ``consultant`` and ``msme_owner`` (all narrowed to
  ``teotitlan``);
* ``manager_b``: the manager of programme B;
* ``partner_a_consultant_b``: a partner of A (hosting ``teotitlan``) who is also a consultant in
  B's ``far-away``: two roles in two programmes;
* ``trainer_a_owner_b``: a trainer in A who owns an MSME in B;
* ``staff`` (sees everything) and ``nobody`` (a user with no role).
"""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from aldea.accounts.models import Role
from aldea.training.models import CourseLevel
from tests import factories as f
from tests.api.resources import RESOURCES


def _persona(role, programme, *, village=None, organisation=None, username, person=None):
    if person is None:
        person = f.PersonFactory(user=f.UserFactory(username=username))
    f.MembershipFactory(person=person, role=role, programme=programme, village=village, organisation=organisation)
    return person.user


def _programme_world(slug, village_slugs, prefix):
    """One programme as the API's resource makers expect it (``tests/api/resources.py``)."""
    programme = f.ProgrammeFactory(slug=slug)
    village = f.VillageFactory(programme=programme, slug=village_slugs[0], status="active",
                               launched_on=programme.starts_on)
    second_village = f.VillageFactory(programme=programme, slug=village_slugs[1])
    host = f.OrganisationFactory(slug=f"{prefix}-host")
    f.VillagePartnerRoleFactory(village=village, organisation=host)
    w = SimpleNamespace(programme=programme, village=village, second_village=second_village, host=host)
    w.manager = _persona(Role.MANAGER, programme, username=f"{prefix}-manager")
    w.trainer = _persona(Role.TRAINER, programme, village=village, username=f"{prefix}-trainer")
    w.consultant = _persona(Role.CONSULTANT, programme, village=village, username=f"{prefix}-consultant")
    w.msme_owner = _persona(Role.MSME_OWNER, programme, village=village, username=f"{prefix}-owner")
    w.village_msme = f.EnterpriseFactory(village=village, code=f"{prefix}-village-msme")
    w.owned_msme = f.EnterpriseFactory(village=village, code=f"{prefix}-owned", owner=w.msme_owner.person,
                                       has_showcase_consent=True)
    w.second_village_msme = f.EnterpriseFactory(village=second_village, code=f"{prefix}-second-msme")
    # An owner who consented to be contacted, and one who did not.
    consenting = f.PersonFactory(email=f"{prefix}-yes@example.org", phone="555-0101", has_contact_consent=True,
                                 contact_consent_on=programme.starts_on)
    f.MembershipFactory(person=consenting, role=Role.MSME_OWNER, programme=programme, village=second_village)
    w.consenting_msme = f.EnterpriseFactory(village=second_village, code=f"{prefix}-consenting", owner=consenting)
    w.msme_owner.person.email, w.msme_owner.person.phone = f"{prefix}-no@example.org", "555-0199"
    w.msme_owner.person.save()
    return w


@dataclass
class Matrix:
    a: SimpleNamespace
    b: SimpleNamespace
    personas: dict = field(default_factory=dict)
    # endpoint → the rows made for it, in A and in B
    rows: dict = field(default_factory=dict)


@pytest.fixture
def matrix(db):
    a = _programme_world("main", ("teotitlan", "santa-clara"), "a")
    b = _programme_world("other", ("far-away", "near-by"), "b")
    personas = {
        "manager": a.manager,
        "analyst": _persona(Role.ANALYST, a.programme, username="a-analyst"),
        "partner": _persona(Role.PARTNER, a.programme, village=a.village, organisation=a.host, username="a-partner"),
        "wide_partner": _persona(Role.PARTNER, a.programme, organisation=a.host, username="a-wide-partner"),
        "trainer": a.trainer,
        "consultant": a.consultant,
        "msme_owner": a.msme_owner,
        "manager_b": b.manager,
        "staff": f.UserFactory(username="staff", is_staff=True),
        "nobody": f.UserFactory(username="nobody"),
    }
    two_roles = _persona(Role.PARTNER, a.programme, village=a.village, organisation=a.host,
                         username="partner-a-consultant-b")
    _persona(Role.CONSULTANT, b.programme, village=b.village, person=two_roles.person, username="")
    personas["partner_a_consultant_b"] = two_roles
    trainer_owner = _persona(Role.TRAINER, a.programme, village=a.village, username="trainer-a-owner-b")
    _persona(Role.MSME_OWNER, b.programme, village=b.village, person=trainer_owner.person, username="")
    f.EnterpriseFactory(village=b.village, code="b-owned-by-a-trainer", owner=trainer_owner.person)
    personas["trainer_a_owner_b"] = trainer_owner

    rows = {}
    for resource in RESOURCES:
        rows[resource.endpoint] = [resource.make(a), resource.make(b)]
    # A trained cohort with a consultant who served an MSME of each village: the cascade.
    for w in (a, b):
        enrolment = f.EnrolmentFactory(cohort=_consultant_cohort(w), person=w.consultant.person)
        f.EngagementFactory(enterprise=w.village_msme, consultant=enrolment.person)
        f.EngagementFactory(enterprise=w.owned_msme, consultant=enrolment.person)
    return Matrix(a=a, b=b, personas=personas, rows=rows)


def _consultant_cohort(w):
    course = f.CourseFactory(programme=w.programme, level=CourseLevel.CONSULTANT)
    return f.CohortFactory(course=course, village=w.village, trainers=[w.trainer.person])
