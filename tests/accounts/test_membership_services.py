"""Ending access and changing roles (aldea.accounts.services), as the policy allows."""

import datetime

import pytest
from django.utils import timezone

from aldea.accounts.models import Membership, Role
from aldea.accounts.queries import reach_of
from aldea.accounts.services import MembershipRefused, change_membership_role, end_membership
from aldea.core.exceptions import DomainError
from aldea.enterprises.queries import enterprises_visible_to
from tests import factories as f
from tests.conftest import make_persona


def _fresh(user):
    """The user as the next request loads it: its reach is read again."""
    return type(user).objects.get(pk=user.pk)


def _membership(user, programme):
    return Membership.objects.get(person__user=user, programme=programme)


def test_ending_a_membership_stops_the_persons_reach(world):
    assert enterprises_visible_to(world.consultant).exists()
    membership = end_membership(user=world.manager, membership=_membership(world.consultant, world.programme))
    assert membership.ends_on == timezone.localdate() and not membership.is_active
    consultant = _fresh(world.consultant)
    assert reach_of(consultant).programme_ids == frozenset()
    assert not enterprises_visible_to(consultant).exists()


def test_an_end_date_in_the_future_is_refused(world):
    membership = _membership(world.consultant, world.programme)
    with pytest.raises(DomainError, match="future"):
        end_membership(user=world.manager, membership=membership,
                       ends_on=timezone.localdate() + datetime.timedelta(days=1))
    membership.refresh_from_db()
    assert membership.is_active


def test_manager_of_a_second_programme_cannot_end_or_change_this_one(world):
    other_manager = make_persona(Role.MANAGER, world.other)
    membership = _membership(world.consultant, world.programme)
    with pytest.raises(MembershipRefused):
        end_membership(user=other_manager, membership=membership)
    with pytest.raises(MembershipRefused):
        change_membership_role(user=other_manager, membership=membership, role=Role.MANAGER)
    membership.refresh_from_db()
    assert membership.is_active and membership.role == Role.CONSULTANT


def test_a_manager_does_not_manage_staff_accounts(world):
    staff_member = f.MembershipFactory(person=f.PersonFactory(user=world.staff), role=Role.ANALYST,
                                       programme=world.programme)
    with pytest.raises(MembershipRefused):
        end_membership(user=world.manager, membership=staff_member)


def test_a_manager_cannot_end_their_own_access(world):
    with pytest.raises(MembershipRefused, match="own"):
        end_membership(user=world.manager, membership=_membership(world.manager, world.programme))


def test_two_roles_in_two_programmes_ending_one_keeps_the_other(world):
    person = world.trainer.person
    f.MembershipFactory(person=person, role=Role.CONSULTANT, programme=world.other, village=world.other_village)
    other_manager = make_persona(Role.MANAGER, world.other)
    end_membership(user=other_manager, membership=Membership.objects.get(person=person, programme=world.other))
    reach = reach_of(_fresh(world.trainer))
    assert reach.roles_in(world.programme.pk) == {Role.TRAINER}
    assert reach.roles_in(world.other.pk) == frozenset()
    # and the manager of the second programme could not touch the first programme's role
    with pytest.raises(MembershipRefused):
        end_membership(user=other_manager, membership=_membership(world.trainer, world.programme))


def test_manager_changes_a_role_within_the_programme(world):
    membership = change_membership_role(user=world.manager, membership=_membership(world.consultant, world.programme),
                                        role=Role.TRAINER)
    membership.refresh_from_db()
    assert membership.role == Role.TRAINER
    assert reach_of(_fresh(world.consultant)).roles_in(world.programme.pk) == {Role.TRAINER}


def test_changing_to_a_role_already_held_says_so(world):
    person = world.consultant.person
    f.MembershipFactory(person=person, role=Role.TRAINER, programme=world.programme, village=world.village)
    with pytest.raises(DomainError, match="already holds"):
        change_membership_role(user=world.manager, membership=_membership_role(person, Role.CONSULTANT), role=Role.TRAINER)


def test_an_unknown_role_is_refused(world):
    with pytest.raises(DomainError, match="not a role"):
        change_membership_role(user=world.manager, membership=_membership(world.consultant, world.programme),
                               role="boss")


def _membership_role(person, role):
    return Membership.objects.get(person=person, role=role)
