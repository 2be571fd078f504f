"""Writes that create MSMEs and keep their catalogues (the page and any later door call the same
function)."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from aldea.accounts.models import Person, Sex
from aldea.core.access import require_writable
from aldea.enterprises.models import Enterprise, Product, ProductPhoto
from aldea.enterprises.photos import MAX_PHOTOS_PER_PRODUCT, PhotoRejected, prepare_photo
from aldea.enterprises.queries import products_writable_by


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
                        owner_has_contact_consent: bool = False, has_showcase_consent: bool = False) -> Enterprise:
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
        is_women_led=owner_sex == Sex.FEMALE, has_showcase_consent=has_showcase_consent,
    )


TOKEN_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@transaction.atomic
def add_product_photo(*, user, product: Product, upload) -> ProductPhoto:
    """Store ``upload`` as the product's next photo: resized to 1600 px, with a 400 px thumbnail.

    Raises PermissionDenied when ``user`` does not keep the product's catalogue
    (``products_writable_by``), and PhotoRejected (with a message for the sender) when the file is
    too large, is not an image, or the product already has MAX_PHOTOS_PER_PRODUCT photos.
    """
    require_writable(products_writable_by(user), product)
    # Lock the product so two uploads at once do not take the same position.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    taken = product.photos.aggregate(count=Count("pk"), last=Max("position"))
    if taken["count"] >= MAX_PHOTOS_PER_PRODUCT:
        raise PhotoRejected(
            _("This product already has %(count)s photos, the most it may have: remove one first.")
            % {"count": MAX_PHOTOS_PER_PRODUCT}
        )
    prepared = prepare_photo(upload)
    token = get_random_string(20, TOKEN_ALPHABET)
    photo = ProductPhoto(product=product, token=token, position=(taken["last"] or 0) + 1,
                         width=prepared.width, height=prepared.height)
    folder = product.enterprise.code
    photo.image.save(f"{folder}/{token}.jpg", ContentFile(prepared.image), save=False)
    photo.thumbnail.save(f"{folder}/{token}-thumb.webp", ContentFile(prepared.thumbnail), save=False)
    try:
        photo.save()
    except Exception:
        _delete_files(photo.image.name, photo.thumbnail.name)
        raise
    return photo


@transaction.atomic
def remove_product_photo(*, user, photo: ProductPhoto) -> None:
    """Delete the photo and, once the deletion is committed, its files.

    Raises PermissionDenied when ``user`` does not keep the product's catalogue."""
    require_writable(products_writable_by(user), photo.product)
    names = (photo.image.name, photo.thumbnail.name)
    photo.delete()
    transaction.on_commit(lambda: _delete_files(*names))


def _delete_files(*names):
    storage = ProductPhoto._meta.get_field("image").storage
    for name in names:
        if name:
            storage.delete(name)
