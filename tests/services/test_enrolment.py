"""Enrolment: only members of the cohort's programme, once each, within the cohort's capacity;
withdrawal and reinstatement through the same service; completion only with a certificate."""

import pytest

from aldea.accounts.models import Role
from aldea.core.exceptions import DomainError
from aldea.training.models import Enrolment
from aldea.training.services import change_enrolment_status, enrol, reinstate, withdraw
from tests import factories as f

pytestmark = pytest.mark.django_db


def member_of(programme, role=Role.CONSULTANT, **kwargs):
    return f.MembershipFactory(programme=programme, role=role, **kwargs).person


@pytest.fixture
def cohort():
    return f.CohortFactory(capacity=2)


def test_a_member_of_the_programme_is_enrolled_today(cohort):
    person = member_of(cohort.course.programme)
    enrolment = enrol(cohort=cohort, person=person)
    assert (enrolment.cohort, enrolment.person, enrolment.status) == (cohort, person, Enrolment.Status.ENROLLED)
    assert enrolment.enrolled_on is not None


@pytest.mark.parametrize("membership", ["none", "other_programme", "ended"])
def test_a_person_without_an_active_role_in_the_programme_is_refused(cohort, membership):
    if membership == "none":
        person = f.PersonFactory()
    elif membership == "other_programme":
        person = member_of(f.ProgrammeFactory())
    else:
        person = f.MembershipFactory(programme=cohort.course.programme, is_active=False).person
    with pytest.raises(DomainError, match="holds no active role in the cohort's programme"):
        enrol(cohort=cohort, person=person)
    assert not Enrolment.objects.exists()


def test_a_person_is_enrolled_once_and_a_full_cohort_refuses_more(cohort):
    programme = cohort.course.programme
    first, second, third = (member_of(programme) for _ in range(3))
    enrol(cohort=cohort, person=first)
    with pytest.raises(DomainError, match="already enrolled"):
        enrol(cohort=cohort, person=first)
    enrol(cohort=cohort, person=second)
    with pytest.raises(DomainError, match=r"The cohort is full \(2 of 2 places\)"):
        enrol(cohort=cohort, person=third)


def test_withdrawing_frees_a_place_and_reinstating_takes_one(cohort):
    programme = cohort.course.programme
    leaving = enrol(cohort=cohort, person=member_of(programme))
    enrol(cohort=cohort, person=member_of(programme))
    withdraw(enrolment=leaving)
    newcomer = enrol(cohort=cohort, person=member_of(programme))
    assert Enrolment.objects.get(pk=leaving.pk).status == Enrolment.Status.WITHDRAWN
    with pytest.raises(DomainError, match="full"):
        reinstate(enrolment=leaving)
    withdraw(enrolment=newcomer)
    assert reinstate(enrolment=leaving).status == Enrolment.Status.ENROLLED


def test_a_participant_who_completed_cannot_withdraw_and_completion_comes_only_with_a_certificate(cohort):
    enrolment = enrol(cohort=cohort, person=member_of(cohort.course.programme))
    with pytest.raises(DomainError, match="completes the course when a certificate is issued"):
        change_enrolment_status(enrolment=enrolment, to_status=Enrolment.Status.COMPLETED)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED)
    with pytest.raises(DomainError, match="has completed the course"):
        withdraw(enrolment=enrolment)
    with pytest.raises(DomainError, match="is not an enrolment status"):
        change_enrolment_status(enrolment=enrolment, to_status="graduated")
