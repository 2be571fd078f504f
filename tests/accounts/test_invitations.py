"""Invitations (aldea.accounts.invitations): a role and a scope, a code that works once and expires."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from aldea.accounts.invitations import (
    InvitationRefused,
    accept_invitation,
    invite,
    pending_invitation,
    revoke_invitation,
)
from aldea.accounts.models import Invitation, Membership, Role
from aldea.accounts.queries import reach_of
from aldea.core.exceptions import DomainError
from tests import factories as f

PASSWORD = "a-long-field-password-7"


def test_manager_invites_by_email_and_the_invitee_takes_the_role(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, code = invite(user=world.manager, programme=world.programme, role=Role.TRAINER,
                                  village=world.village, email="rosa@example.org", given_name="Rosa",
                                  base_url="http://field.example")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rosa@example.org"]
    assert f"http://field.example/accounts/join/{code}/" in mail.outbox[0].body
    assert code in mail.outbox[0].body

    membership = accept_invitation(code=code, username="rosa", password=PASSWORD)
    assert (membership.role, membership.programme, membership.village) == (Role.TRAINER, world.programme, world.village)
    user = membership.person.user
    assert user.username == "rosa" and user.check_password(PASSWORD)
    assert membership.person.given_name == "Rosa" and membership.person.email == "rosa@example.org"
    assert world.programme.pk in reach_of(user).trainer_programme_ids
    invitation.refresh_from_db()
    assert invitation.accepted_by == membership.person and invitation.membership == membership


def test_a_printed_code_without_email_sends_nothing_and_is_typed_loosely(world):
    _invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT)
    assert mail.outbox == []
    typed = code.replace("-", " ").lower()
    membership = accept_invitation(code=typed, username="campo", password=PASSWORD, given_name="Juan")
    assert membership.person.given_name == "Juan"


def test_a_code_works_once(world):
    _invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT)
    accept_invitation(code=code, username="first", password=PASSWORD, given_name="A")
    with pytest.raises(InvitationRefused, match="already been used"):
        accept_invitation(code=code, username="second", password=PASSWORD, given_name="B")
    assert not Membership.objects.filter(person__user__username="second").exists()


def test_an_expired_code_opens_nothing(world):
    invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(InvitationRefused, match="expired"):
        pending_invitation(code)


def test_a_withdrawn_invitation_opens_nothing(world):
    invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT)
    revoke_invitation(user=world.manager, invitation=invitation)
    with pytest.raises(InvitationRefused, match="withdrawn"):
        accept_invitation(code=code, username="late", password=PASSWORD, given_name="L")


def test_an_unknown_code_opens_nothing(db):
    with pytest.raises(InvitationRefused, match="no invitation"):
        pending_invitation("ZZZZZ-ZZZZZ")


def test_a_bad_password_or_taken_name_writes_nothing(world):
    _invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT)
    with pytest.raises(DomainError):
        accept_invitation(code=code, username="weak", password="123", given_name="W")
    with pytest.raises(DomainError, match="taken"):
        accept_invitation(code=code, username="Manager", password=PASSWORD, given_name="W")
    assert pending_invitation(code)  # still usable
    assert not Membership.objects.filter(person__given_name="W").exists()


def test_manager_of_a_second_programme_cannot_invite_here(world):
    other_manager = _manager_of(world.other)
    with pytest.raises(InvitationRefused):
        invite(user=other_manager, programme=world.programme, role=Role.MANAGER)
    assert not Invitation.objects.exists()


def test_a_village_of_another_programme_is_refused(world):
    with pytest.raises(DomainError, match="not in this programme"):
        invite(user=world.manager, programme=world.programme, role=Role.TRAINER, village=world.other_village)


def test_a_partner_needs_an_organisation(world):
    with pytest.raises(DomainError, match="organisation"):
        invite(user=world.manager, programme=world.programme, role=Role.PARTNER)


def test_a_signed_in_person_takes_a_second_role_in_a_second_programme(world):
    other_manager = _manager_of(world.other)
    _invitation, code = invite(user=other_manager, programme=world.other, role=Role.TRAINER)
    accept_invitation(code=code, user=world.trainer)
    reach = reach_of(type(world.trainer).objects.get(pk=world.trainer.pk))
    assert reach.roles_in(world.programme.pk) == {Role.TRAINER}
    assert reach.roles_in(world.other.pk) == {Role.TRAINER}
    assert world.trainer.person.memberships.count() == 2


def _manager_of(programme):
    from tests.conftest import make_persona

    return make_persona(Role.MANAGER, programme)


def test_a_member_without_an_account_gets_one_instead_of_a_second_person(world):
    from aldea.accounts.models import Person

    student = f.PersonFactory(given_name="Ana", family_name="López")
    f.MembershipFactory(person=student, role=Role.CONSULTANT, programme=world.programme, village=world.village)
    _invitation, code = invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT,
                               village=world.village, person=student)
    people_before = Person.objects.count()
    membership = accept_invitation(code=code, username="ana", password=PASSWORD, given_name="Ana")
    student.refresh_from_db()
    assert student.user.username == "ana" and membership.person == student
    assert Person.objects.count() == people_before and student.memberships.count() == 1


def test_only_a_member_of_the_programme_without_an_account_can_be_invited_so(world):
    with pytest.raises(DomainError, match="not a member"):
        invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT, person=world.outsider.person)
    with pytest.raises(DomainError, match="account already"):
        invite(user=world.manager, programme=world.programme, role=Role.CONSULTANT, person=world.trainer.person)
