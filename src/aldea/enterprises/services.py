"""Writes that create MSMEs (the page and any later door call the same function)."""

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from aldea.accounts.models import Person, Sex
from aldea.enterprises.models import Enterprise


def _free_code(name: str) -> str:
    base = (slugify(name) or "msme")[:30].strip("-") or "msme"
    code = base
    # "new" is the registration page's address (/msmes/new/), never an MSME's.
    while code == "new" or Enterprise.objects.filter(code=code).exists():
        code = f"{base}-{get_random_string(5, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return code


@transaction.atomic
def register_enterprise(*, user, village, name: str, sector: str, employees: int, owner_given_name: str,
                        owner_family_name: str = "", owner_sex: str = Sex.UNDISCLOSED,
                        owner_birth_year: int | None = None, owner_phone: str = "",
                        owner_has_contact_consent: bool = False) -> Enterprise:
    """A new participant MSME of ``village``'s programme, with its owner as a new person.

    The caller checked that ``user`` may register in ``village``
    (``villages_open_for_registration_by``). The MSME is women-led when its owner is a woman;
    consent to be contacted is dated today."""
    owner = Person.objects.create(
        given_name=owner_given_name, family_name=owner_family_name, sex=owner_sex, birth_year=owner_birth_year,
        phone=owner_phone, has_contact_consent=owner_has_contact_consent,
        contact_consent_on=timezone.localdate() if owner_has_contact_consent else None,
    )
    return Enterprise.objects.create(
        programme=village.programme, village=village, code=_free_code(name), name=name, owner=owner,
        municipality=village.municipality, locality=village.locality, sector=sector, employees=employees,
        is_women_led=owner_sex == Sex.FEMALE,
    )
