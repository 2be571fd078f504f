"""Changing memberships: ending a person's access and changing their role within a programme.

Access follows ``Membership.is_active`` (``reach_of`` reads nothing else), so ending a
membership stops the person's reach at their next request; ``ends_on`` records the last day.
A date in the future is refused rather than stored: nothing would end the membership on that
day, and the page would say "ended" of access that still works.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aldea.accounts.models import Membership, Role
from aldea.accounts.queries import memberships_manageable_by
from aldea.core.exceptions import DomainError


class MembershipRefused(DomainError):
    """The acting user may not change this membership."""


def _manageable(user, membership) -> Membership:
    found = memberships_manageable_by(user).select_for_update(of=("self",)).filter(pk=membership.pk).first()
    if found is None:
        raise MembershipRefused(_("You may not change this person's access."))
    if user.is_authenticated and found.person.user_id == user.pk:
        raise MembershipRefused(_("You cannot change your own access; ask another manager."))
    return found


@transaction.atomic
def end_membership(*, user, membership: Membership, ends_on: datetime.date | None = None) -> Membership:
    """End a membership: the person loses its role's reach now; ``ends_on`` (default today) is
    kept as the last day. Ending an ended membership changes nothing.

    Raises MembershipRefused (not the user's to change, or their own) and DomainError for a date
    in the future or before the membership started.
    """
    membership = _manageable(user, membership)
    if not membership.is_active:
        return membership
    today = timezone.localdate()
    ends_on = ends_on or today
    if ends_on > today:
        raise DomainError(_("The end date %(date)s is in the future; end the access on that day.") % {"date": ends_on})
    if membership.starts_on and ends_on < membership.starts_on:
        raise DomainError(_("The end date %(date)s is before the membership started (%(start)s).")
                          % {"date": ends_on, "start": membership.starts_on})
    membership.is_active = False
    membership.ends_on = ends_on
    membership.save(update_fields=["is_active", "ends_on", "updated_at"])
    return membership


@transaction.atomic
def change_membership_role(*, user, membership: Membership, role: str) -> Membership:
    """Give an active membership another role in the same programme and scope.

    Raises MembershipRefused, and DomainError for an unknown role, an ended membership, a partner
    role without an organisation, or a role the person already holds in that scope.
    """
    membership = _manageable(user, membership)
    if role not in Role.values:
        raise DomainError(_("«%(role)s» is not a role.") % {"role": role})
    if not membership.is_active:
        raise DomainError(_("This membership has ended; invite the person again."))
    if role == membership.role:
        return membership
    if role == Role.PARTNER and membership.organisation_id is None:
        raise DomainError(_("A partner's membership names their organisation; invite them as a partner instead."))
    # Checked here as well as by the unique constraint, which treats a missing village or
    # organisation (NULL) as different from every other.
    held = Membership.objects.filter(
        person_id=membership.person_id, role=role, programme_id=membership.programme_id,
        village_id=membership.village_id, organisation_id=membership.organisation_id,
    ).exclude(pk=membership.pk)
    if held.exists():
        raise DomainError(_("%(person)s already holds the role %(role)s there.")
                          % {"person": membership.person, "role": Role(role).label})
    membership.role = role
    try:
        with transaction.atomic():
            membership.save(update_fields=["role", "updated_at"])
    except IntegrityError:
        raise DomainError(_("%(person)s already holds the role %(role)s there.")
                          % {"person": membership.person, "role": Role(role).label}) from None
    return membership
