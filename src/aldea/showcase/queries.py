"""What the public may see: villages on show, the producers who consented, and their products.

The same rule serves the showcase pages and the marketplace feeds (which publish products to
Google, Meta, Mercado Libre, Shopify and Amazon), so nothing reaches the public by one door that
another door keeps private.
"""

from django.db.models import Q, QuerySet

from aldea.enterprises.models import Enterprise, Product, ProductPhoto
from aldea.enterprises.queries import products_visible_to
from aldea.outcomes.models import Listing
from aldea.programmes.models import Village, VillageStatus

# Villages on public show; candidates are only being considered and have not agreed to be shown.
PUBLIC_VILLAGE_STATUSES = (VillageStatus.SELECTED, VillageStatus.ACTIVE, VillageStatus.GRADUATED)


def is_on_show(village) -> bool:
    return village is not None and village.status in PUBLIC_VILLAGE_STATUSES


def public_villages() -> QuerySet[Village]:
    return Village.objects.filter(status__in=PUBLIC_VILLAGE_STATUSES)


def showcased_producers(village=None) -> QuerySet[Enterprise]:
    """Participant MSMEs of villages on show whose owners consented to the showcase."""
    producers = Enterprise.objects.filter(
        group=Enterprise.Group.PARTICIPANT, has_showcase_consent=True, village__status__in=PUBLIC_VILLAGE_STATUSES
    )
    return producers if village is None else producers.filter(village=village)


def products_on_show() -> QuerySet[Product]:
    """Products the public may see, on the showcase and in marketplace feeds."""
    return Product.objects.filter(enterprise__in=showcased_producers())


def live_web_listings() -> QuerySet[Listing]:
    """Live listings with a web address: a URL imported from a feed is not trusted to be http(s)."""
    return Listing.objects.filter(
        Q(url__startswith="https://") | Q(url__startswith="http://"), status=Listing.Status.LIVE
    ).select_related("channel")


def search_products_on_show(village, *, text: str = "", category: str = "") -> QuerySet[Product]:
    """The village's products on show whose title, description, category or producer's name
    contain ``text`` (any case), in ``category`` when given."""
    products = products_on_show().filter(enterprise__village=village)
    if text:
        products = products.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(category__icontains=text)
            | Q(enterprise__name__icontains=text)
        )
    if category:
        products = products.filter(category=category)
    return products


def categories_on_show(village) -> list[str]:
    """The categories of the village's products on show, for the showcase's filter."""
    return list(
        products_on_show().filter(enterprise__village=village).exclude(category="")
        .order_by("category").values_list("category", flat=True).distinct()
    )


def photo_visible_to(user, token: str) -> tuple[ProductPhoto | None, bool]:
    """(the photo named ``token`` if ``user`` may see it, whether it is public).

    A photo of a product on show is public; any other is seen only by those who see its product
    (``products_visible_to``), e.g. on the MSME's own page before she consents to the showcase."""
    photo = ProductPhoto.objects.filter(token=token).first()
    if photo is None:
        return None, False
    if products_on_show().filter(pk=photo.product_id).exists():
        return photo, True
    if user.is_authenticated and products_visible_to(user).filter(pk=photo.product_id).exists():
        return photo, False
    return None, False
