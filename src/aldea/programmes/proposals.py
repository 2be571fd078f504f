"""Proposing a community as a new digital village, from the territory explorer."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aldea.core.exceptions import DomainError
from aldea.programmes.models import Programme, Village, VillageStatus
from aldea.programmes.services import create_village
from aldea.territories.models import AdministrativeArea


def _free_slug(base: str) -> str:
    base = (slugify(base) or "village")[:70]
    taken = set(Village.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


@transaction.atomic
def propose_village(
    *,
    programme: Programme,
    municipality: AdministrativeArea,
    name: str,
    speciality: str,
    user=None,
    note: str = "",
) -> Village:
    """Create a *candidate* village of ``programme`` in ``municipality`` and record the proposal
    as its first status change (from nothing to candidate, by ``user``).

    Raises DomainError when the area is not a municipality of the programme's country, or when
    the programme already has a village of that name in that municipality.
    """
    name, speciality = name.strip(), speciality.strip()
    if (
        municipality.level != AdministrativeArea.Level.MUNICIPALITY
        or municipality.country_id != programme.country_id
    ):
        raise DomainError(_("A village must be in a municipality of the programme's country."))
    if Village.objects.filter(
        programme=programme, municipality=municipality, name__iexact=name
    ).exists():
        raise DomainError(
            _("The programme already has a village called %(name)s in %(municipality)s.")
            % {"name": name, "municipality": municipality.name}
        )
    return create_village(
        programme=programme,
        municipality=municipality,
        name=name,
        speciality=speciality,
        slug=_free_slug(f"{name}-{municipality.code}"),
        status=VillageStatus.CANDIDATE,
        user=user,
        note=note,
    )
