"""Assigning and reassigning consultants: who may, whom they may choose, and what is kept."""

import pytest
from django.core.exceptions import PermissionDenied

from aldea.accounts.models import Role
from aldea.consulting.models import ConsultantChange, Engagement, Stage, StageChange
from aldea.consulting.services import (
    assign_consultant,
    consultants_for,
    move_engagement,
    reassign_engagement,
)
from aldea.core.exceptions import DomainError
from tests import factories as f
from tests.conftest import make_persona


@pytest.fixture
def engagement(world):
    return f.EngagementFactory(enterprise=world.village_msme, consultant=world.consultant.person)


@pytest.fixture
def colleague(world):
    """A second consultant of the same village."""
    return make_persona(Role.CONSULTANT, world.programme, village=world.village, username="colleague")


def test_reassigning_keeps_the_stage_history_and_records_who_and_when(world, engagement, colleague):
    move_engagement(engagement=engagement, to_stage=Stage.ACTION_PLAN, user=world.consultant)

    reassign_engagement(engagement=engagement, consultant=colleague.person, user=world.manager)

    engagement.refresh_from_db()
    assert engagement.consultant == colleague.person and engagement.stage == Stage.ACTION_PLAN
    assert list(StageChange.objects.filter(engagement=engagement).values_list("to_stage", flat=True)) == [
        "action_plan"
    ]
    change = ConsultantChange.objects.get()
    assert (change.from_consultant, change.to_consultant, change.changed_by) == (
        world.consultant.person, colleague.person, world.manager,
    )
    assert change.changed_at is not None
    assert Engagement.objects.count() == 1


def test_reassigning_to_the_same_consultant_changes_nothing(world, engagement):
    reassign_engagement(engagement=engagement, consultant=world.consultant.person, user=world.manager)
    assert not ConsultantChange.objects.exists()


def test_only_consultants_of_the_programme_and_the_msmes_village_are_offered(world, colleague):
    wide = make_persona(Role.CONSULTANT, world.programme, username="wide")  # no village: all of them
    elsewhere = make_persona(Role.CONSULTANT, world.programme, village=world.second_village, username="elsewhere")
    ended = make_persona(Role.CONSULTANT, world.programme, village=world.village, username="ended")
    ended.person.memberships.update(is_active=False)

    offered = set(consultants_for(world.village_msme))

    assert offered == {world.consultant.person, colleague.person, wide.person}
    assert elsewhere.person not in offered and world.outsider.person not in offered and ended.person not in offered


def test_a_consultant_of_another_village_is_refused_naming_the_village(world, engagement):
    elsewhere = make_persona(Role.CONSULTANT, world.programme, village=world.second_village, username="elsewhere")
    with pytest.raises(DomainError, match="is a consultant of another village"):
        reassign_engagement(engagement=engagement, consultant=elsewhere.person, user=world.manager)
    with pytest.raises(DomainError, match="not an active consultant of the MSME's programme"):
        reassign_engagement(engagement=engagement, consultant=world.outsider.person, user=world.manager)
    engagement.refresh_from_db()
    assert engagement.consultant == world.consultant.person and not ConsultantChange.objects.exists()


def test_a_consultant_hands_over_their_own_engagement_but_not_anothers(world, engagement, colleague):
    theirs = f.EngagementFactory(
        enterprise=f.EnterpriseFactory(village=world.village), consultant=colleague.person
    )
    with pytest.raises(PermissionDenied):
        reassign_engagement(engagement=theirs, consultant=world.consultant.person, user=world.consultant)

    reassign_engagement(engagement=engagement, consultant=colleague.person, user=world.consultant)

    theirs.refresh_from_db()
    engagement.refresh_from_db()
    assert theirs.consultant == colleague.person and engagement.consultant == colleague.person


@pytest.mark.parametrize("persona", ["trainer", "analyst", "msme_owner", "outsider"])
def test_other_roles_and_other_programmes_may_not_reassign(persona, world, engagement, colleague):
    with pytest.raises(PermissionDenied):
        reassign_engagement(engagement=engagement, consultant=colleague.person, user=getattr(world, persona))


def test_a_manager_of_a_second_programme_may_not_reassign(world, engagement, colleague):
    other_manager = make_persona(Role.MANAGER, world.other, username="other-manager")
    with pytest.raises(PermissionDenied):
        reassign_engagement(engagement=engagement, consultant=colleague.person, user=other_manager)


def test_assigning_an_msme_without_an_engagement_starts_one(world):
    engagement = assign_consultant(enterprise=world.village_msme, consultant=world.consultant.person, user=world.manager)
    assert engagement.stage == Stage.DIAGNOSED and engagement.consultant == world.consultant.person
    assert list(ConsultantChange.objects.values_list("from_consultant", "to_consultant", "changed_by")) == [
        (None, world.consultant.person.pk, world.manager.pk)
    ]
    with pytest.raises(PermissionDenied):
        assign_consultant(enterprise=world.second_village_msme, consultant=world.consultant.person,
                          user=world.consultant)


def test_assigning_an_msme_with_an_open_engagement_reassigns_it(world, engagement, colleague):
    assign_consultant(enterprise=world.village_msme, consultant=colleague.person, user=world.manager)
    assert Engagement.objects.get() == engagement
    engagement.refresh_from_db()
    assert engagement.consultant == colleague.person
