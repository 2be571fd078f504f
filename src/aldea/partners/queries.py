"""Who may see and change partner organisations, agreements and partner roles in villages.

* Organisations are public knowledge: every signed-in user sees the whole directory.
* An organisation is shared by every programme tied to it (the programme that registered it, an
  agreement, a role in a village or a member's membership). It may be changed only by someone who answers for all of them: a
  manager of every programme tied to it (staff always). So a manager of one programme can tie
  another programme's partner to a village, but can no longer rename it or change its website.
* Agreements and partner roles belong to a programme: seen with it, changed by its managers.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from aldea.accounts.models import Membership
from aldea.accounts.queries import reach_of
from aldea.partners.models import Agreement, Organisation, VillagePartnerRole
from aldea.programmes.queries import (
    programmes_managed_by,
    programmes_visible_to,
    villages_visible_to,
)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    return Organisation.objects.all() if user.is_authenticated else Organisation.objects.none()


def _ties_outside(programme_ids) -> Q:
    """Organisations tied to a programme other than ``programme_ids``."""
    return (
        (Q(registered_in__isnull=False) & ~Q(registered_in_id__in=programme_ids))
        | Q(Exists(Agreement.parties.through.objects.filter(organisation_id=OuterRef("pk")).exclude(
            agreement__programme_id__in=programme_ids)))
        | Q(Exists(VillagePartnerRole.objects.filter(organisation_id=OuterRef("pk")).exclude(
            village__programme_id__in=programme_ids)))
        | Q(Exists(Membership.objects.filter(organisation_id=OuterRef("pk")).exclude(
            programme_id__in=programme_ids)))
    )


def organisations_of_programmes(programme_ids) -> QuerySet[Organisation]:
    """Organisations tied to one of the programmes: a party to an agreement, a role in a village,
    or a member's organisation."""
    return Organisation.objects.filter(
        Q(registered_in_id__in=programme_ids)
        | Q(id__in=Agreement.parties.through.objects.filter(agreement__programme_id__in=programme_ids).values("organisation_id"))
        | Q(id__in=VillagePartnerRole.objects.filter(village__programme_id__in=programme_ids).values("organisation_id"))
        | Q(id__in=Membership.objects.filter(programme_id__in=programme_ids).values("organisation_id"))
    )


def organisations_writable_by(user) -> QuerySet[Organisation]:
    """Organisations tied only to programmes the user manages (see the module's docstring)."""
    reach = reach_of(user)
    if reach.is_global:
        return Organisation.objects.all()
    managed = reach.manager_programme_ids
    return organisations_of_programmes(managed).exclude(_ties_outside(managed))


def agreements_visible_to(user) -> QuerySet[Agreement]:
    return Agreement.objects.filter(programme__in=programmes_visible_to(user))


def agreements_writable_by(user) -> QuerySet[Agreement]:
    return Agreement.objects.filter(programme__in=programmes_managed_by(user))


def village_partner_roles_visible_to(user) -> QuerySet[VillagePartnerRole]:
    return VillagePartnerRole.objects.filter(village__in=villages_visible_to(user))


def village_partner_roles_writable_by(user) -> QuerySet[VillagePartnerRole]:
    return VillagePartnerRole.objects.filter(village__programme__in=programmes_managed_by(user))
